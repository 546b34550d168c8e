"""The query layer against PostgreSQL: every KPI equals the value computed here from the rows."""

from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import psycopg
import pytest

from lakehouse.config import Settings
from lakehouse.dashboard import queries
from lakehouse.dashboard.filters import Filters
from lakehouse.resources.warehouse import connect
from tests.integration.dashboard.conftest import CUSTOMERS, LINES, LOCATIONS, PRODUCTS, Line

pytestmark = pytest.mark.integration
CURRENT = Filters(date(2024, 3, 5), date(2024, 3, 8))
REGION = {row[0]: row[5] for row in LOCATIONS}
CATEGORY = {row[0]: row[3] for row in PRODUCTS}
STATE = {row[0]: row[5] for row in CUSTOMERS}


def chosen(filters: Filters, start: date | None = None) -> list[Line]:
    start = start or filters.start
    return [
        line
        for line in LINES
        if start <= line.sale_date <= filters.end
        and (not filters.regions or REGION[line.location_key] in filters.regions)
        and (not filters.categories or CATEGORY[line.product_key] in filters.categories)
    ]


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def expected_kpis(lines: list[Line]) -> dict[str, Decimal]:
    revenue, gross = sum(x.net for x in lines), sum(x.gross for x in lines)
    return {
        "revenue": revenue,
        "orders": len(lines),
        "units": sum(x.quantity for x in lines),
        "aov": cents(revenue / len(lines)),
        "discount_rate": sum(x.discount for x in lines) / gross,
        "tax": sum(x.tax for x in lines),
    }


@pytest.fixture(scope="module")
def connection(known_warehouse: Settings) -> Iterator[psycopg.Connection]:
    with connect(known_warehouse, autocommit=True) as opened:
        yield opened


@pytest.mark.parametrize(
    "filters",
    [
        CURRENT,  # all regions and categories
        Filters(CURRENT.start, CURRENT.end, regions=("South",)),  # one region
        Filters(CURRENT.start, CURRENT.end, categories=("Office",)),  # one category
        Filters(CURRENT.start, CURRENT.end, ("South", "West"), ("Office", "Lighting")),  # both
    ],
    ids=["all", "south", "office", "two-of-each"],
)
def test_kpis_equal_the_sums_of_the_known_lines_with_growth_over_the_previous_period(
    connection: psycopg.Connection, filters: Filters
) -> None:
    current = expected_kpis(chosen(filters))
    previous = expected_kpis([x for x in chosen(filters, filters.previous_start)
                              if x.sale_date < filters.start])  # fmt: skip

    actual = queries.kpis(connection, filters)

    assert {name: actual[name] for name in current} == pytest.approx(current)
    for name, value in current.items():
        expected_growth = float((value - previous[name]) / previous[name])
        assert float(actual[f"{name}_growth"]) == pytest.approx(expected_growth)


def test_kpis_of_a_range_without_sales_are_empty(connection: psycopg.Connection) -> None:
    actual = queries.kpis(connection, Filters(date(2023, 1, 1), date(2023, 1, 2)))

    assert set(actual.values()) == {None}


def test_revenue_by_region_and_by_category_equal_the_known_lines(
    connection: psycopg.Connection,
) -> None:
    lines = chosen(CURRENT)

    by_region = queries.grouped(connection, "daily_sales", ("region",), ("revenue",), CURRENT)
    by_category = queries.grouped(
        connection, "store_daily_sales", ("category",), ("revenue", "orders"), CURRENT
    )

    assert dict(by_region.itertuples(index=False)) == pytest.approx(
        {
            r: float(sum(x.net for x in lines if REGION[x.location_key] == r))
            for r in ("South", "West")
        }
    )
    # measures come back as double precision cast from exact numerics: equal to float(Decimal)
    assert [tuple(row) for row in by_category.itertuples(index=False)] == [
        (name, float(sum(x.net for x in lines if CATEGORY[x.product_key] == name)),
         sum(1 for x in lines if CATEGORY[x.product_key] == name))
        for name in ("Lighting", "Office")
    ]  # fmt: skip


def test_top_and_bottom_products_are_ordered_by_revenue(connection: psycopg.Connection) -> None:
    revenue = {}
    for line in chosen(CURRENT):
        revenue[line.product_key] = revenue.get(line.product_key, 0) + line.net
    ranked = sorted(revenue, key=revenue.get, reverse=True)

    top = queries.grouped(connection, "product_daily_sales", ("product_key",), ("revenue",),
                          CURRENT, order_by="revenue", limit=2)  # fmt: skip
    bottom = queries.grouped(connection, "product_daily_sales", ("product_key",), ("revenue",),
                             CURRENT, order_by="revenue", ascending=True, limit=1)  # fmt: skip

    assert top["product_key"].tolist() == ranked[:2]
    assert top["revenue"].tolist() == pytest.approx([float(revenue[k]) for k in ranked[:2]])
    assert bottom["product_key"].tolist() == ranked[-1:]


