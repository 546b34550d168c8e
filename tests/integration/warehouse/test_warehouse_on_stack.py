"""The warehouse side on the embedded stack: schema, COPY loads, quality checks, marts, audit.

The warehouse database is shared by the whole test session, so the module loads the star tables
it needs from a curated bucket of its own and empties them (and refreshes the marts) at the end.
"""

import dataclasses
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pyspark.sql import SparkSession

from lakehouse.config import Settings
from lakehouse.errors import DataQualityError, ServiceError
from lakehouse.pipeline.audit import record_run
from lakehouse.pipeline.run_record import RunRecord
from lakehouse.resources.aws import make_client
from lakehouse.schema import STAR_TABLES, star_table
from lakehouse.stack.provision import create_bucket
from lakehouse.warehouse.create_schema import create_schema
from lakehouse.warehouse.load_table import load_table
from lakehouse.warehouse.quality_checks import run_quality_checks
from lakehouse.warehouse.refresh_mat_views import refresh_mat_views
from lakehouse.warehouse.sql_files import FIRST_PURCHASES, daily_tables, materialized_views
from spark_app.build_report import EntityCounts
from tests.helpers.star import (
    curated_rows,
    drop_curated,
    execute,
    publish_star,
    warehouse_rows,
)

pytestmark = pytest.mark.integration
D = Decimal


@pytest.fixture(scope="module")
def warehouse(stack: Settings, spark: SparkSession) -> Iterator[Settings]:
    """Star tables published to a curated bucket of this module's own and loaded."""
    lake = publish_star(spark, stack, "wh")
    create_schema(lake)
    for table in STAR_TABLES:
        load_table(lake, table)
    yield lake
    drop_curated(lake)
    refresh_mat_views(lake)


def test_create_schema_twice_keeps_the_tables_and_their_rows(warehouse: Settings) -> None:
    before = {table.name: warehouse_rows(warehouse, table.name) for table in STAR_TABLES}

    first = create_schema(warehouse)
    second = create_schema(warehouse)

    assert first == second
    assert {table.name: warehouse_rows(warehouse, table.name) for table in STAR_TABLES} == before


def test_create_schema_creates_the_star_tables_with_the_schema_sources_columns_and_types(
    warehouse: Settings,
) -> None:
    pg_types = {
        "text": "text",
        "date": "date",
        "integer": "integer",
        "bigint": "bigint",
        "smallint": "smallint",
        "money": "numeric(14,2)",
        "boolean": "boolean",
    }
    rows = execute(
        warehouse,
        "select table_name, column_name, case when data_type = 'numeric' then"
        " format('numeric(%s,%s)', numeric_precision, numeric_scale) else data_type end,"
        " is_nullable from information_schema.columns where table_schema = 'star'"
        " order by table_name, ordinal_position",
    )
    actual = {}
    for table_name, column, data_type, nullable in rows:
        actual.setdefault(table_name, []).append((column, data_type, nullable == "YES"))

    assert {name: actual.get(name) for name in (t.name for t in STAR_TABLES)} == {
        table.name: [(c.name, pg_types[c.type], c.nullable) for c in table.warehouse_columns]
        for table in STAR_TABLES
    }


def test_create_schema_creates_the_schemas_marts_and_audit_tables(warehouse: Settings) -> None:
    schemas = execute(
        warehouse,
        "select schema_name from information_schema.schemata"
        " where schema_name in ('star', 'audit', 'bi') order by 1",
    )
    marts = execute(warehouse, "select matviewname from pg_matviews where schemaname = 'star'")
    audit = execute(
        warehouse,
        "select table_name from information_schema.tables where table_schema = 'audit'",
    )

    assert schemas == [("audit",), ("bi",), ("star",)]
    assert sorted(marts) == [("mv_daily_sales_summary",), ("mv_product_performance",)]
    assert {("entity_counts",), ("pipeline_runs",)} <= set(audit)


def test_create_schema_creates_the_audit_quarantine_table_the_contract_names(
    warehouse: Settings,
) -> None:
    # CONTRACT.md 2: a quarantined row is written to the lake "and to `audit.quarantine`"
    tables = execute(
        warehouse,
        "select table_name from information_schema.tables"
        " where table_schema = 'audit' and table_name = 'quarantine'",
    )

    assert tables == [("quarantine",)]


@pytest.mark.parametrize("table", STAR_TABLES, ids=[table.name for table in STAR_TABLES])
def test_load_table_makes_the_warehouse_rows_equal_the_curated_rows(
    warehouse: Settings, spark: SparkSession, table
) -> None:
    loaded = load_table(warehouse, table, full=True)
    again = load_table(warehouse, table)

    expected = curated_rows(spark, warehouse, table.name)
    assert (loaded, again) == (len(expected), 0)
    assert warehouse_rows(warehouse, table.name) == expected


