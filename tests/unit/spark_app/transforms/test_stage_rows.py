"""Staging: only loaded rows, with the contract columns triage parsed, e-mails lower-cased."""

from datetime import date

from pyspark.sql import SparkSession
from pyspark.sql import types as T

from lakehouse.schema import raw_entity
from spark_app.extract import RECORD
from spark_app.schemas import SPARK_TYPES
from spark_app.transforms.stage_rows import stage_rows
from spark_app.transforms.triage_rows import REASONS, STATUS
from tests.helpers.frames import local_frame


def test_stage_rows_keeps_loaded_rows_with_typed_columns_and_lower_case_emails(
    spark: SparkSession,
) -> None:
    customers = raw_entity("customers")
    schema = T.StructType(
        [T.StructField(c.name, SPARK_TYPES[c.type]) for c in customers.columns]
        + [
            T.StructField(RECORD, T.MapType(T.StringType(), T.StringType())),
            T.StructField(STATUS, T.StringType()),
            T.StructField(REASONS, T.ArrayType(T.StringType())),
        ]
    )
    signup = date(2023, 5, 6)
    rows = [
        ("C1", "Ann", "Lee", "Ann.Lee@Example.COM", "Austin", "TX", signup, None, "loaded", []),
        ("C2", "Bob", "Ray", None, None, None, None, None, "loaded", []),
        ("C3", "Cy", "Fox", "bad", None, None, None, {}, "quarantined", ["malformed_email:email"]),
        ("C1", "Ann", "Lee", "Ann.Lee@Example.COM", "Austin", "TX", signup, None, "duplicate", []),
    ]

    staged = stage_rows(local_frame(spark, rows, schema), customers)

    assert [(f.name, f.dataType) for f in staged.schema.fields] == [
        (c.name, SPARK_TYPES[c.type]) for c in customers.columns
    ]
    assert sorted(tuple(row) for row in staged.collect()) == [
        ("C1", "Ann", "Lee", "ann.lee@example.com", "Austin", "TX", signup),
        ("C2", "Bob", "Ray", None, None, None, None),
    ]
