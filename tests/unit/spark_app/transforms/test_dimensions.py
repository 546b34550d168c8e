"""Dimensions keep a surrogate key forever once it is given to a natural key (CONTRACT.md 3)."""

import pytest
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import types as T

from lakehouse.schema import StarTable, star_table
from spark_app.schemas import spark_schema
from spark_app.transforms.dimensions import CHANGED, dimension_attributes, merged_members
from tests.helpers.frames import local_frame

PRODUCT_DIM = star_table("product_dim")
CUSTOMER_DIM = star_table("customer_dim")
INCOMING_SCHEMA = T.StructType(
    [T.StructField(c.name, T.StringType()) for c in PRODUCT_DIM.columns if c.name != "product_key"]
)
UNKNOWN = (-1, "UNKNOWN", "Unknown", "Unknown", "Unknown", "Unknown")


def names_and_types(schema) -> list[tuple]:
    """Column names and types; Spark does not carry NOT NULL through casts and unions."""
    return [(field.name, field.dataType) for field in schema.fields]


def sorted_rows(frame: DataFrame) -> list[tuple]:
    return sorted(tuple(row) for row in frame.collect())


def product(product_id: str, name: str) -> tuple:
    return (product_id, name, "Office", "Desks", "Acme")


def batch(spark: SparkSession, *rows: tuple) -> DataFrame:
    """A batch's product attributes (no keys), one row per tuple."""
    return local_frame(spark, list(rows), INCOMING_SCHEMA)


def dimension_after(existing: DataFrame | None, incoming: DataFrame, table: StarTable) -> DataFrame:
    """The dimension's own columns after the batch (the merge without its changed mark)."""
    return merged_members(existing, incoming, table).drop(CHANGED)


@pytest.fixture
def existing(spark: SparkSession) -> DataFrame:
    rows = [
        UNKNOWN,
        (1, "P1", "Desk", "Office", "Desks", "Acme"),
        (2, "P2", "Chair", "Office", "Desks", "Acme"),
        (7, "P7", "Lamp", "Office", "Desks", "Acme"),  # keys need not be contiguous
    ]
    return local_frame(spark, rows, spark_schema(PRODUCT_DIM))


def test_merge_dimension_keeps_keys_updates_in_place_and_appends_new_keys_in_natural_key_order(
    spark: SparkSession, existing: DataFrame
) -> None:
    incoming = batch(
        spark, product("P9", "Shelf"), product("P2", "Office Chair"), product("P10", "Stool")
    )

    merged = dimension_after(existing, incoming, PRODUCT_DIM)

    assert names_and_types(merged.schema) == names_and_types(spark_schema(PRODUCT_DIM))
    assert sorted_rows(merged) == [
        UNKNOWN,
        (1, "P1", "Desk", "Office", "Desks", "Acme"),  # not in the batch: untouched
        (2, "P2", "Office Chair", "Office", "Desks", "Acme"),  # changed name, same key
        (7, "P7", "Lamp", "Office", "Desks", "Acme"),
        (8, "P10", "Stool", "Office", "Desks", "Acme"),  # "P10" sorts before "P9"
        (9, "P9", "Shelf", "Office", "Desks", "Acme"),
    ]


def test_merge_dimension_again_with_the_same_batch_gives_identical_rows_and_keys(
    spark: SparkSession, existing: DataFrame
) -> None:
    incoming = batch(spark, product("P9", "Shelf"), product("P2", "Office Chair"))
    # materialized, as run_glue_etl publishes it before the next batch reads it
    once = dimension_after(existing, incoming, PRODUCT_DIM).localCheckpoint()

    twice = dimension_after(once, incoming, PRODUCT_DIM)

    assert sorted_rows(twice) == sorted_rows(once)


def test_merge_dimension_on_the_first_run_numbers_from_one_and_adds_the_unknown_member_once(
    spark: SparkSession,
) -> None:
    incoming = batch(spark, product("P2", "Chair"), product("P1", "Desk"))

    merged = dimension_after(None, incoming, PRODUCT_DIM)

    assert sorted_rows(merged) == [
        UNKNOWN,
        (1, "P1", "Desk", "Office", "Desks", "Acme"),
        (2, "P2", "Chair", "Office", "Desks", "Acme"),
    ]


def test_merge_dimension_with_an_empty_batch_keeps_every_member_and_one_unknown_member(
    spark: SparkSession, existing: DataFrame
) -> None:
    incoming = batch(spark)

    merged = dimension_after(existing, incoming, PRODUCT_DIM)

    assert sorted_rows(merged) == sorted_rows(existing)


def changed_ids(members: DataFrame) -> list[str]:
    return sorted(row.product_id for row in members.where(CHANGED).collect())


def test_the_members_a_batch_adds_or_updates_are_marked_changed_and_no_other(
    spark: SparkSession, existing: DataFrame
) -> None:
    incoming = batch(
        spark, product("P1", "Desk"), product("P2", "Office Chair"), product("P3", "Stool")
    )

    members = merged_members(existing, incoming, PRODUCT_DIM)

    # P1 comes again as it was; P7 and the unknown member are not in the batch
    assert changed_ids(members) == ["P2", "P3"]
    assert sorted_rows(members.drop(CHANGED)) == sorted_rows(
        dimension_after(existing, incoming, PRODUCT_DIM)
    )


def test_an_attribute_that_stays_null_is_no_change(spark: SparkSession) -> None:
    existing = local_frame(
        spark, [UNKNOWN, (1, "P1", "Desk", None, "Desks", "Acme")], spark_schema(PRODUCT_DIM)
    )
    null_again = batch(spark, ("P1", "Desk", None, "Desks", "Acme"))
    filled = batch(spark, ("P1", "Desk", "Office", "Desks", "Acme"))

    assert changed_ids(merged_members(existing, null_again, PRODUCT_DIM)) == []
    assert changed_ids(merged_members(existing, filled, PRODUCT_DIM)) == ["P1"]


def test_on_the_first_run_every_member_is_changed_the_unknown_one_too(
    spark: SparkSession,
) -> None:
    members = merged_members(None, batch(spark), PRODUCT_DIM)

    assert changed_ids(members) == ["UNKNOWN"]


def test_dimension_attributes_derive_full_name_and_keep_only_the_dimension_columns(
    spark: SparkSession,
) -> None:
    staged = local_frame(
        spark,
        [("C1", "Ann", "Lee", "ann@x.com", "Austin", "TX", None)],
        "customer_id string, first_name string, last_name string, email string, city string, "
        "state string, signup_date date",
    )

    attributes = dimension_attributes(staged, CUSTOMER_DIM)

    assert attributes.columns == ["customer_id", "full_name", "email", "city", "state"]
    assert [tuple(row) for row in attributes.collect()] == [
        ("C1", "Ann Lee", "ann@x.com", "Austin", "TX")
    ]
