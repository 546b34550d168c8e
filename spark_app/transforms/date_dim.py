"""The calendar dimension: one row per day over the range the sales cover."""

from datetime import date

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from lakehouse.schema.star import DATE_DIM
from spark_app.schemas import spark_schema


def date_key(value: F.Column) -> F.Column:
    """``YYYYMMDD`` integer key of a date column."""
    return (F.year(value) * 10000 + F.month(value) * 100 + F.dayofmonth(value)).cast("int")


def build_date_dim(spark: SparkSession, first: date, last: date) -> DataFrame:
    """Every calendar day from ``first`` to ``last`` inclusive, with the dashboards' attributes."""
    offsets = spark.range(0, (last - first).days + 1)
    value = F.date_add(F.lit(first), F.col("id").cast("int"))
    iso_day = ((F.dayofweek(value) + 5) % 7) + 1
    attributes = {
        "date_key": date_key(value),
        "date_value": value,
        "year": F.year(value),
        "quarter": F.quarter(value),
        "month": F.month(value),
        "day": F.dayofmonth(value),
        "is_weekend": iso_day >= 6,
        "day_of_week": iso_day,
        "day_name": F.date_format(value, "EEEE"),
        "month_name": F.date_format(value, "MMMM"),
        "week_of_year": F.weekofyear(value),
        "year_month": F.date_format(value, "yyyy-MM"),
    }
    schema = spark_schema(DATE_DIM)
    return offsets.select(
        *[attributes[field.name].cast(field.dataType).alias(field.name) for field in schema.fields]
    )
