"""Step ``refresh_mat_views``: bring what derives from the star up to date after a load.

The daily tables first, by the days the loads touched, then the marts. The daily tables
(``warehouse_sql/daily``) hold a row per day and slice; a refresh deletes and
inserts the rows of the days that :mod:`days_to_refresh` marked, reading the sale lines of those
days only, so its cost follows the day's changes, not the history. The marts' materialized views
then refresh in full from the daily tables, which are far smaller than the sale lines.
"""

from datetime import datetime

import psycopg
from psycopg import sql

from lakehouse.config import Profile, Settings
from lakehouse.resources.warehouse import connect
from lakehouse.warehouse.days_to_refresh import ALL_DAYS, clear_marked_days, read_marked_days
from lakehouse.warehouse.sql_files import DailyTable, daily_tables, materialized_views

_EVERY_DAY = sql.SQL("true")
_DELETE = "delete from {table} where {days}"
_INSERT = "insert into {table} select * from ({query}) as daily where {days}"
#: The table whose rows carry each customer's first purchase date, over every day.
FIRST_PURCHASES = "bi.customer_daily_sales"
_CUSTOMERS_OF_DAYS = "select distinct customer_key from {table} where {days}"
_TOUCHED_CUSTOMERS = sql.SQL(
    "create temporary table touched_customers on commit drop as " + _CUSTOMERS_OF_DAYS
)
_MORE_TOUCHED_CUSTOMERS = sql.SQL("insert into touched_customers " + _CUSTOMERS_OF_DAYS)
_SET_FIRST_PURCHASES = sql.SQL("""
update {table} as daily set first_purchase_date = firsts.first_purchase_date
from (
    select customer_key, min(sale_date) as first_purchase_date from {table}
    where customer_key in (select customer_key from touched_customers)
    group by customer_key
) as firsts
where daily.customer_key = firsts.customer_key
    and daily.first_purchase_date is distinct from firsts.first_purchase_date
""")


def refresh_mat_views(settings: Settings) -> list[str]:
    """Refresh the daily tables, then the materialized views, in one transaction.

    Every day is rewritten when a load reloaded a whole table, when a daily table is empty (new,
    or a warehouse of an older release), and on the ``aws`` profile, whose loads reload every
    table. Each object is analyzed too, so the pages' queries get plans that suit its rows.
    Returns the ``schema.name`` of each, in the order refreshed.
    """
    tables, views = daily_tables(), materialized_views()
    with connect(settings) as connection:
        marked = read_marked_days(connection)
        every_day = (
            settings.profile is Profile.AWS
            or ALL_DAYS in marked
            or not all(_has_rows(connection, table.name) for table in tables)
        )
        if every_day or marked:
            days = _EVERY_DAY if every_day else sale_days(marked)
            for table in tables:
                refresh_daily_table(connection, table, days)
        for name in views:
            connection.execute(sql.SQL("refresh materialized view {}").format(_name(name)))
        for name in [table.name for table in tables] + views:
            connection.execute(sql.SQL("analyze {}").format(_name(name)))
        clear_marked_days(connection)
        connection.commit()
    return [table.name for table in tables] + views


def refresh_daily_table(
    connection: psycopg.Connection, table: DailyTable, days: sql.Composable
) -> None:
    """Replace the rows of ``table`` on ``days`` with those its query gives now."""
    parts = {"table": _name(table.name), "query": sql.SQL(table.query), "days": days}
    first_purchases = table.name == FIRST_PURCHASES
    if first_purchases:
        connection.execute(_TOUCHED_CUSTOMERS.format(**parts))
    for statement in (_DELETE, _INSERT):
        connection.execute(sql.SQL(statement).format(**parts))
    if first_purchases:
        connection.execute(_MORE_TOUCHED_CUSTOMERS.format(**parts))
        connection.execute(_SET_FIRST_PURCHASES.format(**parts))


def sale_days(date_keys: set[int]) -> sql.Composable:
    """A condition on ``sale_date`` that keeps the days of ``date_keys`` (``YYYYMMDD``).

    A list of values, not a subquery: PostgreSQL pushes it down through the daily queries'
    grouping to the calendar, and so reads the fact by its ``date_key`` index; a condition with
    a subquery stays above the grouping, which then reads every sale line.
    """
    days = sorted(datetime.strptime(str(key), "%Y%m%d").date() for key in date_keys)
    return sql.SQL("sale_date = any({})").format(sql.Literal(days))


def _has_rows(connection: psycopg.Connection, name: str) -> bool:
    statement = sql.SQL("select exists (select from {})").format(_name(name))
    return bool(connection.execute(statement).fetchone()[0])


def _name(name: str) -> sql.Identifier:
    return sql.Identifier(*name.split("."))
