"""What a DAG run reports: CloudWatch metric data, JSON log lines and its stable run id."""

import json
import logging
from datetime import UTC, date, datetime

from lakehouse.observability.json_logs import log_event
from lakehouse.observability.metrics import build_run_metrics
from lakehouse.pipeline.run_record import RunRecord
from lakehouse.pipeline.steps import derive_run_id
from spark_app.build_report import EntityCounts


def test_run_metrics_hold_the_outcome_rows_per_entity_and_seconds_per_step():
    record = RunRecord("r1", date(2024, 6, 30), "s3://raw", datetime(2024, 6, 30, tzinfo=UTC))
    record.status = "succeeded"
    record.entities = {"sales": EntityCounts(10, 7, 2, 1)}
    record.step_seconds = {"run_glue_etl": 12.5}

    metrics = {
        (datum["MetricName"], datum["Dimensions"][0]["Value"]): (datum["Value"], datum["Unit"])
        for datum in build_run_metrics(record)
    }

    assert metrics == {
        ("Runs", "succeeded"): (1.0, "Count"),
        ("RowsRead", "sales"): (10.0, "Count"),
        ("RowsLoaded", "sales"): (7.0, "Count"),
        ("RowsQuarantined", "sales"): (2.0, "Count"),
        ("StepSeconds", "run_glue_etl"): (12.5, "Seconds"),
    }


def test_log_event_writes_one_json_line_with_the_event_and_its_fields(caplog):
    logger = logging.getLogger("tests.json_logs")
    with caplog.at_level(logging.INFO, logger="tests.json_logs"):
        log_event(logger, "step_done", step="load_sales_fact", seconds=0.5, day=date(2024, 6, 30))

    (line,) = caplog.messages
    assert json.loads(line) == {
        "event": "step_done",
        "step": "load_sales_fact",
        "seconds": 0.5,
        "day": "2024-06-30",
    }


def test_a_dag_runs_pipeline_run_id_is_the_same_on_every_retry_and_differs_between_runs():
    first = derive_run_id(date(2024, 6, 30), "manual__2024-06-30T00:00:00+00:00")
    again = derive_run_id(date(2024, 6, 30), "manual__2024-06-30T00:00:00+00:00")
    other = derive_run_id(date(2024, 6, 30), "scheduled__2024-06-30T02:00:00+00:00")
    assert first == again != other
    assert first.startswith("20240630-airflow-")
