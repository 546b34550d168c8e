from datetime import UTC, date, datetime

import pytest

from lakehouse.bench.pipeline_runs import input_rows
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
