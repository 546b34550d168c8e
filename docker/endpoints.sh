#!/usr/bin/env bash
# Print where everything of the Compose stack is, with the ports of .env (defaults otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
set -a
# shellcheck disable=SC1091
[ -f .env ] && . ./.env
set +a
cat <<TEXT
The Compose stack is up (make ps: state and health; make logs: follow; make down: stop):
  Airflow UI           http://127.0.0.1:${AIRFLOW_PORT:-8080}
  Dashboards           http://127.0.0.1:${LAKEHOUSE_DASHBOARD_PORT:-8501}
  Spark master UI      http://127.0.0.1:${LAKEHOUSE_SPARK_MASTER_UI_PORT:-8090}   (spark://127.0.0.1:${LAKEHOUSE_SPARK_MASTER_PORT:-7077})
  AWS emulator         http://127.0.0.1:${LAKEHOUSE_EMULATOR_PORT:-4566}   (${COMPOSE_PROFILES:-moto}; S3, Glue, Secrets Manager)
  Warehouse DSN        postgresql://${LAKEHOUSE_WAREHOUSE_USER:-lakehouse}:${LAKEHOUSE_WAREHOUSE_PASSWORD:-lakehouse}@127.0.0.1:${LAKEHOUSE_WAREHOUSE_PORT:-5439}/salesdb
  CLI on this stack    LAKEHOUSE_PROFILE=docker .venv/bin/lakehouse ...
TEXT
