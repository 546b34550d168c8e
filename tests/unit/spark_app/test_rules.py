"""Row rules of the source contract, as Spark expressions, give the documented reason codes.

Every case runs in one DataFrame per entity (one Spark job), then each case checks its own row.
Values arrive already trimmed, NULL when empty: extract does that before the rules run.
"""

from datetime import date
from decimal import Decimal

import pytest
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from lakehouse.schema import RAW_ENTITIES, raw_entity
from spark_app.schemas import SPARK_TYPES
from tests.helpers.frames import local_frame
from validation.rules import parse_and_check

RUN_DATE = date(2024, 3, 1)

VALID = {
    "customers": {
        "customer_id": "C1",
        "first_name": "Ann",
        "last_name": "Lee",
        "email": "ann.lee@example.com",
        "city": "Austin",
        "state": "TX",
        "signup_date": "2023-05-06",
    },
    "products": {
        "product_id": "P1",
        "product_name": "Desk",
        "category": "Office",
        "subcategory": "Furniture",
        "brand": "Acme",
        "unit_price": "199.99",
    },
    "locations": {
        "location_id": "L1",
        "store_name": "Downtown",
        "city": "Austin",
        "state": "TX",
        "region": "South",
        "country": "US",
    },
    "sales": {
        "sale_id": "S1",
        "sale_date": "2024-02-29",
        "customer_id": "C1",
        "product_id": "P1",
        "location_id": "L1",
        "quantity": "2",
        "unit_price": "10.00",
        "discount_amount": "1.00",
        "tax_amount": "0.80",
    },
}