def test_load_table_keeps_null_and_empty_text_apart_and_quotes_survive(
    warehouse: Settings,
) -> None:
    customers = warehouse_rows(warehouse, "customer_dim")
    products = warehouse_rows(warehouse, "product_dim")

    assert customers[-1] == (2, "C2", "Bob Ray", None, "", "TX")
    assert products[1][2] == 'Desk "Pro", oak'
    assert products[2][4] is None


def test_load_table_again_replaces_the_rows_instead_of_appending(warehouse: Settings) -> None:
    fact = star_table("sales_fact")

    load_table(warehouse, fact, full=True)
    load_table(warehouse, fact, full=True)

    assert [row[1] for row in warehouse_rows(warehouse, "sales_fact")] == ["S1", "S2", "S3", "S4"]


def test_load_table_without_a_curated_table_names_the_missing_location(stack: Settings) -> None:
    empty = dataclasses.replace(
        stack, curated_bucket=f"{stack.curated_bucket}-{uuid.uuid4().hex[:8]}"
    )
    s3 = make_client(empty, "s3")
    create_bucket(s3, empty.curated_bucket, empty.region)
    url = empty.curated_url("customer_dim")
    try:
        with pytest.raises(ServiceError, match=f"no Delta table at {url}"):
            load_table(empty, star_table("customer_dim"))
    finally:
        s3.delete_bucket(Bucket=empty.curated_bucket)


def test_run_quality_checks_passes_when_the_warehouse_matches_the_curated_zone(
    warehouse: Settings,
) -> None:
    results = run_quality_checks(warehouse)

    assert sorted((result.name, result.passed) for result in results) == sorted(
        [
            ("dims_unknown_member", True),
            ("sales_fact_dangling_keys", True),
            ("sales_fact_measures", True),
        ]
        + [(f"{table.name} equals curated zone", True) for table in STAR_TABLES]
    )
    fact = next(r for r in results if r.name == "sales_fact equals curated zone")
    assert fact.totals == {
        "rows": 4,
        "quantity": 10,
        "gross_amount": D("90.11"),
        "discount": D("15.01"),
        "tax_amount": D("5.32"),
        "net_amount": D("80.42"),
    }


#: Each tampering breaks two expectations of the warehouse suites: the net rule and the totals,
#: or a dimension's row count and the fact's references to it.
SUITE_FAILURES = ["warehouse_suite", "warehouse_suite"]


@pytest.mark.parametrize(
    ("tamper", "reload", "failed_checks"),
    [
        # a net amount that no longer equals gross - discount + tax, and totals that differ
        (
            "update star.sales_fact set net_amount = net_amount + 1 where sale_id = 'S2'",
            "sales_fact",
            ["sales_fact_measures", "sales_fact equals curated zone", *SUITE_FAILURES],
        ),
        # the unknown customer is gone: a dimension without -1 and a fact key that dangles
        (
            "delete from star.customer_dim where customer_key = -1",
            "customer_dim",
            [
                "dims_unknown_member",
                "sales_fact_dangling_keys",
                "customer_dim equals curated zone",
                *SUITE_FAILURES,
            ],
        ),
        # a day missing from the calendar
        (
            "delete from star.date_dim where date_key = 20240228",
            "date_dim",
            ["sales_fact_dangling_keys", "date_dim equals curated zone", *SUITE_FAILURES],
        ),
    ],
)
def test_run_quality_checks_raises_naming_each_check_that_a_tampered_warehouse_fails(
    warehouse: Settings, tamper: str, reload: str, failed_checks: list[str]
) -> None:
    execute(warehouse, tamper)
    try:
        with pytest.raises(DataQualityError) as raised:
            run_quality_checks(warehouse)
    finally:
        load_table(warehouse, star_table(reload), full=True)

    message = str(raised.value)
    named = [line.split(":")[0].removeprefix("  - ") for line in message.splitlines()[1:]]
    assert message.startswith("gate quality_checks failed in the warehouse:")
    assert sorted(named) == sorted(failed_checks)


def test_refresh_mat_views_makes_the_daily_summary_add_up_to_the_sales_fact(
    warehouse: Settings,
) -> None:
    names = refresh_mat_views(warehouse)

    summary = execute(
        warehouse,
        "select sale_date, region, category, orders, units, gross_amount, discount, tax_amount,"
        " net_amount from star.mv_daily_sales_summary order by 1, 2, 3",
    )
    totals = execute(
        warehouse,
        "select (select (count(*), sum(quantity), sum(gross_amount), sum(discount),"
        " sum(tax_amount), sum(net_amount))::text from star.sales_fact),"
        " (select (sum(orders), sum(units), sum(gross_amount), sum(discount), sum(tax_amount),"
        " sum(net_amount))::text from star.mv_daily_sales_summary)",
    )
    daily = [table.name for table in daily_tables()]
    assert names == [*daily, FIRST_PURCHASES, *materialized_views()]
    assert summary == [
        (date(2024, 2, 28), "South", "Office", 1, 2, D("20.01"), D("0.00"), D("0.00"), D("20.01")),
        (date(2024, 2, 28), "West", "Lighting", 1, 1, D("0.13"), D("0.01"), D("0.02"), D("0.14")),
        (date(2024, 3, 1), "South", "Lighting", 1, 4, D("10.00"), D("10.00"), D("0.80"), D("0.80")),
        (date(2024, 3, 1), "South", "Office", 1, 3, D("59.97"), D("5.00"), D("4.50"), D("59.47")),
    ]
    assert totals[0][0] == totals[0][1]


