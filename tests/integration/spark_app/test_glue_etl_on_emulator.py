"""The Spark job on the S3 emulator: raw CSV partitions -> Delta star tables in the curated zone.

Each module-scoped lake has raw and curated buckets of its own, so these tests neither see nor
change the session's buckets (which the e2e suite uses).
"""

import dataclasses
import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from helpers.lake import drop_lake, make_lake, upload_batch
from pyspark.sql import SparkSession

from lakehouse.config import Settings
from lakehouse.errors import DataQualityError
from lakehouse.ingest.raw_zone import list_keys
from lakehouse.resources.aws import make_client
from lakehouse.resources.object_store import open_delta
from lakehouse.schema import STAR_TABLES
from lakehouse.schema.star import DIMENSIONS, LOCATION_DIM
from spark_app.build_report import BuildReport, EntityCounts
from spark_app.delta_io import latest_commit_notes, publish_overwrite, read_table
from spark_app.jobs.glue_etl import AUDITED, run_glue_etl, star_urls
from validation.curated_checks import validate_curated

pytestmark = pytest.mark.integration
D = Decimal
UNKNOWN_CUSTOMER = (-1, "UNKNOWN", "Unknown", "Unknown", "Unknown", "Unknown")
UNKNOWN_PRODUCT = (-1, "UNKNOWN", "Unknown", "Unknown", "Unknown", "Unknown")
UNKNOWN_LOCATION = (-1, "UNKNOWN", "Unknown", "Unknown", "Unknown", "Unknown", "Unknown")

GOOD_DATE = date(2024, 3, 1)
DIMENSION_NAMES = [table.name for table in DIMENSIONS]
GOOD_BATCH = {
    "customers": """customer_id,first_name,last_name,email,city,state,signup_date
C1,Ann,Lee,Ann@Example.com,Austin,TX,2023-01-05
C2,Bob,Ray,,Dallas,TX,
C2,Bob,Ray,,Dallas,TX,
C3,,Fox,cy@x.com,,,
""",
    "products": """product_id,product_name,category,subcategory,brand,unit_price
P1,Desk,Office,Furniture,Acme,199.99
P2,Lamp,Office,Lighting,Brite,20
""",
    "locations": """location_id,store_name,city,state,region,country
L1,Downtown,Austin,TX,South,US
""",
    "sales": """\
sale_id,sale_date,customer_id,product_id,location_id,quantity,unit_price,discount_amount,tax_amount
S1,2024-02-28,C1,P1,L1,2,10.005,,
S2,2024-02-29,C2,P2,L1,1,0.125,0.005,0.02
S3,2024-03-01,C9,P1,L1,3,19.99,5,4.4950
S4,2024-03-01,C1,P1,L1,0,1,,
S5,03/15/2024,C1,P1,L1,1,1,,
""",
}


def snapshot(spark: SparkSession, lake: Settings) -> dict[str, list[tuple]]:
    """Every curated star table's rows, sorted."""
    return {
        table.name: sorted(
            tuple(r) for r in read_table(spark, lake.curated_url(table.name)).collect()
        )
        for table in STAR_TABLES
    }


def quarantined(lake: Settings, entity: str, run_id: str) -> list[dict]:
    """The JSON quarantine records of one entity and run, sorted by line number."""
    s3 = make_client(lake, "s3")
    prefix = f"_quarantine/{entity}/run_id={run_id}/"
    records = [
        json.loads(line)
        for key in list_keys(s3, lake.raw_bucket, prefix)
        if key.endswith(".json")
        for line in s3.get_object(Bucket=lake.raw_bucket, Key=key)["Body"].read().splitlines()
    ]
    return sorted(records, key=lambda record: record["line_number"])


@dataclasses.dataclass
class Built:
    lake: Settings
    locations: dict[str, str]
    report: BuildReport
    tables: dict[str, list[tuple]]


@pytest.fixture(scope="module")
def built(stack: Settings, spark: SparkSession) -> Iterator[Built]:
    """One good batch built into a lake of its own (threshold 50 % so its bad rows pass)."""
    lake = make_lake(stack, threshold=0.5)
    locations = upload_batch(lake, GOOD_DATE, GOOD_BATCH)
    report = run_glue_etl(spark, lake, "run-good", GOOD_DATE, locations)
    yield Built(lake, locations, report, snapshot(spark, lake))
    drop_lake(lake)


