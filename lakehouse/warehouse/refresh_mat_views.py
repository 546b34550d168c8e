"""Step ``refresh_mat_views``: bring what derives from the star up to date after a load.

The daily tables first, by the days the loads touched, then the customers' first purchases, then
the marts. The daily tables (``warehouse_sql/daily``) hold a row per day and slice; a refresh
deletes and inserts the rows of the days that :mod:`days_to_refresh` marked, reading the sale
lines of those days only, so its cost follows the day's changes, not the history. The marts'
materialized views then refresh in full from the daily tables, far smaller than the sale lines.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

import psycopg
from psycopg import sql

from lakehouse.config import Settings
from lakehouse.resources.warehouse import connect
from lakehouse.warehouse.days_to_refresh import ALL_DAYS, clear_marked_days, read_marked_days
from lakehouse.warehouse.held_keys import has_rows
from lakehouse.warehouse.redshift_refresh import refresh_on_redshift
from lakehouse.warehouse.sql_files import (
    CUSTOMER_TOTALS,
    FIRST_PURCHASES,
    DailyTable,
    daily_tables,
    materialized_views,
)
from lakehouse.warehouse.warehouse_rows import connection_rows

_DELETE = "delete from {table} where {days}"
# Every day: emptied at once (inside the transaction, as a DELETE would be) rather than deleted
# row by row; a cold day's refresh after a cleared 10 M-line history took 7.4 s, most of it this.
_EMPTY = "truncate {table}"
_INSERT = "insert into {table} select * from ({query}) as daily where {days}"
# A table's own indexes, not those behind a constraint (a primary key's, say).
_PLAIN_INDEXES = """
select index.relname, pg_get_indexdef(index.oid)
from pg_index
inner join pg_class as index on pg_index.indexrelid = index.oid
where pg_index.indrelid = %s::regclass
and not exists (select from pg_constraint where pg_constraint.conindid = pg_index.indexrelid)
"""
# A customer's first purchase can change only if the customer has rows on a rewritten day now,
# or had the first purchase on one.
_TOUCHED_CUSTOMERS = """
create temporary table touched_customers on commit drop as
select customer_key from {totals} where {sale_days}
union
select customer_key from {firsts} where {first_days}
"""
_FORGET_FIRSTS = """
delete from {firsts} where customer_key in (select customer_key from touched_customers)
"""
_FIND_FIRSTS = """
insert into {firsts} (customer_key, first_purchase_date)
select customer_key, min(sale_date) from {totals}
where customer_key in (select customer_key from touched_customers)
group by customer_key
"""


def refresh_mat_views(settings: Settings) -> list[str]:
    """Refresh the daily tables, the first purchases, then the marts, in one transaction.

    Every day is rewritten when a load reloaded a whole table, and when a daily table is empty
    (new, or a warehouse of an older release). Each object is analyzed too, so the pages'
    queries get plans that suit its rows. Returns the ``schema.name`` of each, in the order
    refreshed. On a Redshift (the aws profile, whose loads reload every table): every day,
    through the Data API (:func:`~lakehouse.warehouse.redshift_refresh.refresh_on_redshift`).
    """
    if settings.redshift is not None:
        return refresh_on_redshift(settings)
    tables, views = daily_tables(), materialized_views()
    names = [table.name for table in tables] + [FIRST_PURCHASES]
    with connect(settings) as connection:
        marked = read_marked_days(connection)
        every_day = ALL_DAYS in marked or not all(
            has_rows(connection_rows(connection), table.name) for table in tables
        )
        if every_day or marked:
            dates = None if every_day else marked_dates(marked)
            for table in tables:
                refresh_daily_table(connection, table, dates)
            refresh_first_purchases(connection, dates)
        for name in views:
            connection.execute(sql.SQL("refresh materialized view {}").format(_name(name)))
        for name in names + views:
            connection.execute(sql.SQL("analyze {}").format(_name(name)))
        clear_marked_days(connection)
        connection.commit()
    return names + views


def refresh_daily_table(
    connection: psycopg.Connection, table: DailyTable, dates: list[date] | None
) -> None:
    """Replace the rows of ``table`` on ``dates`` with those its query gives now.

    ``None``: every day, the table emptied first.
    """
    parts = {
        "table": _name(table.name),
        "query": sql.SQL(table.query),
        "days": on_days("sale_date", dates),
    }
    if dates is None:
        connection.execute(sql.SQL(_EMPTY).format(**parts))
        with indexes_built_after(connection, table.name):
            connection.execute(sql.SQL(_INSERT).format(**parts))
    else:
        for statement in (_DELETE, _INSERT):
            connection.execute(sql.SQL(statement).format(**parts))


@contextmanager
def indexes_built_after(connection: psycopg.Connection, table: str) -> Iterator[None]:
    """Drop the plain indexes of ``table`` for the block, and build them again after it.

    For a bulk insert into an empty table: one sort per index once the rows are in, instead of
    an index update per row (a full refresh of the 6.3 M rows of ``bi.customer_daily_totals``
    at 10 M lines inserted in 35 s with its two indexes, 24 s without, and built them in 3 s).
    """
    indexes = connection.execute(_PLAIN_INDEXES, (table,)).fetchall()
    schema, _ = table.split(".")
    for index, _ in indexes:
        connection.execute(sql.SQL("drop index {}").format(sql.Identifier(schema, index)))
    yield
    for _, definition in indexes:
        connection.execute(definition)


def refresh_first_purchases(connection: psycopg.Connection, dates: list[date] | None) -> None:
    """Find again the first purchase of each customer the rewrite of ``dates`` may have changed.

    ``None``: every day was rewritten, so every customer.
    """
    parts = {
        "totals": _name(CUSTOMER_TOTALS),
        "firsts": _name(FIRST_PURCHASES),
        "sale_days": on_days("sale_date", dates),
        "first_days": on_days("first_purchase_date", dates),
    }
    for statement in (_TOUCHED_CUSTOMERS, _FORGET_FIRSTS, _FIND_FIRSTS):
        connection.execute(sql.SQL(statement).format(**parts))


def marked_dates(date_keys: set[int]) -> list[date]:
    """The dates of ``date_keys`` (``YYYYMMDD``), in order."""
    return sorted(datetime.strptime(str(key), "%Y%m%d").date() for key in date_keys)


def on_days(column: str, dates: list[date] | None) -> sql.Composable:
    """A condition that keeps the rows whose ``column`` is one of ``dates`` (every row: ``None``).

    A list of values, not a subquery: PostgreSQL pushes it down through the daily queries'
    grouping to the calendar, and so reads the fact by its ``date_key`` index; a condition with
    a subquery stays above the grouping, which then reads every sale line.
    """
    if dates is None:
        return sql.SQL("true")
    return sql.SQL("{} = any({})").format(sql.Identifier(column), sql.Literal(dates))


def _name(name: str) -> sql.Identifier:
    return sql.Identifier(*name.split("."))
