"""How the Glue job tells whether the fact's changes replace published rows (MERGE) or add."""

from pathlib import Path

import pytest
from pyspark.sql import DataFrame, SparkSession

from spark_app.delta_io import read_table
from spark_app.jobs.glue_etl import replaces_published_rows
from tests.helpers.frames import local_frame

KEYS = "sale_key bigint, sale_id string"


def keyed(spark: SparkSession, rows: list[tuple]) -> DataFrame:
    return local_frame(spark, rows, KEYS)


@pytest.fixture(scope="module")
def published(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> DataFrame:
    """A published fact keyed 1 and 3: keys need not be contiguous (written once: no test
    changes it)."""
    url = (tmp_path_factory.mktemp("published") / "sales_fact").as_uri()
    keyed(spark, [(1, "S1"), (3, "S3")]).write.format("delta").save(url)
    return read_table(spark, url)


@pytest.mark.parametrize(
    ("changes", "replaces"),
    [
        ([(4, "S4"), (5, "S5")], False),  # new sales, keyed above the largest key given
        ([(3, "S3"), (4, "S4")], True),  # S3 corrected: it keeps its key
        ([(2, "S2")], True),  # at most the largest key: a MERGE, which is right either way
        ([], False),
    ],
)
def test_changes_replace_published_rows_when_a_key_is_at_most_the_largest_published(
    spark: SparkSession, published: DataFrame, changes: list[tuple], replaces: bool
) -> None:
    assert replaces_published_rows(keyed(spark, changes), published) is replaces


def test_nothing_published_yet_is_nothing_replaced(spark: SparkSession) -> None:
    assert replaces_published_rows(keyed(spark, [(1, "S1")]), None) is False


def test_an_empty_published_fact_has_no_row_to_replace(spark: SparkSession, tmp_path: Path) -> None:
    url = (tmp_path / "empty").as_uri()
    keyed(spark, []).write.format("delta").save(url)

    assert replaces_published_rows(keyed(spark, [(1, "S1")]), read_table(spark, url)) is False