def test_run_glue_etl_publishes_dimensions_with_unknown_members_and_the_calendar(
    built: Built,
) -> None:
    tables = built.tables

    assert tables["customer_dim"] == [
        UNKNOWN_CUSTOMER,
        (1, "C1", "Ann Lee", "ann@example.com", "Austin", "TX"),
        (2, "C2", "Bob Ray", None, "Dallas", "TX"),
    ]
    assert tables["product_dim"] == [
        UNKNOWN_PRODUCT,
        (1, "P1", "Desk", "Office", "Furniture", "Acme"),
        (2, "P2", "Lamp", "Office", "Lighting", "Brite"),
    ]
    assert tables["location_dim"] == [
        UNKNOWN_LOCATION,
        (1, "L1", "Downtown", "Austin", "TX", "South", "US"),
    ]
    assert [row[:2] for row in tables["date_dim"]] == [
        (20240228, date(2024, 2, 28)),
        (20240229, date(2024, 2, 29)),
        (20240301, date(2024, 3, 1)),
    ]


def test_run_glue_etl_publishes_the_fact_with_rounded_measures_and_orphans_on_minus_one(
    built: Built,
) -> None:
    assert built.tables["sales_fact"] == [
        (1, "S1", 1, 1, 1, 20240228, 2, D("20.01"), D("0.00"), D("0.00"), D("20.01"),
         "C1", "P1", "L1", 202402),
        (2, "S2", 2, 2, 1, 20240229, 1, D("0.13"), D("0.01"), D("0.02"), D("0.14"),
         "C2", "P2", "L1", 202402),
        (3, "S3", -1, 1, 1, 20240301, 3, D("59.97"), D("5.00"), D("4.50"), D("59.47"),
         "C9", "P1", "L1", 202403),
    ]  # fmt: skip


def test_run_glue_etl_reports_reconciled_counts_reasons_and_orphans_per_entity(
    built: Built,
) -> None:
    assert built.report.entities == {
        "customers": EntityCounts(4, 2, 1, 1, {"missing:first_name": 1}),
        "products": EntityCounts(2, 2, 0, 0),
        "locations": EntityCounts(1, 1, 0, 0),
        "sales": EntityCounts(
            5,
            3,
            2,
            0,
            {"below_minimum:quantity": 1, "bad_date_format:sale_date": 1},
            {"customer_dim": 1, "product_dim": 0, "location_dim": 0},
        ),
    }


def test_run_glue_etl_writes_quarantined_rows_whole_with_reasons_and_line_numbers(
    built: Built,
) -> None:
    sales = quarantined(built.lake, "sales", "run-good")
    customers = quarantined(built.lake, "customers", "run-good")
    header = GOOD_BATCH["sales"].splitlines()[0].split(",")

    assert [
        (
            r["run_id"],
            r["entity"],
            r["source_file"].rsplit("/", 1)[-1],
            r["line_number"],
            r["reasons"],
        )
        for r in sales + customers
    ] == [
        ("run-good", "sales", "sales.csv", 5, ["below_minimum:quantity"]),
        ("run-good", "sales", "sales.csv", 6, ["bad_date_format:sale_date"]),
        ("run-good", "customers", "customers.csv", 5, ["missing:first_name"]),
    ]
    assert {k: v for k, v in sales[1]["record"].items() if v is not None} == dict(
        zip(header[:7], ["S5", "03/15/2024", "C1", "P1", "L1", "1", "1"], strict=True)
    )
    assert quarantined(built.lake, "products", "run-good") == []


def test_validate_curated_passes_on_a_good_build_and_counts_every_table(
    built: Built, spark: SparkSession
) -> None:
    assert validate_curated(spark, built.lake) == {
        "customer_dim": 3,
        "product_dim": 3,
        "location_dim": 2,
        "date_dim": 3,
        "sales_fact": 3,
    }


def test_run_glue_etl_again_with_the_same_batch_leaves_rows_keys_and_totals_unchanged(
    built: Built, spark: SparkSession
) -> None:
    versions = {table: open_delta(built.lake, table).version() for table in DIMENSION_NAMES}
    # The first run noted every commit audited, so this one audits the fact's changes only.
    notes = latest_commit_notes(spark, star_urls(built.lake))

    report = run_glue_etl(spark, built.lake, "run-again", GOOD_DATE, built.locations)

    assert list(notes.values()) == [AUDITED] * len(STAR_TABLES)
    assert snapshot(spark, built.lake) == built.tables
    assert report.entities == built.report.entities
    assert report.curated_rows == built.report.curated_rows
    # the same members again change no dimension: none is written again
    assert {table: open_delta(built.lake, table).version() for table in DIMENSION_NAMES} == versions


