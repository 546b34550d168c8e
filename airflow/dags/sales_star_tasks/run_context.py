"""What a task knows about its DAG run, turned into the pipeline's own terms."""

from datetime import UTC, date, datetime
from typing import Any

from lakehouse.config import Settings
from lakehouse.pipeline.run_record import RunRecord
from lakehouse.pipeline.steps import derive_run_id

#: XCom key under which each step task stores its duration in seconds.
SECONDS_KEY = "seconds"


def read_run_date(context: dict[str, Any]) -> date:
    """The run date: the DAG run's logical date (``ds``)."""
    return date.fromisoformat(context["ds"])


def read_run_id(context: dict[str, Any]) -> str:
    """The pipeline run id of this DAG run, the same in every task and on every retry."""
    return render_run_id(context["ds"], context["dag_run"].run_id)


def build_run_record(settings: Settings, context: dict[str, Any], status: str) -> RunRecord:
    """An audit record of this DAG run (counts and durations are added by the caller)."""
    source = context["params"].get("source") or settings.raw_url()
    started_at = context["dag_run"].start_date or datetime.now(UTC)
    record = RunRecord(read_run_id(context), read_run_date(context), source, started_at)
    record.status = status
    return record


def render_run_id(ds: str, dag_run_id: str) -> str:
    """Template macro ``pipeline_run_id(ds, run_id)``: the pipeline run id of a DAG run."""
    return derive_run_id(date.fromisoformat(ds), dag_run_id)
