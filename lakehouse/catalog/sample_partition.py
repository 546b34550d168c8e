"""Sample a raw-zone table's newest partition as a Glue crawler does: the start of each file."""

import csv
from typing import Any

from lakehouse.catalog.csv_classifier import CsvFormat
from lakehouse.config import Settings
from lakehouse.errors import SourceError
from lakehouse.ingest.csv_sample import CsvSample, parse_csv_records
from lakehouse.ingest.raw_zone import (
    build_partition_prefix,
    is_csv_name,
    list_keys,
    read_object_head,
)

#: Bytes read from the start of each sampled file, as a Glue crawler samples at most ~1 MB.
SAMPLE_BYTES = 1024 * 1024


def sample_newest_partition(
    s3: Any, settings: Settings, table: str, values: list[str], csv_format: CsvFormat
) -> tuple[list[str], list[CsvSample]]:
    """Return the CSV keys of the newest partition that has any, and a sample of each file.

    Args:
        s3: S3 client.
        settings: Settings naming the raw bucket.
        table: Raw-zone folder (entity) name.
        values: The table's partition values, oldest first.
        csv_format: How the crawler's classifier reads the files (header, delimiter, quote).

    Returns:
        Keys and their samples; both empty when no partition holds a CSV file.

    Raises:
        SourceError: When a sampled file is not readable as CSV.
    """
    for value in reversed(values):
        prefix = build_partition_prefix(table, value)
        keys = [key for key in list_keys(s3, settings.raw_bucket, prefix) if is_csv_name(key)]
        if keys:
            return keys, [_sample_file(s3, settings, key, csv_format) for key in keys]
    return [], []


def _sample_file(s3: Any, settings: Settings, key: str, csv_format: CsvFormat) -> CsvSample:
    """Column names and first rows of one raw file, from a ranged read of its first bytes."""
    head = read_object_head(s3, settings.raw_bucket, key, SAMPLE_BYTES)
    try:
        records = parse_csv_records(
            head.text, head.truncated, csv_format.delimiter, csv_format.quote
        )
    except csv.Error as error:
        raise SourceError(
            f"{settings.raw_url(key)} is not readable as CSV ({error}); "
            "fix the file and land it again"
        ) from error
    return csv_format.sample(records)
