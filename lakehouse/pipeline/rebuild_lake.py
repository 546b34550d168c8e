"""`lakehouse rebuild`: re-create the curated zone from every ingest date still in the raw zone.

Removes the curated star tables, crawls the raw zone, then runs the ETL build once per ingest date
(``s3://<raw>/<entity>/ingest_date=YYYY-MM-DD/``), in date order, with that date as the run date.
New surrogate keys are numbered after the largest key given so far, in natural-key order within
a batch, so replaying the dates in date order gives every natural key the key its own run gave
it, as long as the dates were first run in date order (an earlier date run after later ones gets
other keys on replay). The whole rebuild holds the lake (:mod:`run_lock`). The warehouse is not
touched: the next `lakehouse run` reloads it in full from the rebuilt tables, after checking that
they keep every key the warehouse holds (:mod:`lakehouse.warehouse.keep_keys`), so keys that
differ stop that load instead of changing history.

A date whose files fail a gate (the raw zone check or a batch gate) is skipped: its own run was
stopped by the same gate before it changed the curated zone.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from lakehouse.catalog.register_tables import run_crawler
from lakehouse.catalog.validate_catalog import validate_catalog
from lakehouse.config import Settings
from lakehouse.errors import DataQualityError, SourceError
from lakehouse.ingest.raw_zone import PARTITION_KEY, list_folders, list_keys, translate_aws_errors
from lakehouse.ingest.validate_s3 import validate_s3
from lakehouse.pipeline.run_lock import holding_lake
from lakehouse.pipeline.steps import run_glue_etl
from lakehouse.resources.aws import make_client
from lakehouse.schema import RAW_ENTITIES, STAR_TABLES
from lakehouse.stack.reset import delete_keys
from spark_app.build_report import BuildReport

log = logging.getLogger(__name__)
_INGEST_FOLDER = re.compile(rf"^{PARTITION_KEY}=(\d{{4}}-\d{{2}}-\d{{2}})$")
#: Gates whose failure skips a date (its own run stopped there too, the curated zone unchanged).
_GATE_ERRORS = (SourceError, DataQualityError)


@dataclass(frozen=True)
class ReplayedDate:
    """One ingest date of a rebuild: building, rebuilt or skipped.

    Attributes:
        run_date: The ingest date, built as the run date.
        run_id: Run id of its build (names its quarantine records in the raw zone).
        status: ``building``, ``rebuilt`` or ``skipped``.
        seconds: Time its build took (0 while building).
        build: The build's counts when rebuilt.
        reason: Why it was skipped: the gate's message.
    """

    run_date: date
    run_id: str
    status: str = "building"
    seconds: float = 0.0
    build: BuildReport | None = None
    reason: str = ""


@dataclass
class RebuildReport:
    """What a rebuild did: objects removed from the curated zone and each ingest date replayed."""

    removed_objects: int = 0
    dates: list[ReplayedDate] = field(default_factory=list)


def parse_ingest_dates(folders: Iterable[str]) -> list[date]:
    """The ingest dates named by ``ingest_date=YYYY-MM-DD`` folder names, sorted, each once."""
    matches = (_INGEST_FOLDER.match(folder) for folder in folders)
    return sorted({date.fromisoformat(match[1]) for match in matches if match})


def list_ingest_dates(settings: Settings) -> list[date]:
    """Every ingest date that has a partition of any raw entity, in date order."""
    s3 = make_client(settings, "s3")
    with translate_aws_errors(settings, "listing the raw zone's ingest dates"):
        folders = [
            folder
            for entity in RAW_ENTITIES
            for folder in list_folders(s3, settings.raw_bucket, f"{entity.name}/")
        ]
    return parse_ingest_dates(folders)


def remove_curated_tables(settings: Settings) -> int:
    """Delete every object of the curated star tables (not locks or reports); returns how many."""
    s3 = make_client(settings, "s3")
    removed = 0
    for table in STAR_TABLES:
        keys = list_keys(s3, settings.curated_bucket, f"{table.name}/")
        delete_keys(s3, settings.curated_bucket, keys)
        removed += len(keys)
    return removed


def rebuild_lake(
    settings: Settings, listener: Callable[[ReplayedDate], None] | None = None
) -> RebuildReport:
    """Re-create the curated star tables from every ingest date in the raw zone, in date order.

    ``listener`` hears each date when its build starts and when it ends.

    Raises:
        SourceError: The raw zone has no ingest date; nothing was removed.
        RunLockedError: Another run holds the lake.
    """
    dates = list_ingest_dates(settings)
    if not dates:
        raise SourceError(
            f"the raw zone {settings.raw_url()}/ holds no ingest_date partition to rebuild"
            " from; nothing was removed (land the source files with `lakehouse land-raw`)"
        )
    report, tell = RebuildReport(), listener or (lambda _: None)
    suffix = f"{datetime.now(UTC):%H%M%S}-{uuid.uuid4().hex[:6]}"
    with holding_lake(settings, f"rebuild-{suffix}"):
        report.removed_objects = remove_curated_tables(settings)
        run_crawler(settings)
        for run_date in dates:
            run_id = f"{run_date:%Y%m%d}-rebuild-{suffix}"
            tell(ReplayedDate(run_date, run_id))
            replayed = replay_date(settings, run_date, run_id)
            report.dates.append(replayed)
            tell(replayed)
    return report


def replay_date(settings: Settings, run_date: date, run_id: str) -> ReplayedDate:
    """Check and build one ingest date as its run did; skipped when one of its gates fails."""
    started = time.perf_counter()
    try:
        validate_s3(settings, run_date)
        validate_catalog(settings, run_date)
        build = run_glue_etl(settings, run_id, run_date, guard_history=False)
    except _GATE_ERRORS as error:
        log.warning("rebuild skips %s: %s", run_date, error)
        seconds = time.perf_counter() - started
        reason = str(error).splitlines()[0]
        return ReplayedDate(run_date, run_id, "skipped", seconds, reason=reason)
    return ReplayedDate(run_date, run_id, "rebuilt", time.perf_counter() - started, build)
