"""`lakehouse run`: every step of the pipeline, in the seed's order, timed and audited."""

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from lakehouse.catalog.register_tables import run_crawler
from lakehouse.catalog.validate_catalog import validate_catalog
from lakehouse.config import Settings
from lakehouse.errors import LakehouseError, StepError
from lakehouse.ingest.land_raw import land_raw
from lakehouse.ingest.validate_s3 import validate_s3
from lakehouse.pipeline.audit import audit_run
from lakehouse.pipeline.gate_outcomes import step_gates
from lakehouse.pipeline.lost_service import lost_service_error
from lakehouse.pipeline.run_lock import holding_lake
from lakehouse.pipeline.run_record import RunRecord
from lakehouse.pipeline.steps import record_failed_run, run_glue_etl
from lakehouse.warehouse.create_schema import create_schema
from lakehouse.warehouse.load_star import load_star
from lakehouse.warehouse.quality_checks import CheckResult, run_quality_checks
from lakehouse.warehouse.refresh_mat_views import refresh_mat_views
from spark_app.build_report import BuildReport

log = logging.getLogger(__name__)
#: Called with (step name, "start" | "done" | "failed", seconds).
StepListener = Callable[[str, str, float], None]


@dataclass
class RunSummary:
    """Everything a finished run reports: counts, table rows, checks and time per step."""

    record: RunRecord
    build: BuildReport | None = None
    curated_rows: dict[str, int] = field(default_factory=dict)
    rows_applied: dict[str, int] = field(default_factory=dict)
    checks: list[CheckResult] = field(default_factory=list)


def new_run_id(run_date: date) -> str:
    """A unique, sortable run id: run date, UTC start time and a random suffix."""
    return f"{run_date:%Y%m%d}-{datetime.now(UTC):%H%M%S}-{uuid.uuid4().hex[:6]}"


def run_pipeline(
    settings: Settings,
    source_dir: Path,
    run_date: date,
    listener: StepListener | None = None,
) -> RunSummary:
    """Land ``source_dir`` and run every step; raises the first step's error after auditing it.

    The run holds the lake for its whole length (:mod:`lakehouse.pipeline.run_lock`): a second
    run against the same lake is refused with the holder's name, never interleaved.
    """
    record = RunRecord(new_run_id(run_date), run_date, str(source_dir), datetime.now(UTC))
    summary = RunSummary(record)
    timer = _StepTimer(record, listener or (lambda *_: None), settings)
    try:
        with holding_lake(settings, record.run_id):
            _run_steps(settings, source_dir, summary, timer)
    except LakehouseError as error:
        record.status, record.message = "failed", str(error)
        record_failed_run(settings, record)
        raise
    record.status = "succeeded"
    audit_run(settings, record)
    return summary


def _run_steps(
    settings: Settings, source_dir: Path, summary: RunSummary, timer: "_StepTimer"
) -> None:
    record = summary.record
    run_date = record.run_date
    with timer.step("land_raw"):
        land_raw(settings, source_dir, run_date)
    with timer.step("validate_s3"):
        validate_s3(settings, run_date)
    with timer.step("run_crawler"):
        run_crawler(settings)
    with timer.step("validate_catalog"):
        validate_catalog(settings, run_date)
    with timer.step("run_glue_etl"):
        summary.build = run_glue_etl(settings, record.run_id, run_date)
        record.entities = summary.build.entities
        summary.curated_rows = summary.build.curated_rows
    with timer.step("create_schema"):
        create_schema(settings)
    # One transaction for the whole star, each table's load timed as its own step.
    summary.rows_applied = load_star(settings, lambda table: timer.step(f"load_{table.name}"))
    with timer.step("quality_checks"):
        summary.checks = run_quality_checks(settings, record.run_id)
    with timer.step("refresh_mat_views"):
        refresh_mat_views(settings)


class _StepTimer:
    """Times each step into the run record and tells the listener."""

    def __init__(self, record: RunRecord, listener: StepListener, settings: Settings) -> None:
        self.record, self.listener, self.settings = record, listener, settings

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        self.listener(name, "start", 0.0)
        try:
            yield
        except Exception as error:
            self.record.failed_step = name
            self.record.gates.update(step_gates(name, error))
            self.listener(name, "failed", time.perf_counter() - started)
            if isinstance(error, LakehouseError):
                raise
            lost = lost_service_error(name, error, self.settings)
            if lost is not None:
                raise lost from error
            raise StepError(f"step {name} failed: {_first_line(error)}") from error
        seconds = time.perf_counter() - started
        self.record.gates.update(step_gates(name))
        self.record.step_seconds[name] = round(seconds, 3)
        self.listener(name, "done", seconds)
        log.info("step %s took %.1f s", name, seconds)


def _first_line(error: Exception) -> str:
    """The first line of an error's message (Spark's carry a JVM stack trace after it)."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"
