"""A star table's load on Redshift, through the Data API: its COPY manifest, checked, swapped in.

Redshift sits in private subnets and the aws DAG reaches it only through the Data API, where a
temporary table does not outlive its call: the snapshot that the Glue job lists in the table's
COPY manifest (``s3://<curated>/_copy_manifests/<table>.manifest``) is staged in a table of the
``staging`` schema, its keys are checked against the warehouse's
(:mod:`lakehouse.warehouse.keep_keys`), and only then does one transaction replace the table's
rows with it. A snapshot that lacks a key the warehouse holds changes nothing.
"""

from lakehouse.config import Settings, require_redshift
from lakehouse.resources.aws import make_client
from lakehouse.resources.redshift_data import fetch_row, poll_until_finished, run_batch
from lakehouse.schema import StarTable
from lakehouse.warehouse.copy_manifest import manifest_key
from lakehouse.warehouse.ddl import SCHEMA
from lakehouse.warehouse.history import history_lost_error
from lakehouse.warehouse.keep_keys import (
    KEPT_KEYS_COLUMNS,
    RELOAD_REFUSED,
    judge_kept_keys,
    kept_keys_sql,
)

#: Schema of the tables that hold a staged snapshot between the Data API's calls.
STAGING_SCHEMA = "staging"


def staging_table(table: StarTable) -> str:
    """The table that holds ``table``'s staged snapshot."""
    return f"{STAGING_SCHEMA}.{table.name}"


def stage_statements(table: StarTable, manifest_url: str, iam_role: str) -> list[str]:
    """Stage the snapshot that the manifest lists: a fresh table like the star table, then COPY.

    Identifiers come from the schema module, never from input.
    """
    stage, columns = staging_table(table), _columns(table)
    return [
        f"create schema if not exists {STAGING_SCHEMA}",
        f"drop table if exists {stage}",
        f"create table {stage} (like {SCHEMA}.{table.name})",
        f"copy {stage} ({columns}) from '{manifest_url}'"
        f" iam_role '{iam_role}' format as parquet manifest",
    ]


def replace_statements(table: StarTable) -> list[str]:
    """Replace the star table's rows with the staged ones, then drop the stage."""
    stage, target, columns = staging_table(table), f"{SCHEMA}.{table.name}", _columns(table)
    return [
        f"delete from {target}",  # noqa: S608 (names from the schema module)
        f"insert into {target} ({columns}) select {columns} from {stage}",  # noqa: S608
        f"drop table {stage}",
    ]


def load_table_on_redshift(settings: Settings, table: StarTable, poll_seconds: float) -> int:
    """Load ``table``'s curated snapshot into the settings' Redshift; returns the rows it holds.

    Args:
        settings: The aws profile's settings: the curated bucket, the endpoint, the Redshift.
        table: The star table.
        poll_seconds: Longest pause between two checks of a running statement.

    Raises:
        ConfigError: The settings name no Redshift, or no role for its COPY.
        HistoryLostError: The snapshot lacks keys the warehouse holds; nothing changed.
        ServiceError: A statement failed (with Redshift's error).
    """
    target = require_redshift(settings)
    client = make_client(settings, "redshift-data")
    wait = poll_until_finished(poll_seconds)
    manifest_url = settings.curated_url(manifest_key(table.name))
    run_batch(client, target, stage_statements(table, manifest_url, target.copy_role()), wait)
    kept = fetch_row(client, target, kept_keys_sql(table, staging_table(table)), wait)
    loss = judge_kept_keys(table, kept)
    if loss is not None:
        run_batch(client, target, [f"drop table {staging_table(table)}"], wait)
        raise history_lost_error([loss], settings.curated_url(), RELOAD_REFUSED)
    run_batch(client, target, replace_statements(table), wait)
    return int(kept[KEPT_KEYS_COLUMNS.index("staged_rows")])


def _columns(table: StarTable) -> str:
    return ", ".join(column.name for column in table.warehouse_columns)
