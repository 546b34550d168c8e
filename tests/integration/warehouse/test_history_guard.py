"""The history guard on the embedded stack: before the ETL, and before a full reload replaces rows.

Each test loads the small star of tests/helpers/star.py from a curated bucket of its own, then
loses or re-creates curated tables behind the pipeline's back.
"""

import pytest
from pyspark.sql import SparkSession

from lakehouse.config import Settings
from lakehouse.errors import HistoryLostError
from lakehouse.ingest.raw_zone import list_keys
from lakehouse.pipeline.check_history import check_history
from lakehouse.resources.aws import make_client
from lakehouse.schema import StarTable
from lakehouse.schema.star import CUSTOMER_DIM, SALES_FACT
from lakehouse.warehouse.load_star import load_star
from lakehouse.warehouse.load_table import load_table
from spark_app.delta_io import publish_overwrite
from spark_app.schemas import spark_schema
from tests.helpers.frames import local_frame
from tests.helpers.star import S5_NEW, STAR_ROWS, loaded_versions, star_state

pytestmark = pytest.mark.integration
S1, S2, S3, S4 = STAR_ROWS["sales_fact"]


def delete_table(lake: Settings, table: StarTable) -> None:
    """Delete every object of a curated table, as a lost lake would."""
    s3 = make_client(lake, "s3")
    for key in list_keys(s3, lake.curated_bucket, f"{table.name}/"):
        s3.delete_object(Bucket=lake.curated_bucket, Key=key)


def recreate(spark: SparkSession, lake: Settings, table: StarTable, rows: list[tuple]) -> None:
    """Delete a curated table and write ``rows`` as a new one (another Delta table id)."""
    delete_table(lake, table)
    frame = local_frame(spark, rows, spark_schema(table))
    publish_overwrite(frame, table, lake.curated_url(table.name))


def test_the_check_before_the_etl_passes_the_tables_the_warehouse_loaded(lake: Settings) -> None:
    check_history(lake)


def test_the_check_before_the_etl_stops_on_a_missing_or_shrunk_table_naming_both_sides(
    lake: Settings, spark: SparkSession
) -> None:
    delete_table(lake, SALES_FACT)
    recreate(spark, lake, CUSTOMER_DIM, STAR_ROWS["customer_dim"][:2])  # C2 gone

    with pytest.raises(HistoryLostError) as stopped:
        check_history(lake)

    lines = str(stopped.value).splitlines()
    assert lines[0] == (
        f"the curated zone s3://{lake.curated_bucket}/ lacks history that the warehouse holds;"
        " the run stopped before changing anything:"
    )
    assert lines[1:3] == [
        "  - customer_dim: the curated table was re-created with fewer rows or keys"
        " (warehouse: 3 rows, keys -1..2; curated: 2 rows, keys -1..1)",
        "  - sales_fact: no curated table (warehouse: 4 rows, keys 1..4; curated: none)",
    ]
    assert "`lakehouse rebuild --yes`" in lines[3]


def test_a_table_re_created_with_every_key_passes_the_check_and_reloads_in_full(
    lake: Settings, spark: SparkSession
) -> None:
    recreate(spark, lake, SALES_FACT, [S1, S2, S3, S4, S5_NEW])

    check_history(lake)
    applied = load_star(lake)

    assert applied["sales_fact"] == 5
    assert loaded_versions(lake)["sales_fact"] == ("full", 0, 5)
    assert [row[:2] for row in star_state(lake)["sales_fact"]] == [
        (1, "S1"), (2, "S2"), (3, "S3"), (4, "S4"), (5, "S5"),
    ]  # fmt: skip


def test_a_full_reload_whose_snapshot_lacks_warehouse_keys_raises_and_changes_nothing(
    lake: Settings, spark: SparkSession
) -> None:
    before, versions = star_state(lake), loaded_versions(lake)
    recreate(spark, lake, SALES_FACT, [S2, S5_NEW])

    with pytest.raises(HistoryLostError) as refused:
        load_star(lake)

    assert (
        "sales_fact: 3 of the warehouse's keys are not in the curated snapshot with the same"
        " sale_id (warehouse: 4 rows, keys 1..4; curated: 2 rows, keys 2..5)"
    ) in str(refused.value)
    assert "a full reload would drop it, so the load changed nothing" in str(refused.value)
    assert (star_state(lake), loaded_versions(lake)) == (before, versions)


def test_a_snapshot_that_gives_a_key_to_another_natural_key_is_refused(
    lake: Settings, spark: SparkSession
) -> None:
    before = star_state(lake)
    unknown, ann, _ = STAR_ROWS["customer_dim"]
    # as many rows and the same key range: only the pairs tell that key 2 changed hands
    recreate(spark, lake, CUSTOMER_DIM, [unknown, ann, (2, "C7", "Cy Dee", None, None, None)])

    with pytest.raises(HistoryLostError, match="with the same customer_id"):
        load_table(lake, CUSTOMER_DIM)

    assert star_state(lake) == before


def test_a_forced_full_reload_of_an_unchanged_table_keeps_every_row(lake: Settings) -> None:
    before = star_state(lake)

    rows = load_table(lake, SALES_FACT, full=True)

    assert (rows, star_state(lake)) == (4, before)
    assert loaded_versions(lake)["sales_fact"] == ("full", 0, 4)
