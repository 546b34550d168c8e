"""Write generated tables as contract CSV files (UTF-8, header row, RFC 4180 quoting)."""

from collections.abc import Iterable
from contextlib import nullcontext
from gzip import GzipFile
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.csv as pacsv

from lakehouse.errors import SourceError
from lakehouse.schema.raw import RawEntity

# Every non-empty text value is quoted; a NULL is written as a bare empty field.
_WRITE_OPTIONS = pacsv.WriteOptions(quoting_style="needed")
_GZIP_LEVEL = 6


def assemble_table(entity: RawEntity, columns: dict[str, pa.Array]) -> pa.Table:
    """Put text columns into the entity's contract column order.

    Raises:
        SourceError: When the columns are not exactly the entity's contract columns.
    """
    if set(columns) != set(entity.column_names):
        raise SourceError(
            f"generated {entity.name} columns {sorted(columns)} differ from the contract's "
            f"{sorted(entity.column_names)}"
        )
    return pa.table([columns[name] for name in entity.column_names], names=entity.column_names)


def write_csv_file(path: Path, entity: RawEntity, chunks: Iterable[pa.Table], gzip: bool) -> int:
    """Write one CSV file from tables written one after the other; returns the data rows written.

    Args:
        path: File to create (replaced when it exists).
        entity: Raw entity whose contract columns the tables have.
        chunks: Tables in file order; only one is held at a time.
        gzip: Whether to gzip-compress the file.
    """
    schema = pa.schema([(name, pa.string()) for name in entity.column_names])
    rows = 0
    with (
        path.open("wb") as raw,
        _compress(raw) if gzip else nullcontext(raw) as sink,
        pacsv.CSVWriter(sink, schema, write_options=_WRITE_OPTIONS) as writer,
    ):
        for chunk in chunks:
            writer.write_table(chunk)
            rows += chunk.num_rows
    return rows


def _compress(raw: BinaryIO) -> GzipFile:
    # Level 6 is gzip's own default and about five times faster than pyarrow's level 9; a zero
    # mtime and no file name in the header keep the bytes reproducible.
    return GzipFile(filename="", mode="wb", compresslevel=_GZIP_LEVEL, fileobj=raw, mtime=0)
