"""How the Glue job tells whether the fact's changes replace published rows (MERGE) or add, and
what it reads of the published fact and calendar to tell it and to grow the calendar."""

from datetime import date
from pathlib import Path

import pytest
from pyspark.sql import DataFrame, SparkSession

from spark_app.delta_io import read_table
from spark_app.jobs.glue_etl import (
    PublishedBounds,
    build_calendar,
    published_bounds,
    replaces_published_rows,
)
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
    largest = published_bounds(published, None).largest_sale_key

    assert (largest, replaces_published_rows(keyed(spark, changes), largest)) == (3, replaces)


def test_nothing_published_yet_is_nothing_replaced(spark: SparkSession) -> None:
    assert published_bounds(None, None) == PublishedBounds(None, None)
    assert replaces_published_rows(keyed(spark, [(1, "S1")]), None) is False


def test_an_empty_published_fact_has_no_largest_key(spark: SparkSession, tmp_path: Path) -> None:
    url = (tmp_path / "empty").as_uri()
    keyed(spark, []).write.format("delta").save(url)

    assert published_bounds(read_table(spark, url), None).largest_sale_key is None


def test_the_published_calendar_span_is_its_first_and_last_day(spark: SparkSession) -> None:
    days = local_frame(spark, [(date(2024, 5, 2),), (date(2024, 4, 30),)], "date_value date")

    assert published_bounds(None, days).calendar_span == (date(2024, 4, 30), date(2024, 5, 2))


MAY_1_2, MAY_1_3 = (date(2024, 5, 1), date(2024, 5, 2)), (date(2024, 5, 1), date(2024, 5, 3))


@pytest.mark.parametrize(
    ("sales", "published", "days"),
    [
        (MAY_1_2, None, 2),  # the first calendar spans the batch's sales
        (MAY_1_2, MAY_1_3, None),  # within the published span: no new calendar
        ((date(2024, 4, 30), date(2024, 5, 2)), MAY_1_3, 4),  # an earlier day widens it
        (None, MAY_1_3, None),  # no sale
        (None, None, None),
    ],
)
def test_the_calendar_is_rebuilt_only_when_the_sales_widen_its_span(
    spark: SparkSession,
    sales: tuple[date, date] | None,
    published: tuple[date, date] | None,
    days: int | None,
) -> None:
    calendar = build_calendar(spark, sales, published)

    assert (None if calendar is None else calendar.count()) == days
