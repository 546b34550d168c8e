"""Parse the start of a source CSV file (CONTRACT.md section 1) into a header and sample rows."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class CsvSample:
    """The header and the first rows of a CSV file, every value trimmed.

    Attributes:
        header: Column names in file order; empty when the text has no header line.
        rows: Complete data rows that follow the header.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def parse_csv_sample(text: str, truncated: bool = False) -> CsvSample:
    """Parse CSV text (RFC 4180, comma-separated) into a trimmed header and rows.

    Args:
        text: The start of a CSV file, or the whole file.
        truncated: Whether the file goes on past ``text``; the last row may then be cut off
            and is dropped.

    Returns:
        The header and the complete rows; blank lines are skipped.
    """
    records = list(_read_records(text))
    if truncated and len(records) > 1:
        records = records[:-1]
    trimmed = [tuple(value.strip() for value in record) for record in records]
    if not trimmed:
        return CsvSample(header=(), rows=())
    return CsvSample(header=trimmed[0], rows=tuple(trimmed[1:]))


def parse_csv_header(text: str) -> tuple[str, ...]:
    """Return the trimmed column names of the first non-blank CSV record of ``text``."""
    record = next(_read_records(text), [])
    return tuple(value.strip() for value in record)


def find_missing_columns(header: tuple[str, ...], expected: tuple[str, ...]) -> list[str]:
    """Return the expected column names absent from ``header``, in expected order."""
    present = set(header)
    return [name for name in expected if name not in present]


def _read_records(text: str) -> Iterator[list[str]]:
    """Non-blank CSV records of ``text``; spaces before a quoted value are skipped."""
    return (record for record in csv.reader(io.StringIO(text), skipinitialspace=True) if record)
