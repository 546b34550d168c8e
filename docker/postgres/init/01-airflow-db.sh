#!/bin/bash
# Runs once, when the warehouse volume is new (after POSTGRES_DB=salesdb is created): the Airflow
# metadata database and its owner, in the same PostgreSQL 15 server.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set=password="$AIRFLOW_DB_PASSWORD" <<'SQL'
create role airflow login password :'password';
create database airflow owner airflow;
SQL
