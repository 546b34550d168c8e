# The project's user interface. `make` alone lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash
VENV := .venv/bin
PYTEST := $(VENV)/pytest
# `make test`: coverage of the Python packages (floor in pyproject.toml), JUnit XML and HTML in reports/
COVERAGE := --cov --cov-report=term:skip-covered --cov-report=html --cov-report=xml:reports/coverage.xml \
            --junitxml=reports/junit.xml
# The suites that run services print their 25 slowest tests, so the time budget stays visible.
DURATIONS := --durations=25
# pytest-xdist: two workers, each on a stack of its own (tests/helpers/backends.py). The tests
# that share the suite's Spark session run on one of them, so one JVM starts; those of the warm
# engine run together; any other test file runs whole on either, so its module fixtures run once
# (the xdist groups of tests/conftest.py; the pin of pytest in pyproject.toml keeps them working).
# The bench's runs use the warm engine and the Spark cluster's test drives its own JVMs, so
# both run beside the session's tests: on 2 cores `make test`'s tests took 521-531 s (637 s while
# they shared the session's worker), 537-650 s with the offline aws end-to-end test under IAM.
# More workers gain nothing: the suite is CPU-bound (TEST_WORKERS=3: 639 s). TEST_WORKERS=1 runs
# one process.
TEST_WORKERS ?= 2
# pytest-xdist's options for $(1) workers distributed by $(2); none for one worker.
xdist = $(if $(filter 0 1,$(1)),,--numprocesses $(1) --dist $(2))
PARALLEL = $(call xdist,$(TEST_WORKERS),loadgroup)

.PHONY: help setup setup-python demo run up down logs ps images stack-up stack-down status env reset dashboard screenshots \
        test test-fast test-integration test-e2e test-compose test-glue5 lint lint-python lint-sql lint-files format \
        audit package ci clean deploy-aws destroy-aws

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

##@ Setup
setup: ## Install PostgreSQL 15, the Python env (.venv) and the Spark jars (.jars)
	@scripts/setup.sh

setup-python: ## Install the Python env (.venv) only: all that `make deploy-aws` needs
	@scripts/setup.sh python

##@ Stack (embedded, no Docker; `make demo` and `make test` use it)
stack-up: setup ## Start the S3/Glue/Secrets Manager emulator and PostgreSQL [SPARK_CLUSTER=1: + Spark]
	@$(VENV)/lakehouse up $(if $(SPARK_CLUSTER),--spark-cluster)

stack-down: ## Stop what `make stack-up` started
	@$(VENV)/lakehouse down

status: ## Show the embedded stack's services, endpoints and health
	@$(VENV)/lakehouse status

##@ Docker Compose stack (needs Docker with Compose v2)
COMPOSE = docker compose --profile $(EMULATOR)
EMULATOR ?= moto

up: .env ## Build and start the Compose stack [EMULATOR=localstack]; prints the endpoints
	@docker compose version >/dev/null 2>&1 || { echo "make up needs Docker with the Compose v2 plugin (docker compose); without Docker use make stack-up" >&2; exit 1; }
	@$(COMPOSE) up --detach --build --wait
	@docker/endpoints.sh

down: ## Stop the Compose stack (volumes stay; `docker compose down -v` drops them)
	@$(COMPOSE) down

logs: ## Follow the Compose stack's logs [SERVICE=name]
	@$(COMPOSE) logs --follow $(SERVICE)

ps: ## Show the Compose stack's services and health
	@$(COMPOSE) ps

images: ## Build the Compose stack's images (`make up` builds them too) [SERVICE=name: its image only]
	@$(COMPOSE) build $(SERVICE)

.env:
	@cp .env.example .env && echo "created .env from .env.example"

##@ Pipeline
demo: setup ## Start the stack, generate 100,000 sales lines and run the whole pipeline
	@$(VENV)/lakehouse demo

run: setup ## Run the pipeline on SOURCE=dir [RUN_DATE=YYYY-MM-DD]
	@$(VENV)/lakehouse run --source "$(SOURCE)" $(if $(RUN_DATE),--run-date $(RUN_DATE))

.PHONY: bench
bench: setup ## Measure the pipeline and its baselines on its own stack [SCALE=100k|1m|10m]; docs/benchmarks.md
	@$(VENV)/lakehouse bench --scale $(or $(SCALE),100k)

