"""Record batches become CSV text that PostgreSQL's COPY (format csv) reads back unchanged."""

from datetime import date
from decimal import Decimal

import pyarrow as pa

from lakehouse.warehouse.load_table import batch_to_csv


def test_batch_to_csv_quotes_empty_strings_and_writes_null_as_an_unquoted_empty_field() -> None:
    batch = pa.record_batch(
        {
            "key": pa.array([1, 2, 3], pa.int32()),
            "name": pa.array(["Ann", "", None]),
            "amount": pa.array([Decimal("1.50"), None, Decimal("-2.00")], pa.decimal128(14, 2)),
        }
    )

    assert batch_to_csv(batch) == b'1,"Ann",1.50\n2,"",\n3,,-2.00\n'


def test_batch_to_csv_escapes_quotes_commas_and_newlines_inside_text() -> None:
    batch = pa.record_batch({"text": pa.array(['say "hi", then', "two\nlines"])})

    assert batch_to_csv(batch) == b'"say ""hi"", then"\n"two\nlines"\n'


def test_batch_to_csv_writes_dates_as_iso_and_booleans_as_words_without_a_header() -> None:
    batch = pa.record_batch(
        {
            "date_value": pa.array([date(2024, 2, 29), None]),
            "is_weekend": pa.array([True, None]),
            "year": pa.array([2024, None], pa.int16()),
        }
    )

    assert batch_to_csv(batch) == b"2024-02-29,true,2024\n,,\n"


def test_batch_to_csv_of_an_empty_batch_is_empty() -> None:
    batch = pa.record_batch({"name": pa.array([], pa.string())})

    assert batch_to_csv(batch) == b""
