"""How a DAG run ends: audit record, CloudWatch metrics and a JSON log line, pass or fail."""

import logging
from typing import Any

from lakehouse.config import Profile, Settings
from lakehouse.observability.json_logs import log_event
from lakehouse.observability.metrics import publish_run_metrics
from lakehouse.pipeline.audit import audit_run
from lakehouse.pipeline.gate_outcomes import step_gates
from lakehouse.pipeline.steps import record_failed_run
from sales_star_tasks.run_context import SECONDS_KEY, build_run_record
from sales_star_tasks.task_settings import task_settings
from spark_app.build_report import EntityCounts, load_report

log = logging.getLogger(__name__)


def record_success(context: dict[str, Any], step_ids: list[str]) -> None:
    """Audit the run as succeeded with its entity counts and step durations, and publish metrics."""
    settings, ti = task_settings(), context["ti"]
    record = build_run_record(settings, context, "succeeded")
    record.entities = entity_counts(settings, ti.xcom_pull(task_ids="run_glue_etl"), record.run_id)
    durations = ti.xcom_pull(task_ids=step_ids, key=SECONDS_KEY) or []
    steps = [step.rsplit(".", 1)[-1] for step in step_ids]
    record.step_seconds = {
        step: seconds
        for step, seconds in zip(steps, durations, strict=False)
        if seconds is not None
    }
    for step in steps:
        record.gates.update(step_gates(step))
    audit_run(settings, record)
    publish_run_metrics(settings, record)
    log_event(log, "run_succeeded", run_id=record.run_id, steps=record.step_seconds)


def entity_counts(settings: Settings, xcom: Any, run_id: str) -> dict[str, EntityCounts]:
    """What the run's build counted: the local task's XCom, or on aws the Glue job's report.

    On aws the task's XCom is the Glue job run's id; the job saved its report in the curated zone.
    """
    if isinstance(xcom, dict):
        return {name: EntityCounts(**value) for name, value in xcom.items()}
    report = load_report(settings, run_id) if settings.profile is Profile.AWS else None
    return report.entities if report else {}


def record_failure(context: dict[str, Any]) -> None:
    """On-failure callback: audit the run as failed at this task, publish metrics, log why."""
    settings = task_settings()
    record = build_run_record(settings, context, "failed")
    record.failed_step = context["ti"].task_id
    error = context.get("exception")
    record.message = str(error or "task failed")
    if error is not None:
        record.gates = step_gates(record.failed_step, error)
    record_failed_run(settings, record)
    try:
        publish_run_metrics(settings, record)
    except Exception as error:  # noqa: BLE001 - the task's own error matters more
        log.warning("could not publish metrics of failed run %s: %s", record.run_id, error)
    log_event(
        log,
        "run_failed",
        logging.ERROR,
        run_id=record.run_id,
        failed_step=record.failed_step,
        message=record.message,
        hint="see this task's log and audit.pipeline_runs for the run id",
    )
