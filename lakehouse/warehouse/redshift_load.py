"""A star table's load on Redshift, through the Data API: its changes, or its whole snapshot.

Redshift sits in private subnets and the aws DAG reaches it only through the Data API, where a
temporary table does not outlive its call. The Glue job leaves, per table, an export state and
two COPY manifests in the curated zone (:mod:`lakehouse.warehouse.copy_manifest`). As on the
local profile (:func:`lakehouse.warehouse.loaded_versions.plan_load`), a table that holds the
export before this one applies only the changes since (staged by COPY, the newest change per key
kept, then deleted and inserted by key), in one transaction with its ``audit.loaded_versions``
row; one that holds this export is left as it is. Otherwise the whole snapshot is staged in a
table of the ``staging`` schema, its keys are checked against the warehouse's
(:mod:`lakehouse.warehouse.keep_keys`), and only then does one transaction replace the table's
rows with it: a snapshot that lacks a key the warehouse holds changes nothing.
"""

from typing import Any

from lakehouse.config import RedshiftTarget, Settings, require_redshift
from lakehouse.errors import ServiceError
from lakehouse.resources.aws import make_client
from lakehouse.resources.redshift_data import (
    StatementWait,
    fetch_row,
    fetch_rows,
    poll_until_finished,
    run_batch,
    sql_literal,
)
from lakehouse.schema import StarTable
from lakehouse.warehouse.copy_manifest import (
    CopyExport,
    changes_manifest_key,
    export_key,
    manifest_key,
    read_export,
)
from lakehouse.warehouse.ddl import qualified_name
from lakehouse.warehouse.history import history_lost_error
from lakehouse.warehouse.keep_keys import (
    RELOAD_REFUSED,
    judge_kept_keys,
    kept_keys_sql,
)
from lakehouse.warehouse.loaded_versions import DeltaVersion, LoadMode, plan_load

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
        f"create table {stage} (like {qualified_name(table)})",
        f"copy {stage} ({columns}) from '{manifest_url}'"
        f" iam_role '{iam_role}' format as parquet manifest",
    ]


def replace_statements(table: StarTable) -> list[str]:
    """Replace the star table's rows with the staged ones, then drop the stage."""
    stage, target, columns = staging_table(table), qualified_name(table), _columns(table)
    return [
        f"delete from {target}",  # noqa: S608 (names from the schema module)
        f"insert into {target} ({columns}) select {columns} from {stage}",  # noqa: S608
        f"drop table {stage}",
    ]


def latest_changes_table(table: StarTable) -> str:
    """The table that holds the newest staged change per key of ``table``."""
    return f"{staging_table(table)}_latest"


def change_statements(table: StarTable, manifest_url: str, iam_role: str) -> list[str]:
    """Stage the changes the manifest lists, keep the newest per key, apply them by key.

    In one commit a row beats its delete (an overwrite deletes every row and inserts the new).
    """
    changes, latest = f"{staging_table(table)}_changes", latest_changes_table(table)
    target, columns, key = qualified_name(table), _columns(table), table.key
    return [
        f"create schema if not exists {STAGING_SCHEMA}",
        f"drop table if exists {changes}",
        f"drop table if exists {latest}",
        f"create table {changes} as select {columns}, ''::varchar(16) as _change_type,"  # noqa: S608
        f" 0::bigint as _commit_version from {target} where 1 = 0",
        f"copy {changes} from {sql_literal(manifest_url)}"
        f" iam_role {sql_literal(iam_role)} format as parquet manifest",
        f"create table {latest} as select {columns}, _change_type from ("  # noqa: S608
        f"select *, row_number() over (partition by {key} order by _commit_version desc,"
        " case when _change_type = 'delete' then 0 else 1 end desc) as _rank"
        f" from {changes}) as ranked where _rank = 1",
        f"delete from {target} using {latest} as latest"  # noqa: S608
        f" where {table.name}.{key} = latest.{key}",
        f"insert into {target} ({columns}) select {columns} from {latest}"  # noqa: S608
        " where _change_type <> 'delete'",
        f"drop table {changes}",
    ]