##@ Orchestration (Airflow, home in .lakehouse/airflow)
.PHONY: airflow airflow-run
airflow: setup ## Start Airflow (UI, scheduler) with the project's DAGs; prints the UI address and login
	@$(VENV)/lakehouse airflow standalone

airflow-run: setup ## One DAG run in the foreground: `airflow dags test` [RUN_DATE=YYYY-MM-DD] [SOURCE=dir]
	@$(VENV)/lakehouse airflow dags test sales_star_pipeline $(or $(RUN_DATE),$(shell date -u +%F)) \
		$(if $(SOURCE),--conf '{"source": "$(abspath $(SOURCE))"}')

##@ Dashboards
dashboard: setup ## Serve the four dashboards on http://127.0.0.1:8501 [PORT=n] (foreground)
	@$(VENV)/lakehouse dashboard $(if $(PORT),--port $(PORT))

screenshots: demo ## Regenerate docs/images/dashboard-*.png from the demo warehouse
	@$(VENV)/python -m lakehouse.dashboard.screenshots

##@ Deploy (AWS: your credentials and AWS_REGION; AWS_ENDPOINT_URL=http://127.0.0.1:4566 for the emulator)
deploy-aws: setup-python ## Deploy stacks, Glue job, secret and Redshift DDL [DRY_RUN=1: print the plan only]
	@$(VENV)/lakehouse deploy --profile aws $(if $(DRY_RUN),--dry-run)

destroy-aws: setup-python ## Remove the deployment (YES=1 confirms; buckets kept unless DELETE_DATA=1)
	@$(VENV)/lakehouse destroy --profile aws $(if $(DELETE_DATA),--delete-data) $(if $(YES),--yes)

##@ Quality
test: setup ## Whole suite: unit, integration and end to end (starts its own stack), with coverage
	@$(PYTEST) $(PARALLEL) $(DURATIONS) $(COVERAGE)

test-fast: setup ## Unit tests only (two workers)
	@$(PYTEST) $(PARALLEL) tests/unit

test-integration: setup ## Integration tests against the embedded stack
	@$(PYTEST) $(PARALLEL) $(DURATIONS) tests/integration

test-e2e: setup ## End-to-end tests: the whole pipeline
	@$(PYTEST) $(PARALLEL) $(DURATIONS) tests/e2e

test-compose: setup ## Integration and end-to-end tests against the Compose stack (needs Docker; starts it if down)
	@LAKEHOUSE_STACK=compose $(PYTEST) $(DURATIONS) tests/integration tests/e2e

# The Spark job's tests that need only Spark and local files (no stack), run by `make test-glue5`.
GLUE5_TESTS := tests/unit/spark_app

test-glue5: setup ## The Spark job's tests on AWS Glue 5's Spark, Delta and Python (glue5/, .venv-glue5)
	@scripts/setup-glue5.sh
	@LAKEHOUSE_JARS_DIR=$(CURDIR)/.jars-glue5 .venv-glue5/bin/pytest $(GLUE5_TESTS)

lint: lint-python lint-sql lint-files ## All linters: Python, SQL, Dockerfiles, YAML/JSON, workflows, templates

lint-python: setup ## ruff (format check + lint, pylint/bandit rule sets) and bandit (no high findings)
	@$(VENV)/ruff format --check .
	@$(VENV)/ruff check .
	@$(VENV)/bandit -q -c pyproject.toml -r lakehouse spark_app validation airflow --severity-level high

lint-sql: setup ## sqlfluff per dialect (postgres; redshift/ folders) and the generated star DDL
	@$(VENV)/python -m lakehouse.release.sql_lint

lint-files: setup ## hadolint, yamllint, JSON, GitHub workflow schema, cfn-lint (infra/)
	@scripts/lint-files.sh

format: setup ## Format Python with ruff and fix SQL with sqlfluff
	@$(VENV)/ruff format .
	@$(VENV)/ruff check --fix .
	@$(VENV)/sqlfluff fix warehouse_sql

audit: setup ## pip-audit over uv.lock and a secret scan; says when the audit could not be checked
	@$(VENV)/python -m lakehouse.release.audit

package: setup ## Release artifacts in dist/: Glue bundle, DAG bundle, SQL scripts, manifest.json
	@$(VENV)/python -m lakehouse.release.package

ci: ## The CI stages in the seed's order: lint, test, audit, package
	@$(MAKE) --no-print-directory lint test audit package

clean: ## Remove caches and test state (keeps .venv and .jars)
	@rm -rf .pytest_cache .ruff_cache reports .lakehouse/test
