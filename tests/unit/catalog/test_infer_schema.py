import pytest

from lakehouse.catalog.infer_schema import (
    BIGINT,
    BOOLEAN,
    DOUBLE,
    STRING,
    GlueColumn,
    classify_value,
    infer_glue_columns,
    merge_types,
)
from lakehouse.ingest.csv_sample import CsvSample


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),  # an empty field is NULL and says nothing about the type
        ("42", BIGINT),  # plain integer
        ("-7", BIGINT),  # signed integer
        ("+7", BIGINT),  # explicit plus sign
        ("007", BIGINT),  # leading zeros still parse as an integer, as Glue does
        ("9223372036854775807", BIGINT),  # largest bigint
        ("9223372036854775808", STRING),  # beyond 64 bits: kept as text, not a lossy double
        ("19.99", DOUBLE),  # decimal price
        (".5", DOUBLE),  # no integer part
        ("5.", DOUBLE),  # no fraction digits
        ("1e3", DOUBLE),  # exponent without a decimal point
        ("-2.5E-3", DOUBLE),  # signed mantissa and exponent
        ("true", BOOLEAN),  # lower-case boolean
        ("FALSE", BOOLEAN),  # booleans are case-insensitive
        ("2024-05-01", STRING),  # Glue's CSV classifier leaves dates as strings
        ("nan", STRING),  # Python's float() accepts it, Glue does not
        ("1,000", STRING),  # thousands separator is text
        ("C-001", STRING),  # identifier
        ("\u0663", STRING),  # a non-ASCII digit is not a number to Glue
    ],
)
def test_classify_value_gives_the_glue_type_of_one_value(value: str, expected: str | None) -> None:
    assert classify_value(value) == expected


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (None, None, None),  # nothing seen yet
        (None, BIGINT, BIGINT),  # the first value decides
        (DOUBLE, None, DOUBLE),  # an empty value changes nothing
        (BIGINT, BIGINT, BIGINT),  # agreement keeps the type
        (BIGINT, DOUBLE, DOUBLE),  # integers widen to double
        (DOUBLE, BIGINT, DOUBLE),  # in either order
        (BOOLEAN, BIGINT, STRING),  # incompatible types fall back to string
        (STRING, DOUBLE, STRING),  # string absorbs everything
    ],
)
def test_merge_types_widens_to_a_type_holding_both(
    first: str | None, second: str | None, expected: str | None
) -> None:
    assert merge_types(first, second) == expected


def test_infer_glue_columns_types_each_column_from_its_non_empty_values() -> None:
    sample = CsvSample(
        header=("sale_id", "quantity", "unit_price", "is_promo", "note"),
        rows=(
            ("S1", "2", "10", "true", ""),
            ("S2", "", "9.5", "false", ""),
            ("S3", "1", "", "", ""),
        ),
    )

    assert infer_glue_columns([sample]) == [
        GlueColumn("sale_id", STRING),
        GlueColumn("quantity", BIGINT),
        GlueColumn("unit_price", DOUBLE),
        GlueColumn("is_promo", BOOLEAN),
        GlueColumn("note", STRING),
    ]


def test_infer_glue_columns_unions_headers_of_several_files_in_first_seen_order() -> None:
    first = CsvSample(header=("id", "Price"), rows=(("1", "3"),))
    second = CsvSample(header=("extra", "price", "id"), rows=(("x", "3.5", "A"),))

    assert infer_glue_columns([first, second]) == [
        GlueColumn("id", STRING),
        GlueColumn("price", DOUBLE),
        GlueColumn("extra", STRING),
    ]


def test_infer_glue_columns_names_an_unnamed_column_by_position_and_ignores_extra_values() -> None:
    sample = CsvSample(header=("id", ""), rows=(("1", "2", "overflow"), ("2",)))

    assert infer_glue_columns([sample]) == [GlueColumn("id", BIGINT), GlueColumn("col1", BIGINT)]


def test_infer_glue_columns_of_no_samples_is_empty() -> None:
    assert infer_glue_columns([]) == []
