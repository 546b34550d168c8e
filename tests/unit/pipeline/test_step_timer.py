from datetime import UTC, date, datetime

import pytest
from botocore.exceptions import EndpointConnectionError

from lakehouse.config import load_settings
from lakehouse.errors import DataQualityError, ServiceError, SourceError, StepError
from lakehouse.pipeline.run_pipeline import _StepTimer, new_run_id
from lakehouse.pipeline.run_record import RunRecord


def make_timer() -> tuple[_StepTimer, RunRecord, list[tuple[str, str]]]:
    record = RunRecord("run-1", date(2024, 6, 30), "source", datetime.now(UTC))
    events: list[tuple[str, str]] = []
    settings = load_settings({"AWS_ENDPOINT_URL": "http://127.0.0.1:4566"})
    timer = _StepTimer(record, lambda name, event, _: events.append((name, event)), settings)
    return timer, record, events


def test_a_step_that_succeeds_is_timed_and_reported_start_then_done():
    timer, record, events = make_timer()
    with timer.step("land_raw"):
        pass
    assert events == [("land_raw", "start"), ("land_raw", "done")]
    assert list(record.step_seconds) == ["land_raw"]
    assert record.failed_step is None


def test_a_lakehouse_error_keeps_its_message_and_marks_the_failed_step():
    timer, record, events = make_timer()
    with pytest.raises(SourceError, match="no file for entity"), timer.step("validate_s3"):
        raise SourceError("no file for entity 'sales'")
    assert record.failed_step == "validate_s3"
    assert events[-1] == ("validate_s3", "failed")


def test_an_unexpected_error_becomes_a_step_error_naming_the_step_and_the_first_line():
    timer, record, _ = make_timer()
    with pytest.raises(StepError) as caught, timer.step("run_glue_etl"):
        raise RuntimeError("connection refused\n\tat org.apache.hadoop.fs.s3a...")
    assert str(caught.value) == "step run_glue_etl failed: RuntimeError: connection refused"
    assert isinstance(caught.value.__cause__, RuntimeError)
    assert record.failed_step == "run_glue_etl"


def test_a_step_that_lost_the_object_store_fails_with_a_service_error_naming_the_endpoint():
    timer, record, _ = make_timer()
    with pytest.raises(ServiceError) as caught, timer.step("land_raw"):
        raise EndpointConnectionError(endpoint_url="http://127.0.0.1:4566/raw/x.csv")
    assert str(caught.value).startswith(
        "step land_raw failed: the S3/Glue endpoint http://127.0.0.1:4566 does not answer;"
    )
    assert record.failed_step == "land_raw"


def test_run_ids_start_with_the_run_date_and_are_unique():
    first, second = new_run_id(date(2024, 6, 30)), new_run_id(date(2024, 6, 30))
    assert first.startswith("20240630-")
    assert first != second


def test_a_step_that_passes_records_each_of_its_gates_as_passed():
    timer, record, _ = make_timer()
    with timer.step("run_glue_etl"):
        pass
    assert record.gates == {
        "reconciliation": "passed",
        "quarantine_threshold": "passed",
        "raw_schema": "passed",
        "curated_suite": "passed",
    }


def test_a_failed_gate_is_recorded_as_failed_after_the_gates_that_passed_before_it():
    timer, record, _ = make_timer()
    with pytest.raises(DataQualityError), timer.step("run_glue_etl"):
        raise DataQualityError("gate quarantine_threshold failed", gate="quarantine_threshold")
    assert record.gates == {"reconciliation": "passed", "quarantine_threshold": "failed"}


def test_a_failed_curated_suite_is_the_last_gate_of_the_transform():
    timer, record, _ = make_timer()
    with pytest.raises(DataQualityError), timer.step("run_glue_etl"):
        raise DataQualityError("gate curated_suite failed", gate="curated_suite")
    assert record.gates == {
        "reconciliation": "passed",
        "quarantine_threshold": "passed",
        "raw_schema": "passed",
        "curated_suite": "failed",
    }


def test_a_step_that_fails_on_another_error_records_no_gate():
    timer, record, _ = make_timer()
    with pytest.raises(StepError), timer.step("run_glue_etl"):
        raise RuntimeError("executor lost")
    assert record.gates == {}
