r"""Baseline of the load: a raw ``psql \copy`` of the final fact rows, the ceiling of the load step.

The fact rows are exported from the curated zone to a CSV file first (not timed); then psql loads
them into a copy of ``star.sales_fact`` (same columns, keys and indexes) in one transaction, as the
loader does: truncate, then COPY.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

from psycopg import sql

from lakehouse.config import Settings
from lakehouse.errors import ServiceError
from lakehouse.resources.object_store import open_delta
from lakehouse.resources.warehouse import connect, read_credentials
from lakehouse.schema.star import SALES_FACT
from lakehouse.stack.postgres_cluster import find_bindir
from lakehouse.warehouse.ddl import SCHEMA
from lakehouse.warehouse.load_table import BATCH_ROWS, batch_to_csv

#: Scratch schema of the baseline table, dropped afterwards.
BASELINE_SCHEMA = "bench_baseline"


def copy_fact_with_psql(settings: Settings, scratch: Path) -> tuple[float, int]:
    r"""Time ``psql \copy`` of the curated fact rows into a copy of the warehouse fact table.

    Returns:
        Seconds psql took and the rows it loaded.

    Raises:
        ServiceError: When psql is missing or fails.
    """
    csv_file, rows = export_fact(settings, scratch / f"{SALES_FACT.name}.csv")
    columns = ", ".join(column.name for column in SALES_FACT.warehouse_columns)
    target = f"{BASELINE_SCHEMA}.{SALES_FACT.name}"
    _create_baseline_table(settings)
    try:
        started = time.perf_counter()
        run_psql(
            settings,
            f"truncate {target}",
            f"\\copy {target} ({columns}) from '{csv_file}' with (format csv)",
        )
        seconds = time.perf_counter() - started
    finally:
        _drop_baseline_schema(settings)
        csv_file.unlink(missing_ok=True)
    return seconds, rows


def export_fact(settings: Settings, target: Path) -> tuple[Path, int]:
    """Write the curated fact's warehouse columns to a CSV file, batch by batch; returns rows."""
    target.parent.mkdir(parents=True, exist_ok=True)
    columns = [column.name for column in SALES_FACT.warehouse_columns]
    dataset = open_delta(settings, SALES_FACT.name).to_pyarrow_dataset()
    rows = 0
    with target.open("wb") as sink:
        for batch in dataset.to_batches(columns=columns, batch_size=BATCH_ROWS):
            sink.write(batch_to_csv(batch))
            rows += batch.num_rows
    return target, rows


def find_psql() -> Path:
    """The ``psql`` client: on ``PATH``, else beside the PostgreSQL server binaries.

    Raises:
        ServiceError: When neither has one.
    """
    found = shutil.which("psql")
    if found:
        return Path(found)
    beside = find_bindir() / "psql"
    if beside.is_file():
        return beside
    raise ServiceError("psql not found on PATH nor beside the PostgreSQL server; run `make setup`")


def run_psql(settings: Settings, *commands: str) -> None:
    """Run ``commands`` with psql against the warehouse, in one transaction.

    Raises:
        ServiceError: When psql fails, with its message.
    """
    credentials = read_credentials(settings)
    conninfo = (
        f"host={credentials.host} port={credentials.port} dbname={credentials.dbname}"
        f" user={credentials.username}"
    )
    options = [arg for command in commands for arg in ("-c", command)]
    result = subprocess.run(
        [str(find_psql()), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", *options, conninfo],
        env={**os.environ, "PGPASSWORD": credentials.password},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise ServiceError(f"psql failed: {result.stderr.strip()}")


def _create_baseline_table(settings: Settings) -> None:
    schema, name = sql.Identifier(BASELINE_SCHEMA), SALES_FACT.name
    with connect(settings, autocommit=True) as connection:
        connection.execute(sql.SQL("create schema if not exists {}").format(schema))
        connection.execute(
            sql.SQL("create table {} (like {} including all)").format(
                sql.Identifier(BASELINE_SCHEMA, name), sql.Identifier(SCHEMA, name)
            )
        )


def _drop_baseline_schema(settings: Settings) -> None:
    with connect(settings, autocommit=True) as connection:
        connection.execute(
            sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(BASELINE_SCHEMA))
        )
