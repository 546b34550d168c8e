import pytest

from lakehouse.ingest.csv_sample import (
    find_missing_columns,
    parse_csv_header,
    parse_csv_records,
)


def test_parse_csv_records_trims_names_and_values_and_skips_blank_lines() -> None:
    text = ' id , name \n1, "Ada, Countess" \n\n2,Bob\n'

    assert parse_csv_records(text) == (("id", "name"), ("1", "Ada, Countess"), ("2", "Bob"))


def test_parse_csv_records_reads_another_delimiter_and_quote() -> None:
    text = "id;name\n1;'Ada; Countess'\n"

    assert parse_csv_records(text, delimiter=";", quote="'") == (
        ("id", "name"),
        ("1", "Ada; Countess"),
    )


def test_parse_csv_records_drops_the_cut_off_last_row_of_a_truncated_text() -> None:
    text = 'id,note\n1,"complete"\n2,"cut in the mid'

    assert parse_csv_records(text, truncated=True) == (("id", "note"), ("1", "complete"))


def test_parse_csv_records_keeps_a_quoted_line_break_inside_one_value() -> None:
    text = 'id,note\n1,"two\nlines"\n'

    assert parse_csv_records(text) == (("id", "note"), ("1", "two\nlines"))


def test_parse_csv_records_of_empty_text_is_empty() -> None:
    assert parse_csv_records("") == ()


def test_parse_csv_header_reads_only_the_first_non_blank_record() -> None:
    assert parse_csv_header('\n sale_id ,"unit_price"\nnot,a header\n') == (
        "sale_id",
        "unit_price",
    )


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (("b", "a", "c"), []),  # order is free
        (("a", "b", "c", "extra"), []),  # extra columns are allowed
        (("c", "a"), ["b"]),  # one missing column
        ((), ["a", "b", "c"]),  # no header at all
        (("A", "B", "C"), ["a", "b", "c"]),  # names are case-sensitive
    ],
)
def test_find_missing_columns_lists_absent_contract_columns_in_contract_order(
    header: tuple[str, ...], missing: list[str]
) -> None:
    assert find_missing_columns(header, ("a", "b", "c")) == missing
