from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from lakehouse.bench import pipeline_runs
from lakehouse.bench.pipeline_runs import input_rows, spark_jobs_started
from lakehouse.pipeline.run_pipeline import RunSummary
from lakehouse.pipeline.run_record import RunRecord


@pytest.fixture
def summary() -> RunSummary:
    record = RunRecord("run-1", date(2024, 6, 30), "source", datetime.now(UTC))
    return RunSummary(
        record,
        curated_rows={"customer_dim": 11, "sales_fact": 100},
        rows_applied={"customer_dim": 3, "sales_fact": 90},
    )


@pytest.mark.parametrize(
    ("step", "rows"),
    [
        ("land_raw", 1_000),  # raw rows, up to the transform
        ("run_glue_etl", 1_000),
        ("create_schema", None),  # reads no rows
        ("load_customer_dim", 3),  # the rows it applies
        ("load_sales_fact", 90),
        ("quality_checks", 100),  # the fact, loaded equal to the curated one
        ("refresh_mat_views", 100),
    ],
)
def test_input_rows_are_the_rows_each_step_reads(summary, step, rows):
    assert input_rows(step, summary, raw_rows=1_000) == rows


@pytest.mark.parametrize(("engine_runs", "jobs"), [(True, 237), (False, 0)])
def test_before_a_runs_first_step_the_engines_jobs_so_far_are_counted_if_it_runs_there(
    monkeypatch, engine_runs, jobs
):
    # No session in this process yet: the engine may have run other processes' jobs already.
    monkeypatch.setattr(
        pipeline_runs, "SparkSession", SimpleNamespace(getActiveSession=lambda: None)
    )
    monkeypatch.setattr(pipeline_runs, "engine_runs", lambda settings: engine_runs)
    monkeypatch.setattr(pipeline_runs, "engine_jobs_started", lambda settings: 237)

    assert spark_jobs_started(settings=None) == jobs