def test_create_schema_turns_objects_of_an_older_releases_kinds_into_todays(
    warehouse: Settings,
) -> None:
    # Older releases: the sale lines and the daily slices materialized, the marts plain views,
    # the customers' daily slices a table.
    execute(warehouse, "drop view bi.customer_daily_sales")
    execute(warehouse, "create table bi.customer_daily_sales as select 1 as sale_date")
    execute(warehouse, "drop table bi.store_daily_sales cascade")
    execute(warehouse, "drop view bi.base_sales_lines")
    execute(warehouse, "create materialized view bi.base_sales_lines as select 1 as sale_date")
    execute(warehouse, "create materialized view bi.store_daily_sales as select 1 as sale_date")
    execute(warehouse, "drop materialized view star.mv_product_performance cascade")
    execute(warehouse, "create view star.mv_product_performance as select 1 as units")

    create_schema(warehouse)
    refresh_mat_views(warehouse)

    kinds = execute(
        warehouse,
        "select relnamespace::regnamespace::text || '.' || relname, relkind"
        " from pg_catalog.pg_class where relnamespace in ('bi'::regnamespace, 'star'::regnamespace)"
        " and (relkind in ('m', 'v') or relkind = 'r' and relnamespace = 'bi'::regnamespace)"
        " order by 1",
    )
    assert kinds == [
        ("bi.base_sales_lines", "v"),
        ("bi.customer_daily_sales", "v"),
        ("bi.customer_daily_totals", "r"),
        ("bi.customer_first_purchases", "r"),
        ("bi.daily_sales", "v"),
        ("bi.product_daily_sales", "r"),
        ("bi.product_monthly_rank", "v"),
        ("bi.store_daily_sales", "r"),
        ("star.mv_daily_sales_summary", "m"),
        ("star.mv_product_performance", "m"),
    ]
    assert execute(warehouse, "select sum(net_amount) from bi.store_daily_sales") == execute(
        warehouse, "select sum(net_amount) from star.sales_fact"
    )


def test_refresh_mat_views_ranks_products_by_net_revenue_within_category_and_month(
    warehouse: Settings,
) -> None:
    refresh_mat_views(warehouse)

    rows = execute(
        warehouse,
        "select product_id, year_month, units, net_revenue, rank_in_category"
        " from star.mv_product_performance order by 1, 2",
    )
    assert rows == [
        ("P1", "2024-02", 2, D("20.01"), 1),
        ("P1", "2024-03", 3, D("59.47"), 1),
        ("P2", "2024-02", 1, D("0.14"), 1),
        ("P2", "2024-03", 4, D("0.80"), 1),
    ]


def test_record_run_writes_the_run_and_its_entity_counts_and_updates_the_run_on_finish(
    warehouse: Settings,
) -> None:
    run_id = f"test-{uuid.uuid4().hex[:8]}"
    record = RunRecord(run_id, date(2024, 3, 1), "/data/source", datetime(2024, 3, 1, tzinfo=UTC))
    record.entities = {
        "sales": EntityCounts(5, 3, 1, 1, {"missing:sale_id": 1}, {"customer_dim": 2}),
        "customers": EntityCounts(2, 2, 0, 0),
    }
    try:
        record_run(warehouse, record)
        record.status, record.step_seconds = "succeeded", {"land_raw": 1.5}
        record_run(warehouse, record)

        runs = execute(
            warehouse,
            f"select run_id, run_date, source_dir, status, failed_step, step_seconds::text"
            f" from audit.pipeline_runs where run_id = '{run_id}'",
        )
        counts = execute(
            warehouse,
            f"select entity, rows_read, rows_loaded, rows_quarantined, rows_duplicate,"
            f" reasons::text, orphans::text from audit.entity_counts"
            f" where run_id = '{run_id}' order by entity",
        )
    finally:
        execute(warehouse, f"delete from audit.entity_counts where run_id = '{run_id}'")
        execute(warehouse, f"delete from audit.pipeline_runs where run_id = '{run_id}'")

    assert runs == [
        (run_id, date(2024, 3, 1), "/data/source", "succeeded", None, '{"land_raw": 1.5}')
    ]
    assert counts == [
        ("customers", 2, 2, 0, 0, "{}", "{}"),
        ("sales", 5, 3, 1, 1, '{"missing:sale_id": 1}', '{"customer_dim": 2}'),
    ]
