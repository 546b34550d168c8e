"""Load one star table from the curated Delta snapshot into the warehouse with COPY FROM STDIN."""

import io
import logging

import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv
from psycopg import sql

from lakehouse.config import Settings
from lakehouse.resources.object_store import open_delta
from lakehouse.resources.warehouse import connect
from lakehouse.schema import StarTable
from lakehouse.warehouse.ddl import SCHEMA

log = logging.getLogger(__name__)
BATCH_ROWS = 200_000


def load_table(settings: Settings, table: StarTable) -> int:
    """Replace ``star.<table>`` with the curated snapshot in one transaction; returns rows loaded.

    Streams Arrow record batches from the Delta snapshot as CSV into ``COPY FROM STDIN``, so no
    step holds the whole table in memory. Readers see the old rows until the commit.
    """
    columns = [column.name for column in table.warehouse_columns]
    batches = (
        open_delta(settings, table.name)
        .to_pyarrow_dataset()
        .to_batches(columns=columns, batch_size=BATCH_ROWS)
    )
    with connect(settings) as connection:
        rows = copy_batches(connection, table, columns, batches)
        connection.commit()
    log.info("loaded %s rows into %s.%s", rows, SCHEMA, table.name)
    return rows


def copy_batches(
    connection: psycopg.Connection,
    table: StarTable,
    columns: list[str],
    batches: "pa.RecordBatchReader | list[pa.RecordBatch]",
) -> int:
    """Truncate the table and COPY the batches into it, inside the caller's transaction."""
    target = sql.Identifier(SCHEMA, table.name)
    column_list = sql.SQL(", ").join(map(sql.Identifier, columns))
    rows = 0
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("truncate {}").format(target))
        statement = sql.SQL("copy {} ({}) from stdin (format csv)").format(target, column_list)
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