def test_a_batch_over_the_quarantine_threshold_raises_and_leaves_the_curated_zone_unchanged(
    built: Built, spark: SparkSession
) -> None:
    run_date = date(2024, 3, 2)
    bad = {
        **GOOD_BATCH,
        # a renamed product would change product_dim if anything were published
        "products": GOOD_BATCH["products"].replace("P1,Desk,", "P1,Desk v2,"),
        "sales": GOOD_BATCH["sales"].splitlines()[0]
        + "\nS7,2024-03-02,C1,P1,L1,1,1,,\nS8,,C1,P1,L1,1,1,,\nS9,2024-03-02,C1,P1,L1,x,1,,\n",
    }
    locations = upload_batch(built.lake, run_date, bad)

    with pytest.raises(DataQualityError, match="quarantine_threshold") as raised:
        run_glue_etl(spark, built.lake, "run-bad", run_date, locations)

    assert "sales: 2 of 3 rows quarantined" in str(raised.value)
    assert "_quarantine/sales/run_id=run-bad/" in str(raised.value)
    assert snapshot(spark, built.lake) == built.tables
    assert [r["line_number"] for r in quarantined(built.lake, "sales", "run-bad")] == [3, 4]


@pytest.fixture(scope="module")
def second_batch(built: Built, spark: SparkSession) -> dict[str, list[tuple]]:
    """A later batch on the good build's lake: it brings customer C9 (whose sale S3 went to
    -1) and corrects S1's quantity, after location_dim was written again from outside the job.
    Only the last tests of this module use it, so it runs after the tests that compare the lake
    with the good build's snapshot."""
    run_date = date(2024, 3, 3)
    customers_header, sales_header = (GOOD_BATCH[e].splitlines()[0] for e in ("customers", "sales"))
    files = {
        **GOOD_BATCH,
        "customers": f"{customers_header}\nC9,Ivy,Moss,,,,\n",
        "sales": f"{sales_header}\nS1,2024-03-03,C1,P1,L1,5,10,,\n",
    }
    # A write from outside the job, of the same rows: a commit without the job's audited note.
    url = built.lake.curated_url(LOCATION_DIM.name)
    publish_overwrite(read_table(spark, url).localCheckpoint(), LOCATION_DIM, url)
    run_glue_etl(
        spark, built.lake, "run-later", run_date, upload_batch(built.lake, run_date, files)
    )
    return snapshot(spark, built.lake)


def test_a_later_batch_with_a_loaded_sale_id_replaces_that_fact_row_and_keeps_its_key(
    built: Built, second_batch: dict[str, list[tuple]]
) -> None:
    first = {row[1]: row for row in built.tables["sales_fact"]}
    later = {row[1]: row for row in second_batch["sales_fact"]}

    assert sorted(later) == ["S1", "S2", "S3"]
    assert later["S1"][0] == first["S1"][0]
    assert later["S1"][5:11] == (20240303, 5, D("50.00"), D("0.00"), D("0.00"), D("50.00"))
    assert later["S2"] == first["S2"]


def test_a_later_batch_that_brings_a_missing_customer_re_points_earlier_sales_at_it(
    built: Built, second_batch: dict[str, list[tuple]]
) -> None:
    # CONTRACT.md 2: "When the member arrives later, a later run re-points the fact row."
    first = {row[1]: row for row in built.tables["sales_fact"]}
    later = {row[1]: row for row in second_batch["sales_fact"]}
    ivy_key = next(row[0] for row in second_batch["customer_dim"] if row[1] == "C9")

    assert (first["S3"][2], ivy_key) == (-1, 3)
    assert later["S3"][2] == ivy_key


def test_a_run_after_a_write_from_outside_the_job_audits_it_and_notes_every_table(
    built: Built, spark: SparkSession, second_batch: dict[str, list[tuple]]
) -> None:
    # second_batch's run found location_dim written from outside the job; it leaves that table
    # as it was, and the note it gives it is its only commit.
    notes = latest_commit_notes(spark, star_urls(built.lake))

    assert list(notes.values()) == [AUDITED] * len(STAR_TABLES)
    assert second_batch[LOCATION_DIM.name] == built.tables[LOCATION_DIM.name]