CASES = [
    # a valid row of every entity breaks no rule
    pytest.param("customers", {}, [], id="valid-customer"),
    pytest.param("products", {}, [], id="valid-product"),
    pytest.param("locations", {}, [], id="valid-location"),
    pytest.param("sales", {}, [], id="valid-sale"),
    # optional columns may be empty (NULL after extract)
    pytest.param(
        "customers", {"email": None, "city": None, "signup_date": None}, [], id="optional-empty"
    ),
    pytest.param(
        "sales",
        {"customer_id": None, "discount_amount": None, "tax_amount": None},
        [],
        id="sale-optionals-empty",
    ),
    # a missing required value is named by its column
    pytest.param("sales", {"sale_id": None}, ["missing:sale_id"], id="missing-sale-id"),
    pytest.param(
        "customers",
        {"first_name": None, "last_name": None},
        ["missing:first_name", "missing:last_name"],
        id="missing-two-names",
    ),
    pytest.param("products", {"product_name": None}, ["missing:product_name"], id="missing-name"),
    pytest.param("locations", {"location_id": None}, ["missing:location_id"], id="missing-loc-id"),
    # a missing sale_date is only "missing", not also a format or window problem
    pytest.param("sales", {"sale_date": None}, ["missing:sale_date"], id="missing-sale-date"),
    # a missing quantity is only "missing", and discount_above_gross cannot be judged
    pytest.param("sales", {"quantity": None}, ["missing:quantity"], id="missing-quantity"),
    # exponent notation is not an integer nor a contract decimal
    pytest.param("sales", {"quantity": "1e5"}, ["unparsable:quantity"], id="quantity-1e5"),
    pytest.param("sales", {"unit_price": "1e5"}, ["unparsable:unit_price"], id="price-1e5"),
    # NaN is not a number the contract accepts
    pytest.param("sales", {"unit_price": "NaN"}, ["unparsable:unit_price"], id="price-nan"),
    pytest.param("sales", {"tax_amount": "NaN"}, ["unparsable:tax_amount"], id="tax-nan"),
    # a fractional quantity is not an integer
    pytest.param("sales", {"quantity": "1.5"}, ["unparsable:quantity"], id="quantity-fraction"),
    # words and thousands separators are unparsable
    pytest.param("products", {"unit_price": "abc"}, ["unparsable:unit_price"], id="price-word"),
    pytest.param(
        "sales", {"discount_amount": "1,000.00"}, ["unparsable:discount_amount"], id="comma"
    ),
    # a number too large for decimal(18,4) is unparsable, not silently NULL
    pytest.param(
        "sales", {"unit_price": "123456789012345"}, ["unparsable:unit_price"], id="price-overflow"
    ),
    # an explicit plus sign and a leading-dot decimal are fine
    pytest.param("sales", {"quantity": "+3", "unit_price": ".5"}, [], id="plus-and-dot"),
    # a well-formed but impossible date is unparsable
    pytest.param("sales", {"sale_date": "2024-02-30"}, ["unparsable:sale_date"], id="feb-30"),
    pytest.param(
        "customers", {"signup_date": "2023-13-01"}, ["unparsable:signup_date"], id="month-13"
    ),
    # another date layout is a format problem, not a parse problem
    pytest.param("sales", {"sale_date": "03/15/2024"}, ["bad_date_format:sale_date"], id="us-date"),
    pytest.param(
        "customers", {"signup_date": "2023-5-6"}, ["bad_date_format:signup_date"], id="short-date"
    ),
    # quantity must be at least 1
    pytest.param(
        "sales",
        {"quantity": "0", "discount_amount": None},
        ["below_minimum:quantity"],
        id="quantity-zero",
    ),
    pytest.param(
        "sales",
        {"quantity": "-2", "discount_amount": None},
        ["below_minimum:quantity"],
        id="quantity-negative",
    ),
    # with quantity 0 the gross is 0, so any discount is also above the gross
    pytest.param(
        "sales",
        {"quantity": "0"},
        ["below_minimum:quantity", "discount_above_gross"],
        id="quantity-zero-with-discount",
    ),
    # prices and amounts must not be negative (zero is fine)
    pytest.param("products", {"unit_price": "0"}, [], id="price-zero"),
    pytest.param(
        "products", {"unit_price": "-0.01"}, ["below_minimum:unit_price"], id="price-negative"
    ),
    pytest.param(
        "sales",
        {"discount_amount": "-1", "tax_amount": "-0.5"},
        ["below_minimum:discount_amount", "below_minimum:tax_amount"],
        id="negative-amounts",
    ),
    # e-mails must look like local@domain.tld; case does not matter
    pytest.param("customers", {"email": "ANN@Example.COM"}, [], id="email-upper-case"),
    pytest.param("customers", {"email": "ann.example.com"}, ["malformed_email:email"], id="no-at"),
    pytest.param("customers", {"email": "ann@example"}, ["malformed_email:email"], id="no-tld"),
    pytest.param("customers", {"email": "a@b@c.com"}, ["malformed_email:email"], id="two-ats"),
    pytest.param("customers", {"email": "ann lee@x.com"}, ["malformed_email:email"], id="space"),
    pytest.param("customers", {"email": "ann@x.com."}, ["malformed_email:email"], id="dot-end"),
    # the discount may equal the gross amount but not exceed it
    pytest.param("sales", {"discount_amount": "20.00"}, [], id="discount-equals-gross"),
    pytest.param(
        "sales", {"discount_amount": "20.01"}, ["discount_above_gross"], id="discount-above-gross"
    ),
    # sale dates from 2000-01-01 up to one day after the run date are in the window
    pytest.param("sales", {"sale_date": "2000-01-01"}, [], id="window-first-day"),
    pytest.param(
        "sales", {"sale_date": "1999-12-31"}, ["sale_date_out_of_window"], id="window-day-before"
    ),
    pytest.param("sales", {"sale_date": "2024-03-02"}, [], id="window-run-date-plus-1"),
    pytest.param(
        "sales", {"sale_date": "2024-03-03"}, ["sale_date_out_of_window"], id="window-plus-2"
    ),
    # an unparsable date is not also judged against the window
    pytest.param("sales", {"sale_date": "1999-02-30"}, ["unparsable:sale_date"], id="bad-old"),
    # every broken rule of a row is reported, not just the first
    pytest.param(
        "sales",
        {
            "sale_id": None,
            "sale_date": "1999-12-31",
            "quantity": "0",
            "unit_price": "-1",
            "discount_amount": None,
        },
        [
            "below_minimum:quantity",
            "below_minimum:unit_price",
            "missing:sale_id",
            "sale_date_out_of_window",
        ],
        id="many-reasons",
    ),
]


