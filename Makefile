# The project's user interface. `make` alone lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash
VENV := .venv/bin
PYTEST := $(VENV)/pytest

.PHONY: help setup demo run up down status env reset \
        test test-fast test-integration test-e2e lint format clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

##@ Setup
setup: ## Install PostgreSQL 15, the Python env (.venv) and the Spark jars (.jars)
	@scripts/setup.sh

##@ Stack (embedded, no Docker)
up: setup ## Start the S3/Glue/Secrets Manager emulator and PostgreSQL
	@$(VENV)/lakehouse up

down: ## Stop what `make up` started
	@$(VENV)/lakehouse down

status: ## Show the services, endpoints and health
	@$(VENV)/lakehouse status

##@ Pipeline
demo: setup ## Start the stack, generate 100,000 sales lines and run the whole pipeline
	@$(VENV)/lakehouse demo

run: setup ## Run the pipeline on SOURCE=dir [RUN_DATE=YYYY-MM-DD]
	@$(VENV)/lakehouse run --source "$(SOURCE)" $(if $(RUN_DATE),--run-date $(RUN_DATE))

##@ Quality
test: setup ## Whole suite: unit, integration and end to end (starts its own stack)
	@$(PYTEST)

test-fast: setup ## Unit tests only
	@$(PYTEST) tests/unit

test-integration: setup ## Integration tests against the embedded stack
	@$(PYTEST) tests/integration

test-e2e: setup ## End-to-end tests: the whole pipeline
	@$(PYTEST) tests/e2e

lint: setup ## ruff (format check + lint) and sqlfluff
	@$(VENV)/ruff format --check .
	@$(VENV)/ruff check .
	@$(VENV)/sqlfluff lint warehouse_sql

format: setup ## Format Python with ruff and fix SQL with sqlfluff
	@$(VENV)/ruff format .
	@$(VENV)/ruff check --fix .
	@$(VENV)/sqlfluff fix warehouse_sql

clean: ## Remove caches and test state (keeps .venv and .jars)
	@rm -rf .pytest_cache .ruff_cache reports .lakehouse/test
