"""The dashboards' query layer: parameterized reads of the ``bi`` views, nothing else.

Every function takes an open warehouse connection (autocommit) and returns plain values or a
pandas DataFrame ready to chart; the measures come from :mod:`lakehouse.dashboard.measures`.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

import pandas as pd
import psycopg
from psycopg import sql

from lakehouse.dashboard.filters import Filters, where_clause
from lakehouse.dashboard.measures import KPIS, growth, measure

_NOT_READY = (psycopg.errors.UndefinedTable, psycopg.errors.ObjectNotInPrerequisiteState)


class WarehouseState(StrEnum):
    """Whether the dashboards have data to show."""

    READY = "ready"
    MISSING = "missing"  # no bi views, or materialized views never refreshed
    EMPTY = "empty"  # the views exist but hold no sales


@dataclass(frozen=True)
class FilterOptions:
    """What the filters can choose from: the date range with sales, regions and categories."""

    first_date: date
    last_date: date
    regions: tuple[str, ...]
    categories: tuple[str, ...]


def warehouse_state(connection: psycopg.Connection) -> WarehouseState:
    """Whether ``bi.daily_sales`` exists, is populated and has at least one row."""
    try:
        row = connection.execute("select count(*) from bi.daily_sales").fetchone()
    except _NOT_READY:
        return WarehouseState.MISSING
    return WarehouseState.READY if row and row[0] else WarehouseState.EMPTY


def filter_options(connection: psycopg.Connection) -> FilterOptions:
    """Sale date range, regions and categories present in ``bi.daily_sales``."""
    first, last = connection.execute(
        "select min(sale_date), max(sale_date) from bi.daily_sales"
    ).fetchone()
    regions = connection.execute(
        "select distinct region from bi.daily_sales where region is not null order by 1"
    ).fetchall()
    categories = connection.execute(
        "select distinct category from bi.daily_sales where category is not null order by 1"
    ).fetchall()
    return FilterOptions(first, last, tuple(r[0] for r in regions), tuple(c[0] for c in categories))


def kpis(connection: psycopg.Connection, filters: Filters) -> dict[str, Decimal | int | None]:
    """Revenue, orders, units, AOV, discount rate and tax, each with growth vs the previous period.

    Growth compares with the period of the same length right before ``filters.start``; it is
    ``None`` when the previous period has no sales.
    """
    where, params = where_clause(filters, start=filters.previous_start)
    query = sql.SQL(
        "with periods as (select case when sale_date >= %(current_start)s then 'current'"
        " else 'previous' end as period, {measures} from bi.daily_sales where {where}"
        " group by 1),"
        " current_period as (select * from periods where period = 'current'),"
        " previous_period as (select * from periods where period = 'previous')"
        " select {current}, {growths} from current_period"
        " left join previous_period on 1 = 1"
    ).format(
        measures=sql.SQL(", ").join(measure(name) for name in KPIS),
        where=where,
        current=sql.SQL(", ").join(sql.Identifier("current_period", name) for name in KPIS),
        growths=sql.SQL(", ").join(growth(name) for name in KPIS),
    )
    cursor = connection.execute(query, {**params, "current_start": filters.start})
    row = cursor.fetchone()
    names = [column.name for column in cursor.description]
    return dict(zip(names, row, strict=True)) if row else dict.fromkeys(names)


def grouped(
    connection: psycopg.Connection,
    view: str,
    dimensions: tuple[str, ...],
    measures: tuple[str, ...],
    filters: Filters,
    *,
    order_by: str | None = None,
    limit: int | None = None,
    ascending: bool = False,
    where: str | None = None,
) -> pd.DataFrame:
    """Measures of one bi view by some of its columns, filtered; measures as floats for charts.

    Args:
        connection: Open warehouse connection.
        view: Name of a view in schema ``bi``.
        dimensions: Columns to group by (in output order); none gives one row of totals.
        measures: Names from :data:`~lakehouse.dashboard.measures.MEASURES`.
        filters: Date range, regions, categories.
        order_by: A measure or dimension to sort by; ``None`` sorts by the dimensions.
        limit: Rows to return at most.
        ascending: Sort ``order_by`` smallest first (bottom-N) instead of largest first.
        where: An extra fixed condition on the view's columns (no user input).
    """
    clause, params = where_clause(filters)
    if where:
        clause = sql.SQL("{} and {}").format(clause, sql.SQL(where))
    columns = [*map(sql.Identifier, dimensions), *(measure(m, as_float=True) for m in measures)]
    positions = sql.SQL(", ").join(sql.Literal(i + 1) for i in range(len(dimensions)))
    direction = sql.SQL("asc" if ascending else "desc")
    order = sql.SQL("{} {}").format(sql.Identifier(order_by), direction) if order_by else positions
    grouping = sql.SQL(" group by {} order by {}").format(positions, order) if dimensions else None
    query = sql.SQL("select {} from {} where {}{}{}").format(
        sql.SQL(", ").join(columns),
        sql.Identifier("bi", view),
        clause,
        grouping or sql.SQL(""),
        sql.SQL(" limit {}").format(sql.Literal(limit)) if limit else sql.SQL(""),
    )
    cursor = connection.execute(query, params)
    return pd.DataFrame(cursor.fetchall(), columns=[c.name for c in cursor.description])


def customer_kpis(connection: psycopg.Connection, filters: Filters) -> dict[str, Decimal | int]:
    """Known customers who bought in the range, new (first purchase in the range) and returning.

    The view's rows are summed per customer first, so the distinct counts run over one row per
    customer instead of one per customer, day, region and category.
    """
    clause, params = where_clause(filters)
    query = sql.SQL(
        "with per_customer as (select customer_key, first_purchase_date,"
        " sum(net_amount) as net_amount from bi.customer_daily_sales"
        " where is_known_customer and {} group by customer_key, first_purchase_date)"
        " select count(distinct customer_key) as customers,"
        " count(distinct case when first_purchase_date >= %(start)s then customer_key end)"
        " as new_customers,"
        " count(distinct case when first_purchase_date < %(start)s then customer_key end)"
        " as returning_customers, {} from per_customer"
    ).format(clause, measure("revenue_per_customer"))
    cursor = connection.execute(query, params)
    return dict(zip([c.name for c in cursor.description], cursor.fetchone(), strict=True))


def category_leaders(
    connection: psycopg.Connection, filters: Filters, top: int = 3
) -> pd.DataFrame:
    """The ``top`` products by net revenue per category and month of the range (all regions)."""
    first, last = filters.months
    params: dict[str, object] = {"first": first, "last": last, "top": top}
    categories = sql.SQL("")
    if filters.categories:
        names = [f"category_{index}" for index in range(len(filters.categories))]
        placeholders = sql.SQL(", ").join(map(sql.Placeholder, names))
        categories = sql.SQL(" and category in ({})").format(placeholders)
        params.update(zip(names, filters.categories, strict=True))
    query = sql.SQL(
        "select year_month, category, rank_in_category, product_name, brand, units,"
        " cast(net_revenue as double precision) as revenue from bi.product_monthly_rank"
        " where year_month between %(first)s and %(last)s"
        " and rank_in_category <= %(top)s{} order by 1 desc, 2, 3"
    ).format(categories)
    cursor = connection.execute(query, params)
    return pd.DataFrame(cursor.fetchall(), columns=[c.name for c in cursor.description])
