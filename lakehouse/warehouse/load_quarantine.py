"""Copy a run's quarantine records from the raw zone into ``audit.quarantine``."""

import json
from collections.abc import Iterator
from typing import Any

from psycopg.types.json import Jsonb

from lakehouse.config import Settings
from lakehouse.ingest.raw_zone import list_keys, quarantine_prefix
from lakehouse.resources.aws import make_client
from lakehouse.resources.warehouse import connect
from lakehouse.schema import RAW_ENTITIES

COLUMNS = "run_id, entity, source_file, line_number, reasons, record"


def load_quarantine(settings: Settings, run_id: str) -> int:
    """Replace the run's rows in ``audit.quarantine`` with its JSON records; returns rows copied.

    Streams each JSON-lines object from the raw zone into ``COPY FROM STDIN``; re-running it for
    the same run gives the same rows.
    """
    rows = 0
    with connect(settings) as connection, connection.cursor() as cursor:
        cursor.execute("delete from audit.quarantine where run_id = %s", (run_id,))
        with cursor.copy(f"copy audit.quarantine ({COLUMNS}) from stdin") as copy:
            for item in read_quarantine_records(settings, run_id):
                copy.write_row(_quarantine_row(item))
                rows += 1
        connection.commit()
    return rows


def read_quarantine_records(settings: Settings, run_id: str) -> Iterator[dict[str, Any]]:
    """Every quarantine record of a run, entity by entity, streamed from the raw zone."""
    s3 = make_client(settings, "s3")
    for entity in RAW_ENTITIES:
        prefix = quarantine_prefix(entity.name, run_id)
        for key in list_keys(s3, settings.raw_bucket, prefix):
            if key.endswith(".json"):
                body = s3.get_object(Bucket=settings.raw_bucket, Key=key)["Body"]
                yield from (json.loads(line) for line in body.iter_lines() if line)


def _quarantine_row(item: dict[str, Any]) -> tuple[Any, ...]:
    return (
        item["run_id"],
        item["entity"],
        item["source_file"],
        item["line_number"],
        Jsonb(item["reasons"]),
        Jsonb(item.get("record", {})),
    )
