"""The calendar dimension: one row per day, YYYYMMDD keys, ISO weekdays and weeks."""

import itertools
from datetime import date

from pyspark.sql import SparkSession

from lakehouse.schema import star_table
from spark_app.schemas import spark_schema
from spark_app.transforms.date_dim import build_date_dim


def names_and_types(schema) -> list[tuple]:
    """Column names and types; Spark does not carry NOT NULL through casts and unions."""
    return [(field.name, field.dataType) for field in schema.fields]


def test_build_date_dim_has_one_row_per_day_with_iso_weekday_and_weekend_flags(
    spark: SparkSession,
) -> None:
    # Saturday 2023-12-30 to Tuesday 2024-01-02: crosses a year and an ISO week boundary
    frame = build_date_dim(spark, date(2023, 12, 30), date(2024, 1, 2))

    assert names_and_types(frame.schema) == names_and_types(spark_schema(star_table("date_dim")))
    assert sorted(tuple(row) for row in frame.collect()) == [
        (
            20231230,
            date(2023, 12, 30),
            2023,
            4,
            12,
            30,
            True,
            6,
            "Saturday",
            "December",
            52,
            "2023-12",
        ),
        (
            20231231,
            date(2023, 12, 31),
            2023,
            4,
            12,
            31,
            True,
            7,
            "Sunday",
            "December",
            52,
            "2023-12",
        ),
        (20240101, date(2024, 1, 1), 2024, 1, 1, 1, False, 1, "Monday", "January", 1, "2024-01"),
        (20240102, date(2024, 1, 2), 2024, 1, 1, 2, False, 2, "Tuesday", "January", 1, "2024-01"),
    ]


def test_build_date_dim_covers_a_leap_year_contiguously_with_no_gaps(spark: SparkSession) -> None:
    frame = build_date_dim(spark, date(2024, 1, 1), date(2024, 12, 31))
    rows = frame.select("date_key", "date_value", "is_weekend", "day_of_week").collect()
    values = sorted(row.date_value for row in rows)

    assert len(rows) == 366
    assert values[0] == date(2024, 1, 1)
    assert values[-1] == date(2024, 12, 31)
    assert all((later - earlier).days == 1 for earlier, later in itertools.pairwise(values))
    assert all(row.date_key == int(row.date_value.strftime("%Y%m%d")) for row in rows)
    assert all(row.day_of_week == row.date_value.isoweekday() for row in rows)
    assert all(row.is_weekend == (row.date_value.isoweekday() >= 6) for row in rows)
    assert 20240229 in {row.date_key for row in rows}


def test_build_date_dim_of_a_single_day_has_one_row(spark: SparkSession) -> None:
    frame = build_date_dim(spark, date(2000, 1, 1), date(2000, 1, 1))

    assert [(r.date_key, r.quarter, r.week_of_year) for r in frame.collect()] == [(20000101, 1, 52)]