def test_customer_kpis_count_new_and_returning_known_customers(
    connection: psycopg.Connection,
) -> None:
    known = [line for line in chosen(CURRENT) if line.customer_key != -1]
    customers = {line.customer_key for line in known}
    first = {key: min(x.sale_date for x in LINES if x.customer_key == key) for key in customers}

    actual = queries.customer_kpis(connection, CURRENT)

    assert actual == {
        "customers": len(customers),
        "new_customers": sum(1 for key in customers if first[key] >= CURRENT.start),
        "returning_customers": sum(1 for key in customers if first[key] < CURRENT.start),
        "revenue_per_customer": cents(sum(x.net for x in known) / len(customers)),
    }


def test_revenue_by_customer_state_and_by_store_equal_the_known_lines(
    connection: psycopg.Connection,
) -> None:
    lines = chosen(CURRENT)
    by_state = queries.grouped(connection, "customer_daily_sales", ("customer_state",),
                               ("revenue", "customers"), CURRENT)  # fmt: skip
    by_store = queries.grouped(connection, "store_daily_sales", ("location_id",),
                               ("revenue", "stores"), CURRENT)  # fmt: skip

    assert [tuple(r) for r in by_state.itertuples(index=False)] == [
        (state, float(sum(x.net for x in lines if STATE[x.customer_key] == state)),
         len({x.customer_key for x in lines if STATE[x.customer_key] == state}))
        for state in sorted({STATE[x.customer_key] for x in lines})
    ]  # fmt: skip
    assert [tuple(r) for r in by_store.itertuples(index=False)] == [
        (f"L{key}", float(sum(x.net for x in lines if x.location_key == key)), 1) for key in (1, 2)
    ]


def test_category_leaders_rank_products_by_net_revenue_per_month(
    connection: psycopg.Connection,
) -> None:
    leaders = queries.category_leaders(connection, Filters(date(2024, 3, 1), date(2024, 3, 31)), 1)

    # March, Office: Desk 98.00 + 108.00 + 106.92 = 312.92 beats Chair 102.60 + 194.40 = 297.00
    assert leaders[["category", "rank_in_category", "product_name"]].values.tolist() == [
        ["Lighting", 1, "Lamp"],
        ["Office", 1, "Desk"],
    ]


def test_warehouse_state_tells_missing_empty_and_ready_apart(
    known_warehouse: Settings, empty_warehouse: Settings, bare_warehouse: Settings
) -> None:
    states = {}
    for name, settings in (("bare", bare_warehouse), ("empty", empty_warehouse),
                           ("known", known_warehouse)):  # fmt: skip
        with connect(settings, autocommit=True) as opened:
            states[name] = queries.warehouse_state(opened)

    assert states == {
        "bare": queries.WarehouseState.MISSING,
        "empty": queries.WarehouseState.EMPTY,
        "known": queries.WarehouseState.READY,
    }


def test_bi_role_reads_the_bi_and_star_schemas_only(known_warehouse: Settings) -> None:
    with connect(known_warehouse) as opened:
        opened.execute("set role lakehouse_bi")
        bi_rows = opened.execute("select count(*) from bi.daily_sales").fetchone()
        star_rows = opened.execute("select count(*) from star.sales_fact").fetchone()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            opened.execute("select count(*) from audit.pipeline_runs")
        opened.rollback()

    # one row per sale date, region and category: each known line has its own
    assert (bi_rows, star_rows) == ((len(LINES),), (len(LINES),))


def test_bi_role_reads_every_table_view_and_materialized_view_of_bi_and_star(
    known_warehouse: Settings,
) -> None:
    with connect(known_warehouse) as opened:
        relations = opened.execute(
            "select relname, relkind, has_table_privilege('lakehouse_bi', oid, 'select')"
            " from pg_catalog.pg_class"
            " where relnamespace in ('bi'::regnamespace, 'star'::regnamespace)"
            " and relkind in ('r', 'm', 'v') order by 1"
        ).fetchall()

    assert {kind for _, kind, _ in relations} == {"r", "m", "v"}
    assert [name for name, _, readable in relations if not readable] == []
