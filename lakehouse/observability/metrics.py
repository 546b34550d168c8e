"""Publish a run's metrics to CloudWatch: the emulator on local profiles, CloudWatch on aws.

Namespace ``Lakehouse/Pipeline``. Per entity (dimension ``Entity``): ``RowsRead``,
``RowsLoaded``, ``RowsQuarantined``; per step (dimension ``Step``): ``StepSeconds``; per run
(dimension ``Outcome``, ``succeeded`` or ``failed``): ``Runs`` = 1.
"""

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from lakehouse.config import Settings
from lakehouse.errors import ServiceError
from lakehouse.pipeline.run_record import RunRecord
from lakehouse.resources.aws import make_client

NAMESPACE = "Lakehouse/Pipeline"
#: Metrics per PutMetricData call (the API's oldest, smallest limit).
BATCH_SIZE = 20
_ENTITY_METRICS = {
    "RowsRead": "rows_read",
    "RowsLoaded": "rows_loaded",
    "RowsQuarantined": "rows_quarantined",
}


def build_run_metrics(record: RunRecord) -> list[dict[str, Any]]:
    """The CloudWatch metric data of one run record (row counts, step durations, outcome)."""
    data = [_datum("Runs", 1, "Count", Outcome=record.status)]
    for entity, counts in sorted(record.entities.items()):
        for metric, attribute in _ENTITY_METRICS.items():
            data.append(_datum(metric, getattr(counts, attribute), "Count", Entity=entity))
    for step, seconds in record.step_seconds.items():
        data.append(_datum("StepSeconds", seconds, "Seconds", Step=step))
    return data


def publish_run_metrics(settings: Settings, record: RunRecord) -> int:
    """Put the run's metrics in namespace ``Lakehouse/Pipeline``; returns how many were put.

    Raises:
        ServiceError: When CloudWatch (or the emulator) refuses or cannot be reached.
    """
    data = build_run_metrics(record)
    cloudwatch = make_client(settings, "cloudwatch")
    try:
        for batch in _split(data, BATCH_SIZE):
            cloudwatch.put_metric_data(Namespace=NAMESPACE, MetricData=batch)
    except (BotoCoreError, ClientError) as error:
        raise ServiceError(
            f"cannot put metrics of run {record.run_id} to CloudWatch namespace {NAMESPACE}"
            f" ({error}); check the endpoint {settings.aws_endpoint_url or 'of AWS'} is reachable"
        ) from error
    return len(data)


def _datum(name: str, value: float, unit: str, **dimensions: str) -> dict[str, Any]:
    return {
        "MetricName": name,
        "Value": float(value),
        "Unit": unit,
        "Dimensions": [{"Name": key, "Value": text} for key, text in dimensions.items()],
    }


def _split(items: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