@pytest.fixture(scope="module")
def reasons_by_case(spark: SparkSession) -> dict[str, list[str]]:
    """Reasons of every case's row, computed in one Spark job per entity."""
    results = {}
    for entity in RAW_ENTITIES:
        schema = T.StructType(
            [T.StructField("case", T.StringType())]
            + [T.StructField(name, T.StringType()) for name in entity.column_names]
        )
        rows = [
            (case.id, *[{**VALID[entity.name], **case.values[1]}[n] for n in entity.column_names])
            for case in CASES
            if case.values[0] == entity.name
        ]
        frame = parse_and_check(local_frame(spark, rows, schema), entity, RUN_DATE, "r")
        for row in frame.select("case", "r").collect():
            results[row["case"]] = row["r"]
    return results


@pytest.mark.parametrize(("entity", "overrides", "expected"), CASES)
def test_parse_and_check_gives_the_contract_reason_codes(
    reasons_by_case: dict[str, list[str]], request, entity, overrides, expected
) -> None:
    case_id = request.node.callspec.id

    assert sorted(reasons_by_case[case_id]) == sorted(expected)


def test_reasons_come_in_column_order_then_row_rules(spark: SparkSession) -> None:
    entity = raw_entity("sales")
    values = {**VALID["sales"], "sale_id": None, "sale_date": "1999-12-31", "quantity": "0"}
    values["discount_amount"] = None
    frame = local_frame(
        spark,
        [tuple(values[n] for n in entity.column_names)],
        T.StructType([T.StructField(n, T.StringType()) for n in entity.column_names]),
    )

    [row] = parse_and_check(frame, entity, RUN_DATE, "r").select("r").collect()

    assert row["r"] == ["missing:sale_id", "below_minimum:quantity", "sale_date_out_of_window"]


def test_the_reasons_of_a_valid_row_are_an_empty_array_not_null(spark: SparkSession) -> None:
    entity = raw_entity("locations")
    frame = local_frame(
        spark,
        [tuple(VALID["locations"][n] for n in entity.column_names)],
        T.StructType([T.StructField(n, T.StringType()) for n in entity.column_names]),
    )

    [row] = parse_and_check(frame, entity, RUN_DATE, "r").select(F.size("r").alias("n")).collect()

    assert row["n"] == 0


def test_parse_and_check_parses_each_contract_column_to_its_type_in_place(
    spark: SparkSession,
) -> None:
    entity = raw_entity("sales")
    text = {**VALID["sales"], "quantity": "+3", "unit_price": ".5", "discount_amount": "0.125"}
    text["tax_amount"] = None
    schema = T.StructType(
        [T.StructField("first", T.StringType())]
        + [T.StructField(n, T.StringType()) for n in entity.column_names]
    )
    frame = local_frame(spark, [("x", *[text[n] for n in entity.column_names])], schema)

    parsed = parse_and_check(frame, entity, RUN_DATE, "r")

    assert [(f.name, f.dataType) for f in parsed.schema.fields] == [
        ("first", T.StringType()),
        *[(c.name, SPARK_TYPES[c.type]) for c in entity.columns],
        ("r", T.ArrayType(T.StringType())),
    ]
    assert [tuple(row) for row in parsed.collect()] == [
        (
            "x",
            "S1",
            date(2024, 2, 29),
            "C1",
            "P1",
            "L1",
            3,
            Decimal("0.5000"),
            Decimal("0.1250"),
            None,
            [],
        )
    ]
