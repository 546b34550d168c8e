"""How a crawler's CSV classifier splits a file's first records into column names and rows."""

import pytest

from lakehouse.catalog.csv_classifier import (
    ABSENT,
    BUILT_IN_CSV,
    CONTRACT_CSV,
    CsvFormat,
    classifier_input,
    format_of,
    looks_like_header,
)
from lakehouse.ingest.csv_sample import CsvSample

STORES = (("location_id", "city"), ("L1", "Lyon"), ("L2", "Porto"))
SALES = (("sale_id", "quantity"), ("S1", "2"), ("S2", "5"))


def test_a_present_header_names_the_columns_even_when_every_value_is_text() -> None:
    assert CONTRACT_CSV.sample(STORES) == CsvSample(
        header=("location_id", "city"), rows=(("L1", "Lyon"), ("L2", "Porto")), header_line=True
    )


def test_the_built_in_classifier_takes_no_header_from_an_all_text_file() -> None:
    assert BUILT_IN_CSV.sample(STORES) == CsvSample(
        header=("col0", "col1"), rows=STORES, header_line=False
    )


def test_the_built_in_classifier_takes_the_header_when_a_row_holds_a_number() -> None:
    sample = BUILT_IN_CSV.sample(SALES)

    assert (sample.header, sample.header_line) == (("sale_id", "quantity"), True)
    assert sample.rows == SALES[1:]


def test_an_absent_header_reads_the_first_line_as_data_and_names_columns_as_glue_does() -> None:
    widest = (("1", "2"), ("3", "4", "5"))

    assert CsvFormat(contains_header=ABSENT).sample(widest).header == ("col0", "col1", "col2")
    assert CsvFormat(contains_header=ABSENT, header=("a", "b")).sample(SALES).rows == SALES


@pytest.mark.parametrize(
    ("first", "why"),
    [
        (("id", "42"), "a number in the first line"),
        (("id", "x" * 150, "last"), "a name of 150 characters before the last column"),
        (("id", "bad\nname"), "a line break in a name"),
        (("", "id"), "an empty name before the last column"),
        ((), "an empty file"),
    ],
)
def test_a_first_line_that_cannot_be_a_header_is_not_one(first: tuple[str, ...], why: str) -> None:
    assert not looks_like_header(first, [("1", "2")]), why


def test_a_trailing_empty_last_column_and_a_long_last_name_still_make_a_header() -> None:
    assert looks_like_header(("id", "price", ""), [("1", "2.5", "")])
    assert looks_like_header(("id", "y" * 200), [("1", "x")])


def test_a_classifier_input_reads_back_as_the_same_format() -> None:
    semicolons = CsvFormat(delimiter=";", quote="'", contains_header=ABSENT, header=("a", "b"))

    fields = classifier_input("raw", semicolons)

    assert fields == {
        "Name": "raw",
        "Delimiter": ";",
        "QuoteSymbol": "'",
        "ContainsHeader": "ABSENT",
        "Header": ["a", "b"],
    }
    assert format_of(fields) == semicolons
    assert format_of({"Name": "bare"}) == BUILT_IN_CSV
