"""The curated zone's suites (a Spark query per table, judged by GX) fail on broken star tables,
naming each failed check, and publish the Data Docs to the curated bucket either way; the job
runs them before it publishes, so a batch on a broken star publishes nothing."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from pyspark.sql import SparkSession

from lakehouse.config import Settings
from lakehouse.errors import DataQualityError
from lakehouse.ingest.raw_zone import list_keys
from lakehouse.resources.aws import make_client
from lakehouse.schema import STAR_TABLES
from spark_app.delta_io import publish_overwrite, read_table
from spark_app.jobs.glue_etl import run_glue_etl
from spark_app.schemas import spark_schema
from tests.helpers.batches import csv_header
from tests.helpers.frames import local_frame
from tests.helpers.lake import drop_lake, make_lake, upload_batch
from validation.curated_checks import validate_curated

pytestmark = pytest.mark.integration
D = Decimal
UNKNOWN = ("UNKNOWN", "Unknown")
ROWS = {
    "customer_dim": [(-1, *UNKNOWN, None, None, None), (1, "C1", "Ann Lee", None, None, None)],
    "product_dim": [(-1, *UNKNOWN, None, None, None), (1, "P1", "Desk", None, None, None)],
    # location key 1 twice: not unique
    "location_dim": [
        (-1, *UNKNOWN, None, None, None, None),
        (1, "L1", "Downtown", None, None, None, None),
        (1, "L2", "Uptown", None, None, None, None),
    ],
    "date_dim": [
        (20240301, date(2024, 3, 1), 2024, 1, 3, 1, False, 5, "Friday", "March", 9, "2024-03")
    ],
    # product key 7 is in no product_dim row; S2's net is not gross - discount + tax
    "sales_fact": [
        (1, "S1", 1, 7, 1, 20240301, 1, D("10"), D("0"), D("1"), D("11"), "C1", "P7", "L1", 202403),
        (2, "S2", 1, 1, 1, 20240301, 1, D("10"), D("1"), D("1"), D("99"), "C1", "P1", "L1", 202403),
    ],
}


FAILURES = [
    "  - location_dim: location_key is unique: found duplicate_location_key = 1, expected 0",
    "  - sales_fact: every product_key is in product_dim: found orphan_product_key = 1, expected 0",
    "  - sales_fact: net_amount = gross_amount - discount + tax_amount: found"
    " broken_net_amount = 1, expected 0",
]
#: A valid batch: it adds customer C2, renames product P1 and brings sale S3.
BATCH = {
    "customers": csv_header("customers") + "C2,Bob,Ray,,Dallas,TX,\n",
    "products": csv_header("products") + "P1,Desk v2,Office,Furniture,Acme,120.00\n",
    "locations": csv_header("locations") + "L1,Downtown,Austin,TX,South,US\n",
    "sales": csv_header("sales") + "S3,2024-03-01,C2,P1,L1,1,10.00,0.00,1.00\n",
}


def curated_rows(spark: SparkSession, lake: Settings) -> dict[str, list[tuple]]:
    """Every star table's rows, sorted."""
    return {
        table.name: sorted(map(tuple, read_table(spark, lake.curated_url(table.name)).collect()))
        for table in STAR_TABLES
    }


@pytest.fixture(scope="module")
def broken_lake(stack: Settings, spark: SparkSession) -> Iterator[Settings]:
    """A curated zone whose star tables break three expectations (no test here changes it)."""
    lake = make_lake(stack, threshold=stack.quarantine_threshold)
    for table in STAR_TABLES:
        frame = local_frame(spark, ROWS[table.name], spark_schema(table))
        publish_overwrite(frame, table, lake.curated_url(table.name))
    yield lake
    drop_lake(lake)


def test_broken_curated_tables_fail_the_gate_naming_each_check_and_publish_data_docs(
    broken_lake: Settings, spark: SparkSession
) -> None:
    with pytest.raises(DataQualityError) as raised:
        validate_curated(spark, broken_lake, "run-broken")

    failures = sorted(str(raised.value).splitlines()[1:])
    assert raised.value.gate == "curated_suite"
    assert failures == FAILURES
    keys = list_keys(make_client(broken_lake, "s3"), broken_lake.curated_bucket, "_data_docs/")
    assert "_data_docs/index.html" in keys
    for table in STAR_TABLES:  # a page of this run's result and one of the suite, per table
        pages = f"curated_suite/{table.name}"  # GX turns the suite name's dot into a folder
        assert any(key.startswith(f"_data_docs/validations/{pages}/run-broken/") for key in keys)
        assert f"_data_docs/expectations/{pages}.html" in keys


def test_a_batch_on_a_broken_star_fails_the_curated_suite_before_the_job_publishes_anything(
    broken_lake: Settings, spark: SparkSession
) -> None:
    before = curated_rows(spark, broken_lake)
    locations = upload_batch(broken_lake, date(2024, 3, 2), BATCH)

    with pytest.raises(DataQualityError) as raised:
        run_glue_etl(spark, broken_lake, "run-on-broken", date(2024, 3, 2), locations)

    assert raised.value.gate == "curated_suite"
    assert sorted(str(raised.value).splitlines()[1:]) == FAILURES
    assert curated_rows(spark, broken_lake) == before  # no new customer, name or sale
