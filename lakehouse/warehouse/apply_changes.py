"""Apply a curated table's change data feed to its warehouse table: stage, keep the newest, swap.

The feed's rows (inserts, update post-images and deletes, each with its commit version) are
copied into a temporary staging table; SQL keeps the newest change per key, drops the changes the
warehouse already holds, then deletes and inserts by key, all in the caller's transaction.
"""

from collections.abc import Iterator

import psycopg
import pyarrow as pa
from deltalake import DeltaTable
from psycopg import sql

from lakehouse.schema import StarTable
from lakehouse.warehouse.days_to_refresh import mark_days_after, mark_days_before
from lakehouse.warehouse.star_names import star_identifier

CHANGE_TYPE, COMMIT_VERSION = "_change_type", "_commit_version"
#: The feed's own columns, staged after the table's warehouse columns.
CHANGE_COLUMNS = (CHANGE_TYPE, COMMIT_VERSION)
_FEED_PROPERTY = "delta.enableChangeDataFeed"

_CREATE_STAGE = """
create temporary table {stage} on commit drop as
select *, ''::text as _change_type, 0::bigint as _commit_version from {target} with no data
"""
# Newest change per key: the highest commit version; in one commit, a row beats its delete.
_KEEP_NEWEST = """
delete from {stage} as older using {stage} as newer
where newer.{key} = older.{key}
    and (newer._commit_version, newer._change_type <> 'delete')
    > (older._commit_version, older._change_type <> 'delete')
"""
_DROP_UNCHANGED = """
delete from {stage} as s using {target} as t
where t.{key} = s.{key} and s._change_type <> 'delete'
    and ({target_columns}) is not distinct from ({stage_columns})
"""
_DROP_ABSENT_DELETES = """
delete from {stage} as s
where s._change_type = 'delete' and not exists (select from {target} as t where t.{key} = s.{key})
"""
_DELETE = "delete from {target} as t using {stage} as s where t.{key} = s.{key}"
_INSERT = (
    "insert into {target} ({columns}) select {columns} from {stage} as s"
    " where s._change_type <> 'delete'"
)


def feed_enabled(delta: DeltaTable) -> bool:
    """Whether the change data feed is on in this version of the table."""
    return delta.metadata().configuration.get(_FEED_PROPERTY, "").lower() == "true"


def read_changes(
    delta: DeltaTable, start: int, end: int, columns: list[str]
) -> Iterator[pa.RecordBatch]:
    """Changes of versions ``start`` to ``end``, streamed: rows after each commit and deletes.

    Update pre-images are left out. Text comes as plain strings (CSV writers need them).
    """
    reader = delta.load_cdf(
        starting_version=start,
        ending_version=end,
        columns=[*columns, *CHANGE_COLUMNS],
        predicate=f"{CHANGE_TYPE} != 'update_preimage'",
    )
    for batch in pa.RecordBatchReader.from_stream(reader):
        yield batch.cast(_plain_strings(batch.schema))


def _plain_strings(schema: pa.Schema) -> pa.Schema:
    return pa.schema(
        field.with_type(pa.string()) if pa.types.is_string_view(field.type) else field
        for field in schema
    )


def create_stage(connection: psycopg.Connection, table: StarTable) -> sql.Identifier:
    """A temporary table of the table's warehouse columns plus the feed's, dropped at commit."""
    stage = sql.Identifier(f"changes_{table.name}")
    connection.execute(sql.SQL(_CREATE_STAGE).format(stage=stage, target=star_identifier(table)))
    return stage


def merge_stage(connection: psycopg.Connection, table: StarTable, stage: sql.Identifier) -> int:
    """Apply the staged changes to ``star.<table>`` by key; returns the rows that changed.

    Marks the sale days the changes touch, for the refresh of the daily tables.
    """
    names = [column.name for column in table.warehouse_columns]
    parts = {
        "stage": stage,
        "target": star_identifier(table),
        "key": sql.Identifier(table.key),
        "columns": sql.SQL(", ").join(map(sql.Identifier, names)),
        "target_columns": sql.SQL(", ").join(sql.Identifier("t", name) for name in names),
        "stage_columns": sql.SQL(", ").join(sql.Identifier("s", name) for name in names),
    }
    for statement in (_KEEP_NEWEST, _DROP_UNCHANGED, _DROP_ABSENT_DELETES):
        connection.execute(sql.SQL(statement).format(**parts))
    (changed,) = connection.execute(sql.SQL("select count(*) from {}").format(stage)).fetchone()
    if changed:
        mark_days_before(connection, table, stage)
        for statement in (_DELETE, _INSERT):
            connection.execute(sql.SQL(statement).format(**parts))
        mark_days_after(connection, table, stage)
    return changed
