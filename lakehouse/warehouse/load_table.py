"""Load one star table from the curated zone into the warehouse: the changes, or the snapshot.

A load brings ``star.<table>`` up to the curated Delta table's current version. When the
warehouse already holds an earlier version of the same table and the change data feed covers
the versions since, only the changed rows are applied (see :mod:`apply_changes`); otherwise the
whole snapshot replaces the table: copied straight in when the table is empty, else staged and
swapped in only once it keeps every key the warehouse holds (:mod:`keep_keys`). Rows stream as CSV
into ``COPY FROM STDIN``, so no step holds a whole table in memory.
"""

import io
import logging
from collections.abc import Iterable, Iterator

import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv
from deltalake import DeltaTable
from deltalake.exceptions import DeltaError
from psycopg import sql

from lakehouse.config import Settings
from lakehouse.errors import ServiceError
from lakehouse.resources.object_store import open_delta
from lakehouse.resources.warehouse import connect
from lakehouse.schema import StarTable
from lakehouse.warehouse.apply_changes import (
    CHANGE_COLUMNS,
    create_stage,
    feed_enabled,
    merge_stage,
    read_changes,
)
from lakehouse.warehouse.days_to_refresh import mark_all_days
from lakehouse.warehouse.ddl import SCHEMA
from lakehouse.warehouse.held_keys import holds_rows
from lakehouse.warehouse.keep_keys import (
    check_keys_kept,
    create_snapshot_stage,
    replace_from_stage,
)
from lakehouse.warehouse.loaded_versions import (
    DeltaVersion,
    LoadMode,
    plan_load,
    read_loaded_version,
    record_loaded_version,
)
from lakehouse.warehouse.star_names import star_identifier
from lakehouse.warehouse.warehouse_rows import connection_rows

log = logging.getLogger(__name__)
BATCH_ROWS = 200_000
#: Batches and files read ahead of the COPY. With Arrow's defaults (16 and 4) the reader ran far
#: ahead of PostgreSQL: Python grew by about 1.5 GB while loading a 10,000,000-line fact.
READ_AHEAD = {"batch_readahead": 2, "fragment_readahead": 1}
#: What reading a change data feed that does not cover the versions raises (log or files gone).
_FEED_ERRORS = (DeltaError, pa.ArrowException, OSError, ServiceError)


def load_table(settings: Settings, table: StarTable, *, full: bool = False) -> int:
    """Bring ``star.<table>`` up to the curated table in one transaction; returns rows applied.

    Readers see the old rows until the commit. ``full`` copies the whole snapshot regardless.
    """
    with connect(settings) as connection:
        rows = load_into(connection, settings, table, full=full)
        connection.commit()
    return rows


def load_into(
    connection: psycopg.Connection, settings: Settings, table: StarTable, *, full: bool = False
) -> int:
    """Bring ``star.<table>`` up to the curated table inside the caller's transaction.

    Returns the rows applied: changed rows, or every row on a full reload, 0 when up to date.
    """
    delta = open_delta(settings, table.name)
    current = DeltaVersion(delta.metadata().id, delta.version())
    loaded = read_loaded_version(connection, table)
    empty = not holds_rows(connection_rows(connection), table)
    mode = LoadMode.FULL if full else plan_load(loaded, current, empty)
    if mode is LoadMode.SKIP:
        return 0
    rows = None
    if mode is LoadMode.INCREMENTAL:
        rows = apply_feed(connection, settings, table, delta, loaded.version + 1)
    if rows is None:
        reloaded = reload_table(connection, table, delta, settings.curated_url(), empty=empty)
        mode, rows = LoadMode.FULL, reloaded
    record_loaded_version(connection, table, current, mode, rows)
    log.info(
        "%s.%s: %s load to version %s, %s rows", SCHEMA, table.name, mode, current.version, rows
    )
    return rows


def apply_feed(
    connection: psycopg.Connection,
    settings: Settings,
    table: StarTable,
    delta: DeltaTable,
    start: int,
) -> int | None:
    """Apply the change data feed from version ``start`` to ``delta``'s; returns rows changed.

    ``None``, with nothing changed, when the feed does not cover those versions (it was off, or
    its log or files are gone): the caller then reloads the whole table.
    """
    columns = [column.name for column in table.warehouse_columns]
    try:
        with connection.transaction():
            if not (feed_enabled(open_delta(settings, table.name, start)) and feed_enabled(delta)):
                return None
            stage = create_stage(connection, table)
            changes = read_changes(delta, start, delta.version(), columns)
            with connection.cursor() as cursor:
                copy_rows(cursor, stage, [*columns, *CHANGE_COLUMNS], changes)
            return merge_stage(connection, table, stage)
    except _FEED_ERRORS as error:
        log.warning("change data feed of %s unusable (%s); reloading it whole", table.name, error)
        return None


def reload_table(
    connection: psycopg.Connection,
    table: StarTable,
    delta: DeltaTable,
    curated_url: str,
    *,
    empty: bool,
) -> int:
    """Replace ``star.<table>`` with the snapshot, in the caller's transaction; rows copied.

    An ``empty`` table gets the snapshot by COPY directly. A table with rows gets it staged
    first and replaced only when the stage keeps every key that the table holds.

    Raises:
        HistoryLostError: The snapshot lacks keys the table holds (``curated_url`` is named as
            where the curated zone is); the table is unchanged once the caller rolls back.
    """
    columns = [column.name for column in table.warehouse_columns]
    snapshot = read_snapshot(delta, table, columns)
    mark_all_days(connection)
    with connection.cursor() as cursor:
        if empty:
            return copy_rows(cursor, star_identifier(table), columns, snapshot)
        rows = copy_rows(cursor, create_snapshot_stage(connection, table), columns, snapshot)
    check_keys_kept(connection, table, curated_url)
    replace_from_stage(connection, table)
    return rows


def read_snapshot(
    delta: DeltaTable, table: StarTable, columns: list[str]
) -> Iterator[pa.RecordBatch]:
    """The snapshot's ``columns``, streamed in batches of :data:`BATCH_ROWS` rows.

    Raises:
        ServiceError: When a file of the snapshot cannot be read.
    """
    try:
        yield from delta.to_pyarrow_dataset().to_batches(
            columns=columns, batch_size=BATCH_ROWS, **READ_AHEAD
        )
    except (DeltaError, pa.ArrowException, OSError) as error:
        raise ServiceError(
            f"cannot read the curated table {table.name} at {delta.table_uri} ({error});"
            " rebuild it with `lakehouse run`"
        ) from error


def copy_rows(
    cursor: psycopg.Cursor,
    target: sql.Identifier,
    columns: list[str],
    batches: Iterable[pa.RecordBatch],
) -> int:
    """COPY the batches into ``target``'s ``columns``; returns rows copied."""
    column_list = sql.SQL(", ").join(map(sql.Identifier, columns))
    statement = sql.SQL("copy {} ({}) from stdin (format csv)").format(target, column_list)
    rows = 0
    with cursor.copy(statement) as copy:
        for batch in batches:
            copy.write(batch_to_csv(batch))
            rows += batch.num_rows
    return rows


def batch_to_csv(batch: pa.RecordBatch) -> bytes:
    """CSV text of a batch for COPY: no header, NULL as an unquoted empty field."""
    buffer = io.BytesIO()
    options = pa_csv.WriteOptions(include_header=False, quoting_style="needed")
    pa_csv.write_csv(batch, buffer, write_options=options)
    return buffer.getvalue()
