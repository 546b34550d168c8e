"""Parse the start of a source CSV file (CONTRACT.md section 1) into its records and header."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class CsvSample:
    """The column names and the first rows of a CSV file, every value trimmed.

    Attributes:
        header: Column names in file order; empty when the text has no record.
        rows: Complete data rows.
        header_line: Whether the file's first line holds the names (and is not a row).
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    header_line: bool = True


def parse_csv_records(
    text: str, truncated: bool = False, delimiter: str = ",", quote: str = '"'
) -> tuple[tuple[str, ...], ...]:
    """Parse CSV text (RFC 4180 by default) into trimmed records, the header line included.

    Args:
        text: The start of a CSV file, or the whole file.
        truncated: Whether the file goes on past ``text``; the last record may then be cut off
            and is dropped.
        delimiter: The character between values.
        quote: The character around values that hold a delimiter or a line break.

    Returns:
        The complete records; blank lines are skipped.
    """
    records = list(_read_records(text, delimiter, quote))
    if truncated and len(records) > 1:
        records = records[:-1]
    return tuple(tuple(value.strip() for value in record) for record in records)


def parse_csv_header(text: str) -> tuple[str, ...]:
    """Return the trimmed column names of the first non-blank CSV record of ``text``."""
    record = next(_read_records(text), [])
    return tuple(value.strip() for value in record)


def find_missing_columns(header: tuple[str, ...], expected: tuple[str, ...]) -> list[str]:
    """Return the expected column names absent from ``header``, in expected order."""
    present = set(header)
    return [name for name in expected if name not in present]


def _read_records(text: str, delimiter: str = ",", quote: str = '"') -> Iterator[list[str]]:
    """Non-blank CSV records of ``text``; spaces before a quoted value are skipped."""
    reader = csv.reader(
        io.StringIO(text), delimiter=delimiter, quotechar=quote, skipinitialspace=True
    )
    return (record for record in reader if record)
