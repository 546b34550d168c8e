"""One measured pipeline run: wall time, and per step its seconds, input rows and peak memory."""

import time
from collections.abc import Callable
from datetime import date

from pyspark.sql import SparkSession
from pyspark.sql.connect.session import SparkSession as ConnectSession

from lakehouse.bench.datasets import DataSet
from lakehouse.bench.measure import MemoryPeak, PeakSampler
from lakehouse.bench.results import RunResult, StepResult
from lakehouse.config import Settings
from lakehouse.pipeline.run_pipeline import RunSummary, run_pipeline
from lakehouse.schema.raw import SALES
from lakehouse.schema.star import SALES_FACT
from lakehouse.stack.spark_engine import engine_jobs_started, engine_runs

#: Steps that read the warehouse's fact table.
_WAREHOUSE_STEPS = ("quality_checks", "refresh_mat_views")
#: Steps that read no rows.
_NO_ROWS = ("create_schema",)


def measure_run(
    settings: Settings,
    sampler: PeakSampler,
    name: str,
    data: DataSet,
    run_date: date,
    lines_before: int,
    progress: Callable[[str], None],
) -> RunResult:
    """Run the pipeline on ``data`` for ``run_date`` and return what it measured."""
    jobs_before: dict[str, int] = {}
    jobs: dict[str, int] = {}

    def listen(step: str, event: str, seconds: float) -> None:
        if event == "start":
            sampler.label(f"{name}:{step}")
            jobs_before[step] = spark_jobs_started(settings)
        else:
            jobs[step] = spark_jobs_started(settings) - jobs_before[step]
            progress(f"{name}: {step} {event} in {seconds:.1f} s, {jobs[step]} Spark jobs")

    sampler.label(f"{name}:start")
    started = time.perf_counter()
    summary = run_pipeline(settings, data.folder, run_date, listen)
    seconds = time.perf_counter() - started
    steps = tuple(
        StepResult(
            step,
            step_seconds,
            input_rows(step, summary, data.total_rows),
            sampler.peaks.get(f"{name}:{step}", MemoryPeak()),
            jobs.get(step),
        )
        for step, step_seconds in summary.record.step_seconds.items()
    )
    return RunResult(name, data.rows[SALES.name], lines_before, seconds, steps)


def spark_jobs_started(settings: Settings) -> int:
    """Jobs the Spark that runs the steps has started so far; 0 before it starts.

    That is the stack's warm engine when the run uses it (its web UI counts them, those of
    earlier processes' runs too, so a step's jobs are a difference even before this process
    has a session on it), else this process's own session. Job ids count up from 0 in a Spark
    application, so the newest id tells how many ran, however few of them Spark still keeps.
    """
    session = SparkSession.getActiveSession()
    if isinstance(session, ConnectSession) or (session is None and engine_runs(settings)):
        return engine_jobs_started(settings)
    if session is None:
        return 0
    return max(session.sparkContext.statusTracker().getJobIdsForGroup(), default=-1) + 1


def input_rows(step: str, summary: RunSummary, raw_rows: int) -> int | None:
    """Rows a step reads: raw rows up to the transform, then rows applied or curated rows."""
    if step in _NO_ROWS:
        return None
    if step.startswith("load_"):
        return summary.rows_applied.get(step.removeprefix("load_"))
    if step in _WAREHOUSE_STEPS:
        return summary.curated_rows.get(SALES_FACT.name)
    return raw_rows