def record_statements(table: StarTable, export: CopyExport, mode: LoadMode) -> list[str]:
    """Record that the table holds ``export``, with the rows ``mode`` applied."""
    applied = latest_changes_table(table) if mode is LoadMode.INCREMENTAL else qualified_name(table)
    values = ", ".join(map(sql_literal, (table.name, export.table_id)))
    drop = [f"drop table {applied}"] if mode is LoadMode.INCREMENTAL else []
    return [
        f"delete from audit.loaded_versions where table_name = {sql_literal(table.name)}",  # noqa: S608
        "insert into audit.loaded_versions"  # noqa: S608 (literals and names of the project)
        " (table_name, delta_table_id, delta_version, load_mode, rows_applied)"
        f" select {values}, {export.version}, {sql_literal(mode.value)}, count(*) from {applied}",
        *drop,
    ]


def load_table_on_redshift(settings: Settings, table: StarTable, poll_seconds: float) -> int:
    """Bring ``table`` on the settings' Redshift up to the Glue job's export; the rows it holds.

    Args:
        settings: The aws profile's settings: the curated bucket, the endpoint, the Redshift.
        table: The star table.
        poll_seconds: Longest pause between two checks of a running statement.

    Raises:
        ConfigError: The settings name no Redshift, or no role for its COPY.
        HistoryLostError: The snapshot lacks keys the warehouse holds; nothing changed.
        ServiceError: The Glue job left no export of the table, or a statement failed (with
            Redshift's error).
    """
    target = require_redshift(settings)
    client = make_client(settings, "redshift-data")
    wait = poll_until_finished(poll_seconds)
    export = read_export(make_client(settings, "s3"), settings.curated_bucket, table.name)
    if export is None:
        raise ServiceError(
            f"no COPY export of {table.name} in {settings.curated_url(export_key(table.name))}:"
            " run_glue_etl writes it; run it first"
        )
    mode, rows = _plan(client, target, table, export, wait)
    if mode is LoadMode.SKIP:
        return rows
    if mode is LoadMode.INCREMENTAL:
        manifest_url = settings.curated_url(changes_manifest_key(table.name))
        statements = change_statements(table, manifest_url, target.copy_role())
        run_batch(client, target, statements + record_statements(table, export, mode), wait)
    else:
        _reload(settings, client, target, table, wait, export)
    return _count_rows(client, target, table, wait)


def _plan(
    client: Any, target: RedshiftTarget, table: StarTable, export: CopyExport, wait: StatementWait
) -> tuple[LoadMode, int]:
    """How to load, and the rows the table holds now.

    The changes only when the table holds the export they start from.
    """
    held = fetch_rows(
        client,
        target,
        "select delta_table_id, delta_version from audit.loaded_versions"  # noqa: S608
        f" where table_name = {sql_literal(table.name)}",
        wait,
    )
    rows = _count_rows(client, target, table, wait)
    loaded = DeltaVersion(held[0][0], int(held[0][1])) if held else None
    mode = plan_load(loaded, DeltaVersion(export.table_id, export.version), rows == 0)
    if mode is LoadMode.INCREMENTAL and (loaded is None or export.changes_since != loaded.version):
        return LoadMode.FULL, rows
    return mode, rows


def _count_rows(client: Any, target: RedshiftTarget, table: StarTable, wait: StatementWait) -> int:
    (rows,) = fetch_row(client, target, f"select count(*) from {qualified_name(table)}", wait)  # noqa: S608
    return int(rows)


def _reload(
    settings: Settings,
    client: Any,
    target: RedshiftTarget,
    table: StarTable,
    wait: StatementWait,
    export: CopyExport,
) -> None:
    """Replace the table's rows with the export's snapshot, once its keys are checked."""
    manifest_url = settings.curated_url(manifest_key(table.name))
    run_batch(client, target, stage_statements(table, manifest_url, target.copy_role()), wait)
    kept = fetch_row(client, target, kept_keys_sql(table, staging_table(table)), wait)
    loss = judge_kept_keys(table, kept)
    if loss is not None:
        run_batch(client, target, [f"drop table {staging_table(table)}"], wait)
        raise history_lost_error([loss], settings.curated_url(), RELOAD_REFUSED)
    statements = replace_statements(table) + record_statements(table, export, LoadMode.FULL)
    run_batch(client, target, statements, wait)


def _columns(table: StarTable) -> str:
    return ", ".join(column.name for column in table.warehouse_columns)
