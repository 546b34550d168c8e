"""The sale days whose derived rows a load changed, kept in ``audit.days_to_refresh``.

A load marks them in its own transaction; the refresh (:mod:`refresh_mat_views`) rewrites the
daily tables' rows of those days and clears the marks. A changed fact row marks its day before
and after the change; a dimension member whose attributes changed marks every day of its sales;
a full reload marks :data:`ALL_DAYS`. New members and new calendar days mark nothing: no sale
line changes until a fact row points at them, which marks its own day.
"""

import psycopg
from psycopg import sql

from lakehouse.schema import StarTable
from lakehouse.schema.star import DATE_DIM, SALES_FACT
from lakehouse.warehouse.star_names import star_identifier

#: The ``date_key`` that stands for every day.
ALL_DAYS = 0
#: ``(schema, name)`` of the table of marks.
DAYS_TABLE = ("audit", "days_to_refresh")
_TABLE = sql.Identifier(*DAYS_TABLE)
_INSERT = "insert into {days} (date_key) {select} on conflict do nothing"
# Days of the fact rows that point at a staged key (the fact's own rows, or a member's sales).
_KEYED_SALES = """
select distinct sales.date_key from {fact} as sales
inner join {stage} as staged on sales.{key} = staged.{key}
"""
_STAGED_SALES = "select distinct date_key from {stage} where _change_type <> 'delete'"
_UPDATES_MEMBERS = """
select exists (
    select from {stage} as staged inner join {target} as held on staged.{key} = held.{key}
)
"""


def mark_days_before(
    connection: psycopg.Connection, table: StarTable, stage: sql.Identifier
) -> None:
    """Mark the days of the sale lines that the staged changes of ``table`` will change.

    Called with the stage holding only rows that change the table, before they are applied.
    """
    if table.name == DATE_DIM.name:
        return
    parts = {"stage": stage, "key": sql.Identifier(table.key), "target": star_identifier(table)}
    if table.name != SALES_FACT.name and not _fetch(connection, _UPDATES_MEMBERS, parts):
        return
    _mark(connection, _KEYED_SALES, {**parts, "fact": star_identifier(SALES_FACT)})


def mark_days_after(
    connection: psycopg.Connection, table: StarTable, stage: sql.Identifier
) -> None:
    """Mark the days of the fact rows the staged changes of ``table`` inserted or updated."""
    if table.name == SALES_FACT.name:
        _mark(connection, _STAGED_SALES, {"stage": stage})


def mark_all_days(connection: psycopg.Connection) -> None:
    """Mark every day: a whole table was reloaded."""
    connection.execute(
        sql.SQL(_INSERT).format(days=_TABLE, select=sql.SQL("values ({})").format(ALL_DAYS))
    )


def read_marked_days(connection: psycopg.Connection) -> set[int]:
    """The marked ``date_key`` values (:data:`ALL_DAYS` among them after a full reload)."""
    rows = connection.execute(sql.SQL("select date_key from {}").format(_TABLE)).fetchall()
    return {row[0] for row in rows}


def clear_marked_days(connection: psycopg.Connection) -> None:
    """Remove every mark, in the refresh's transaction."""
    connection.execute(sql.SQL("delete from {}").format(_TABLE))


def _mark(connection: psycopg.Connection, select: str, parts: dict[str, sql.Composable]) -> None:
    statement = sql.SQL(_INSERT).format(days=_TABLE, select=sql.SQL(select).format(**parts))
    connection.execute(statement)


def _fetch(connection: psycopg.Connection, query: str, parts: dict[str, sql.Composable]) -> bool:
    return bool(connection.execute(sql.SQL(query).format(**parts)).fetchone()[0])
