"""Before a full reload replaces warehouse rows: every key the warehouse holds is in the snapshot.

The snapshot is staged first (in a temporary table; on Redshift in a staging table, see
:mod:`lakehouse.warehouse.redshift_load`). One anti-join checks that every (surrogate key,
natural key) pair of ``star.<table>``, the unknown member ``-1`` included, is in the stage with the
same natural key; only then are the rows replaced. Otherwise :class:`HistoryLostError` is raised
and nothing is replaced, so a surrogate key is never given to two natural keys and no history is
dropped. The check's SQL runs on PostgreSQL and on Redshift (the aws load runs it).
"""

from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import sql

from lakehouse.schema import StarTable
from lakehouse.warehouse.ddl import qualified_name
from lakehouse.warehouse.history import KeyRange, LostHistory, history_lost_error, judge_snapshot
from lakehouse.warehouse.star_names import star_identifier

#: What a refused full reload did instead, for the message.
RELOAD_REFUSED = "a full reload would drop it, so the load changed nothing"
#: The columns of the check's one row, in order.
KEPT_KEYS_COLUMNS = (
    "held_rows",
    "held_first",
    "held_last",
    "staged_rows",
    "staged_first",
    "staged_last",
    "missing",
)
_KEPT_KEYS = """
with held as (
    select count(*) as held_rows, min({key}) as held_first, max({key}) as held_last
    from {target}
),

staged as (
    select count(*) as staged_rows, min({key}) as staged_first, max({key}) as staged_last
    from {stage}
),

lost as (
    select count(*) as missing
    from {target} as t
    where not exists (
        select 1 from {stage} as s
        where s.{key} = t.{key}{same_natural_key}
    )
)

select {columns}
from held cross join staged cross join lost
"""


def stage_name(table: StarTable) -> str:
    """Name of the temporary table that holds ``table``'s staged snapshot."""
    return f"snapshot_{table.name}"


def kept_keys_sql(table: StarTable, stage: str) -> str:
    """The check's query: each side's rows and key range, and the warehouse keys not staged.

    Identifiers come from the schema module, never from input.
    """
    natural_key = table.natural_key
    same = f" and s.{natural_key} = t.{natural_key}" if natural_key else ""
    return _KEPT_KEYS.format(
        key=table.key,
        target=qualified_name(table),
        stage=stage,
        same_natural_key=same,
        columns=", ".join(KEPT_KEYS_COLUMNS),
    ).strip()


def judge_kept_keys(table: StarTable, row: Sequence[Any]) -> LostHistory | None:
    """The history lost according to one row of :func:`kept_keys_sql`; ``None`` when none is."""
    held_rows, held_first, held_last, staged_rows, staged_first, staged_last, missing = row
    return judge_snapshot(
        table.name,
        table.natural_key,
        KeyRange(held_rows, held_first, held_last),
        KeyRange(staged_rows, staged_first, staged_last),
        missing,
    )


def create_snapshot_stage(connection: psycopg.Connection, table: StarTable) -> sql.Identifier:
    """A temporary table shaped like ``star.<table>``, dropped at commit."""
    stage = sql.Identifier(stage_name(table))
    target = star_identifier(table)
    statement = sql.SQL("create temporary table {} (like {}) on commit drop")
    connection.execute(statement.format(stage, target))
    return stage


def check_keys_kept(connection: psycopg.Connection, table: StarTable, curated_url: str) -> None:
    """Raise unless the staged snapshot keeps every key that ``star.<table>`` holds.

    Raises:
        HistoryLostError: Naming the table, the rows and keys on each side and the ways out.
    """
    row = connection.execute(kept_keys_sql(table, stage_name(table))).fetchone()
    loss = judge_kept_keys(table, row)
    if loss is not None:
        raise history_lost_error([loss], curated_url, RELOAD_REFUSED)


def replace_from_stage(connection: psycopg.Connection, table: StarTable) -> None:
    """Replace every row of ``star.<table>`` with the staged snapshot's."""
    columns = sql.SQL(", ").join(sql.Identifier(c.name) for c in table.warehouse_columns)
    target, stage = star_identifier(table), sql.Identifier(stage_name(table))
    connection.execute(sql.SQL("truncate {}").format(target))
    insert = sql.SQL("insert into {} ({}) select {} from {}")
    connection.execute(insert.format(target, columns, columns, stage))
