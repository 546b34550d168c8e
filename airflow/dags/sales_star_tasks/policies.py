"""Retry and timeout policies of the DAG's tasks."""

from datetime import timedelta
from typing import Any

#: Steps that talk to services (S3, Glue, Spark, the warehouse): retried with exponential backoff.
TRANSIENT: dict[str, Any] = {
    "retries": 3,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=10),
}
#: Data-quality gates: a failure is a finding about the data, and a retry would find it again.
GATE: dict[str, Any] = {"retries": 0}
#: Every task's limit, unless it sets its own.
DEFAULT_TIMEOUT = timedelta(minutes=30)
#: The Spark/Glue ETL's limit.
ETL_TIMEOUT = timedelta(hours=2)
