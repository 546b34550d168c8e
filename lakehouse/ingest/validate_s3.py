"""Gate: the raw zone holds, for the run date, files of every entity with every contract column."""

import csv
import logging
from datetime import date
from typing import Any

from lakehouse.config import Settings
from lakehouse.errors import SourceError
from lakehouse.ingest.csv_sample import find_missing_columns, parse_csv_header
from lakehouse.ingest.raw_zone import (
    HEADER_SAMPLE_BYTES,
    build_partition_prefix,
    is_csv_name,
    list_keys,
    read_object_head,
    translate_aws_errors,
)
from lakehouse.resources.aws import make_client
from lakehouse.schema import RAW_ENTITIES, RawEntity

logger = logging.getLogger(__name__)


def validate_s3(settings: Settings, run_date: date) -> dict[str, list[str]]:
    """Check every entity's partition of ``run_date``: present, and each file's header complete.

    Column order is free and extra columns are allowed; header names are compared after trimming.

    Args:
        settings: Settings naming the raw bucket and the S3 endpoint.
        run_date: Ingest date whose partitions are checked.

    Returns:
        Entity -> the object keys of its CSV files in the partition.

    Raises:
        SourceError: Listing every empty partition and every file with a missing header or
            missing contract columns, each with its ``s3://`` URL.
        ServiceError: When S3 or the raw bucket cannot be reached.
    """
    s3 = make_client(settings, "s3")
    keys: dict[str, list[str]] = {}
    problems: list[str] = []
    with translate_aws_errors(settings, f"checking the raw zone for {run_date.isoformat()}"):
        for entity in RAW_ENTITIES:
            keys[entity.name], entity_problems = _check_partition(s3, settings, entity, run_date)
            problems += entity_problems
    if problems:
        raise SourceError(
            f"raw zone check failed for ingest date {run_date.isoformat()}:\n- "
            + "\n- ".join(problems)
        )
    logger.info("raw zone for %s holds %s", run_date, {name: len(k) for name, k in keys.items()})
    return keys


def _check_partition(
    s3: Any, settings: Settings, entity: RawEntity, run_date: date
) -> tuple[list[str], list[str]]:
    """The CSV keys of an entity's partition, and the problems found with them."""
    prefix = build_partition_prefix(entity.name, run_date)
    keys = [key for key in list_keys(s3, settings.raw_bucket, prefix) if is_csv_name(key)]
    if not keys:
        problem = (
            f"{settings.raw_url(prefix)}: no {entity.name}*.csv[.gz] file; "
            "land the source folder for this date first (lakehouse land-raw)"
        )
        return keys, [problem]
    problems = [problem for key in keys if (problem := _check_header(s3, settings, entity, key))]
    return keys, problems


def _check_header(s3: Any, settings: Settings, entity: RawEntity, key: str) -> str | None:
    """The problem with one file's header, or ``None`` when it has every contract column."""
    url = settings.raw_url(key)
    try:
        head = read_object_head(s3, settings.raw_bucket, key, HEADER_SAMPLE_BYTES)
        header = parse_csv_header(head.text)
    except SourceError as error:
        return str(error)
    except csv.Error as error:
        return f"{url}: header is not valid CSV ({error}); fix the file and land it again"
    if not header:
        return f"{url}: empty file; expected a header row with {', '.join(entity.column_names)}"
    missing = find_missing_columns(header, entity.column_names)
    if missing:
        return (
            f"{url}: header lacks column(s) {', '.join(missing)} "
            f"(found: {', '.join(header)}); add them to the file and land it again"
        )
    return None
