"""Before the ETL builds anything: stop a run whose curated zone lost the warehouse's history.

For every star table that the warehouse holds rows of, the curated Delta table must be the one the
warehouse loaded (the same Delta table id, at the loaded version or a later one; only the Delta
log is read), or, when it was re-created or no version is recorded, have at least the
warehouse's rows and its whole key range (Delta log statistics against count, min and max in the
warehouse). Otherwise the run stops with one :class:`HistoryLostError` before anything changes.
Whether every key is still there is checked again when a full reload would replace warehouse rows
(:mod:`lakehouse.warehouse.keep_keys`).

`lakehouse run`, the local DAG's ``run_glue_etl`` and the aws DAG's (before it starts the Glue
job) call :func:`check_history`.
"""

import logging

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import DeltaTable

from lakehouse.config import Settings
from lakehouse.resources.object_store import find_delta
from lakehouse.schema import STAR_TABLES, StarTable
from lakehouse.warehouse.held_keys import read_held_tables, read_key_range
from lakehouse.warehouse.history import (
    KeyRange,
    Lineage,
    LostHistory,
    history_lost_error,
    judge_replaced,
    trace_lineage,
)
from lakehouse.warehouse.loaded_versions import DeltaVersion
from lakehouse.warehouse.warehouse_rows import Rows, warehouse_rows

log = logging.getLogger(__name__)
#: What a run stopped by this check did, for the message.
RUN_STOPPED = "the run stopped before changing anything"


def check_history(settings: Settings) -> None:
    """Raise unless every curated star table still holds what the warehouse holds of it.

    Raises:
        HistoryLostError: Naming each table, the rows and keys on each side and the ways out.
        ServiceError: When the warehouse or the object store cannot be reached (the warehouse
            over psycopg, or a Redshift through the Data API).
    """
    with warehouse_rows(settings) as rows:
        held = read_held_tables(rows)
        losses = [
            loss
            for table in STAR_TABLES
            if table.name in held and (loss := find_loss(rows, settings, table, held[table.name]))
        ]
    if losses:
        raise history_lost_error(losses, settings.curated_url(), RUN_STOPPED)


def find_loss(
    rows: Rows,
    settings: Settings,
    table: StarTable,
    loaded: DeltaVersion | None,
) -> LostHistory | None:
    """The history the curated ``table`` lost of what the warehouse holds, if any.

    Reads only the curated table's Delta log when it is the ``loaded`` table; counts and key
    ranges on both sides otherwise.
    """
    delta = find_delta(settings, table.name)
    current = DeltaVersion(delta.metadata().id, delta.version()) if delta else None
    lineage = trace_lineage(loaded, current)
    log.info("history of %s: the curated table is %s", table.name, lineage)
    if lineage is Lineage.SAME:
        return None
    curated = curated_key_range(delta, table) if delta else None
    return judge_replaced(table.name, read_key_range(rows, table), curated)


def curated_key_range(delta: DeltaTable, table: StarTable) -> KeyRange:
    """Rows and key range of a curated table's snapshot, from its Delta log's file statistics.

    Reads the key column itself only when a file has no statistics.
    """
    actions = pa.table(delta.get_add_actions(flatten=True))
    stats = ["num_records", f"min.{table.key}", f"max.{table.key}"]
    if not actions.num_rows:
        return KeyRange(0)
    if all(name in actions.column_names for name in stats):
        counts, firsts, lasts = (actions.column(name) for name in stats)
        if not any(column.null_count for column in (counts, firsts, lasts)):
            return KeyRange(pc.sum(counts).as_py(), pc.min(firsts).as_py(), pc.max(lasts).as_py())
    return scan_key_range(delta, table)


def scan_key_range(delta: DeltaTable, table: StarTable) -> KeyRange:
    """Rows and key range of the snapshot, read from its key column."""
    keys = delta.to_pyarrow_dataset().to_table(columns=[table.key]).column(table.key)
    if not len(keys):
        return KeyRange(0)
    bounds = pc.min_max(keys)
    return KeyRange(len(keys), bounds["min"].as_py(), bounds["max"].as_py())
