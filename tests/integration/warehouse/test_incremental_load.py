"""Incremental warehouse loads on the embedded stack: the change data feed, fallbacks, atomicity.

Each test publishes the small star of tests/helpers/star.py to a curated bucket of its own, loads
it (a full reload), changes the curated tables with Spark as the job does (MERGE, overwrite,
delete) and loads again.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from delta.tables import DeltaTable
from pyspark.sql import SparkSession

from lakehouse.config import Settings
from lakehouse.errors import ServiceError
from lakehouse.ingest.raw_zone import list_keys
from lakehouse.resources.aws import make_client
from lakehouse.schema import STAR_TABLES, StarTable
from lakehouse.schema.star import CUSTOMER_DIM, LOCATION_DIM, SALES_FACT
from lakehouse.warehouse.days_to_refresh import ALL_DAYS
from lakehouse.warehouse.load_star import load_star
from lakehouse.warehouse.load_table import load_table
from lakehouse.warehouse.refresh_mat_views import refresh_mat_views
from lakehouse.warehouse.sql_files import daily_tables
from spark_app.delta_io import publish_overwrite, publish_upsert
from spark_app.schemas import spark_schema
from tests.helpers.frames import local_frame
from tests.helpers.star import (
    S5_NEW,
    STAR_ROWS,
    D,
    curated_rows,
    execute,
    loaded_versions,
    star_state,
    warehouse_rows,
)

pytestmark = pytest.mark.integration
NOTHING = {table.name: 0 for table in STAR_TABLES}
#: What the dashboards read, and the column of each that adds up to the fact's net amount.
BI_REVENUE = {
    "bi.daily_sales": "net_amount",
    "bi.customer_daily_sales": "net_amount",
    "bi.product_daily_sales": "net_amount",
    "bi.store_daily_sales": "net_amount",
    "bi.product_monthly_rank": "net_revenue",
}
S1 = STAR_ROWS["sales_fact"][0]
S2_CORRECTED = (2, "S2", 2, 2, 2, 20240228, 3, D("0.39"), D("0.01"), D("0.02"), D("0.40"),
                "C2", "P2", "L2", 202402)  # fmt: skip


def upsert_fact(spark: SparkSession, lake: Settings, rows: list[tuple]) -> None:
    frame = local_frame(spark, rows, spark_schema(SALES_FACT))
    publish_upsert(spark, frame, SALES_FACT, lake.curated_url(SALES_FACT.name))


def assert_warehouse_equals_curated(spark: SparkSession, lake: Settings) -> None:
    assert star_state(lake) == {
        table.name: curated_rows(spark, lake, table.name) for table in STAR_TABLES
    }


def delete_objects(lake: Settings, prefix: str, keep: str | None = None) -> None:
    s3 = make_client(lake, "s3")
    for key in list_keys(s3, lake.curated_bucket, prefix):
        if keep is None or not key.startswith(keep):
            s3.delete_object(Bucket=lake.curated_bucket, Key=key)


def test_the_first_load_is_a_full_reload_of_every_table_at_version_0(
    lake: Settings, spark: SparkSession
) -> None:
    assert_warehouse_equals_curated(spark, lake)
    assert loaded_versions(lake) == {
        name: ("full", 0, len(rows)) for name, rows in star_state(lake).items()
    }


def test_a_merge_of_corrections_and_new_rows_applies_only_the_changed_rows(
    lake: Settings, spark: SparkSession
) -> None:
    # S1 comes again unchanged: the MERGE rewrites it, the load leaves it alone
    upsert_fact(spark, lake, [S1, S2_CORRECTED, S5_NEW])

    applied = load_star(lake)

    assert applied == {**NOTHING, "sales_fact": 2}
    assert_warehouse_equals_curated(spark, lake)
    assert [row for row in warehouse_rows(lake, "sales_fact") if row[1] in ("S2", "S5")] == [
        S2_CORRECTED[:11],
        S5_NEW[:11],
    ]
    assert loaded_versions(lake)["sales_fact"] == ("incremental", 1, 2)


def bi_revenue(lake: Settings) -> dict[str, D]:
    """Total net revenue in each relation of :data:`BI_REVENUE`."""
    return {
        name: execute(lake, f"select sum({column}) from {name}")[0][0]
        for name, column in BI_REVENUE.items()
    }


def fact_revenue(lake: Settings) -> D:
    return execute(lake, "select sum(net_amount) from star.sales_fact")[0][0]


def test_the_bi_numbers_change_with_a_second_load_once_the_views_are_refreshed(
    lake: Settings, spark: SparkSession
) -> None:
    refresh_mat_views(lake)
    first = fact_revenue(lake)
    upsert_fact(spark, lake, [S2_CORRECTED, S5_NEW])

    load_star(lake)
    between = bi_revenue(lake)
    refresh_mat_views(lake)

    second = fact_revenue(lake)
    assert second != first
    assert between == dict.fromkeys(BI_REVENUE, first)  # stored: the first load's numbers
    assert bi_revenue(lake) == dict.fromkeys(BI_REVENUE, second)


def daily_rows(lake: Settings, day_filter: str) -> dict[str, list[tuple]]:
    """Every row of each daily table on the days ``day_filter`` (SQL on ``sale_date``) keeps."""
    return {
        table.name: execute(lake, f"select * from {table.name} where {day_filter} order by 1, 2, 3")
        for table in daily_tables()
    }


def bi_indexes(lake: Settings) -> list[tuple]:
    """Name and definition of every index in the bi schema."""
    return execute(
        lake, "select indexname, indexdef from pg_indexes where schemaname = 'bi' order by 1"
    )


def test_a_refresh_rewrites_the_days_a_load_touched_as_a_full_rebuild_would_and_no_other(
    lake: Settings, spark: SparkSession
) -> None:
    refresh_mat_views(lake)
    # 2024-03-01 is a day the batch leaves alone: a refresh that rewrote it would undo this.
    execute(
        lake, "update bi.store_daily_sales set units = units + 1000 where sale_date = '2024-03-01'"
    )
    s1 = STAR_ROWS["sales_fact"][0]
    s1_moved = (*s1[:5], 20240229, *s1[6:])  # C1's first purchase, a day later
    upsert_fact(spark, lake, [s1_moved])
    locations = [
        (*row[:2], "Harbour", *row[3:]) if row[1] == "L2" else row
        for row in STAR_ROWS["location_dim"]
    ]
    frame = local_frame(spark, locations, spark_schema(LOCATION_DIM))
    publish_overwrite(frame, LOCATION_DIM, lake.curated_url(LOCATION_DIM.name))

    load_star(lake)
    marked = execute(lake, "select date_key from audit.days_to_refresh order by 1")
    refresh_mat_views(lake)
    incremental = daily_rows(lake, "sale_date <> '2024-03-01'")
    untouched_units = execute(
        lake, "select sum(units) from bi.store_daily_sales where sale_date = '2024-03-01'"
    )
    first_purchases = execute(
        lake,
        "select distinct first_purchase_date from bi.customer_daily_sales where customer_id = 'C1'",
    )
    indexes = bi_indexes(lake)
    execute(lake, f"insert into audit.days_to_refresh values ({ALL_DAYS})")
    refresh_mat_views(lake)

    # A full rewrite drops the tables' indexes for its inserts and builds them again.
    assert bi_indexes(lake) == indexes
    assert {"customer_daily_totals_day", "customer_first_purchases_pkey"} <= {i for i, _ in indexes}
    # S1's day before and after the move; the sales of L2 (S2, on 2024-02-28)
    assert marked == [(20240228,), (20240229,)]
    assert execute(lake, "select count(*) from audit.days_to_refresh") == [(0,)]
    assert incremental == daily_rows(lake, "sale_date <> '2024-03-01'")
    assert ("Harbour",) in execute(lake, "select store_name from bi.store_daily_sales")
    assert untouched_units == [(2007,)]  # S3 and S4: 7 units on two rows, each marked + 1000
    assert first_purchases == [(date(2024, 2, 29),)]  # on 2024-03-01 too


@contextmanager
def noting(names: list[str], table: StarTable) -> Iterator[None]:
    names.append(table.name)
    yield


def test_loading_again_without_a_new_version_changes_nothing(lake: Settings) -> None:
    before, versions, order = star_state(lake), loaded_versions(lake), []

    applied = load_star(lake, lambda table: noting(order, table))
    again = load_table(lake, SALES_FACT)

    assert (applied, again) == (NOTHING, 0)
    assert (star_state(lake), loaded_versions(lake)) == (before, versions)
    assert order == [table.name for table in STAR_TABLES]  # dimensions first, the fact last


def test_an_overwritten_dimension_and_deleted_fact_rows_apply_only_what_changed(
    lake: Settings, spark: SparkSession
) -> None:
    unknown, ann, bob = STAR_ROWS["customer_dim"]
    customers = [unknown, (*ann[:3], "ann.lee@example.com", *ann[4:]), bob,
                 (3, "C3", "Cy Dee", None, "Reno", "NV")]  # fmt: skip
    frame = local_frame(spark, customers, spark_schema(CUSTOMER_DIM))
    publish_overwrite(frame, CUSTOMER_DIM, lake.curated_url(CUSTOMER_DIM.name))
    DeltaTable.forPath(spark, lake.curated_url(SALES_FACT.name)).delete("sale_id = 'S4'")

    applied = load_star(lake)

    assert applied == {**NOTHING, "customer_dim": 2, "sales_fact": 1}
    assert_warehouse_equals_curated(spark, lake)
    assert "S4" not in {row[1] for row in warehouse_rows(lake, "sales_fact")}


def turn_the_feed_off(spark: SparkSession, lake: Settings) -> None:
    url = lake.curated_url(SALES_FACT.name)
    spark.sql(f"alter table delta.`{url}` set tblproperties (delta.enableChangeDataFeed = false)")
    upsert_fact(spark, lake, [S2_CORRECTED])


def lose_the_change_files(spark: SparkSession, lake: Settings) -> None:
    upsert_fact(spark, lake, [S2_CORRECTED])
    delete_objects(lake, f"{SALES_FACT.name}/_change_data/")


def recreate_the_table(spark: SparkSession, lake: Settings) -> None:
    delete_objects(lake, f"{SALES_FACT.name}/")
    s1, _, s3, s4 = STAR_ROWS["sales_fact"]
    rows = [s1, S2_CORRECTED, s3, s4, S5_NEW]  # every key kept, as `lakehouse rebuild` does
    frame = local_frame(spark, rows, spark_schema(SALES_FACT))
    publish_overwrite(frame, SALES_FACT, lake.curated_url(SALES_FACT.name))


@pytest.mark.parametrize(
    "change",
    [
        # versions written while the feed was off
        turn_the_feed_off,
        # the feed's files vacuumed away: reading them fails midway, the load starts over
        lose_the_change_files,
        # the table deleted and written again: another table id, versions from 0
        recreate_the_table,
    ],
    ids=lambda change: change.__name__,
)
def test_a_change_the_feed_cannot_describe_falls_back_to_a_full_reload(
    lake: Settings, spark: SparkSession, change
) -> None:
    change(spark, lake)

    applied = load_star(lake)

    expected = curated_rows(spark, lake, SALES_FACT.name)
    assert applied == {**NOTHING, "sales_fact": len(expected)}
    assert_warehouse_equals_curated(spark, lake)
    assert loaded_versions(lake)["sales_fact"][::2] == ("full", len(expected))


def test_a_failure_in_the_fact_load_leaves_every_table_and_version_as_it_was(
    lake: Settings, spark: SparkSession
) -> None:
    customers = [*STAR_ROWS["customer_dim"], (3, "C3", "Cy Dee", None, "Reno", "NV")]
    frame = local_frame(spark, customers, spark_schema(CUSTOMER_DIM))
    publish_overwrite(frame, CUSTOMER_DIM, lake.curated_url(CUSTOMER_DIM.name))
    upsert_fact(spark, lake, [S2_CORRECTED, S5_NEW])
    # the fact's data files are gone (its log stays): its load fails after the dimensions'
    delete_objects(lake, f"{SALES_FACT.name}/", keep=f"{SALES_FACT.name}/_delta_log/")
    before, versions = star_state(lake), loaded_versions(lake)

    with pytest.raises(ServiceError, match="cannot read the curated table sales_fact"):
        load_star(lake)

    assert (star_state(lake), loaded_versions(lake)) == (before, versions)
