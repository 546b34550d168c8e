"""A step that failed because a service went away: one line naming the service and what to do.

Spark reports an object store it cannot reach as a JVM stack trace (through py4j, or Spark
Connect's client on the warm engine), and an engine gone as a gRPC status; boto3 reports a
connection error, and the warehouse's psycopg an ``OperationalError``. Each becomes a
:class:`ServiceError` that names the endpoint instead.
"""

import psycopg
from botocore.exceptions import ConnectionClosedError
from botocore.exceptions import ConnectionError as BotoConnectionError
from py4j.protocol import Py4JJavaError
from pyspark.errors import PySparkException

from lakehouse.config import Settings
from lakehouse.errors import ServiceError
from lakehouse.stack.spark_engine import engine_url

#: What the JVM's S3A client says, somewhere in the cause chain, when the endpoint is gone.
_JVM_UNREACHABLE = (
    "java.net.ConnectException",
    "java.net.UnknownHostException",
    "Unable to execute HTTP request",
)
#: What Spark Connect's client says when the warm engine's endpoint is gone.
_ENGINE_UNREACHABLE = "StatusCode.UNAVAILABLE"
#: SQLSTATEs of a server that went away: connection exceptions, shutdown, restart in progress.
_WAREHOUSE_GONE = ("08", "57P01", "57P02", "57P03")
_CHECK = "check it with `lakehouse status` (`lakehouse up` starts the local stack), then run again"


def lost_service_error(step: str, error: Exception, settings: Settings) -> ServiceError | None:
    """The :class:`ServiceError` for a step's ``error`` when it lost a service, else ``None``."""
    if _lost_object_store(error):
        where = settings.aws_endpoint_url or f"AWS in {settings.region}"
        return ServiceError(
            f"step {step} failed: the S3/Glue endpoint {where} does not answer; {_CHECK}"
        )
    if _lost_engine(error):
        return ServiceError(
            f"step {step} failed: the Spark engine {engine_url(settings)} does not answer; {_CHECK}"
        )
    if _lost_warehouse(error):
        reason = (str(error).strip().splitlines() or ["connection lost"])[0]
        # Only a load step can say so: later steps run after the star's load has committed.
        rolled_back = (
            " the star loads in one transaction, so the warehouse is as it was;"
            if step.startswith("load_")
            else ""
        )
        return ServiceError(
            f"step {step} failed: lost the warehouse connection ({reason});{rolled_back} {_CHECK}"
        )
    return None


def _lost_object_store(error: Exception) -> bool:
    if isinstance(error, BotoConnectionError | ConnectionClosedError):
        return True
    # Py4JJavaError from a local session; a PySparkException (its JVM cause in the text) from
    # the warm engine's Spark Connect session.
    spark_error = isinstance(error, Py4JJavaError | PySparkException)
    return spark_error and any(sign in str(error) for sign in _JVM_UNREACHABLE)


def _lost_engine(error: Exception) -> bool:
    # Spark Connect's client gave up reaching the warm engine (its gRPC status).
    return isinstance(error, PySparkException) and _ENGINE_UNREACHABLE in str(error)


def _lost_warehouse(error: Exception) -> bool:
    # A connection the client saw break has no SQLSTATE; the server's own reasons have one.
    if not isinstance(error, psycopg.OperationalError):
        return False
    return error.sqlstate is None or error.sqlstate.startswith(_WAREHOUSE_GONE)
