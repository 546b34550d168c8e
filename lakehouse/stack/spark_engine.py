"""The warm Spark engine: a Spark Connect server that `lakehouse up` starts and runs share.

A run in a new process otherwise starts a Spark driver JVM of its own, loads Spark's and
Delta's classes and compiles their hot code again, every time. The engine is one long-lived
driver, as a Glue interactive session is: ``spark-submit`` runs Spark Connect's server class
(it ships in pyspark's jars) with the session settings a local run uses
(:func:`spark_app.session.session_conf`), listening on 127.0.0.1 only, its Spark web UI on the
next port. Its driver compiles with C2 (``full``): over the runs it lives for, C2 pays for its
warm-up.

A step asks for a session with :func:`engine_session`; when this stack's engine is not up,
the step starts a session of its own (:func:`spark_app.session.build_session`), as before.
"""

import dataclasses
import http.client
import json
import sys
import warnings
from typing import TYPE_CHECKING, Any

from lakehouse.config import Profile, Settings
from lakehouse.errors import ServiceError
from lakehouse.stack.detached_service import DetachedService
from lakehouse.stack.endpoints import DIRECT_HTTP, is_port_open
from lakehouse.stack.spark_cluster import spark_home

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

HOST = "127.0.0.1"
ENGINE_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer"
DRIVER_MEMORY = "4g"
#: Spark Connect's client retries an engine that does not answer for ten minutes by default,
#: for servers across a network; the engine is on this machine, so a few seconds say it is gone.
ENGINE_RETRIES = {"max_retries": 4, "max_backoff": 2000}
#: Spark logs this at WARN on the driver, under the ERROR level a local session sets; Spark
#: Connect's client raises it as a Python warning instead. Numbering a day's new keys in one
#: ordered window is deliberate (:mod:`spark_app.transforms.surrogate_keys`).
_UNPARTITIONED_WINDOW = "WARN WindowExpression: No Partition Defined"


def engine_url(settings: Settings) -> str:
    """The engine's Spark Connect URL, ``sc://127.0.0.1:<LAKEHOUSE_SPARK_ENGINE_PORT>``."""
    return f"sc://{HOST}:{settings.spark_engine_port}"


def engine_ui_url(settings: Settings) -> str:
    """The engine's Spark web UI, ``http://127.0.0.1:<LAKEHOUSE_SPARK_ENGINE_UI_PORT>``."""
    return f"http://{HOST}:{settings.spark_engine_ui_port}"


def close_engine_session() -> None:
    """End this process's session on the engine, if it has one, before the engine is stopped.

    Its client would otherwise try to release it when the process exits, and retry a stopped
    engine for seconds.
    """
    from pyspark.sql.connect.session import SparkSession  # noqa: PLC0415

    session = SparkSession.getActiveSession()
    if session is not None:
        session.stop()


def engine_jobs_started(settings: Settings) -> int:
    """Spark jobs the engine has started since it started, from its web UI's REST API.

    Job ids count up from 0 in a Spark application, so the newest id tells how many ran.

    Raises:
        ServiceError: When the engine's web UI does not answer.
    """
    applications = f"{engine_ui_url(settings)}/api/v1/applications"
    try:
        [application] = _read_json(applications)
        jobs = _read_json(f"{applications}/{application['id']}/jobs")
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise ServiceError(
            f"the Spark engine's web UI at {applications} does not answer ({error}); see"
            f" `lakehouse status`"
        ) from error
    return max((job["jobId"] for job in jobs), default=-1) + 1


def _read_json(url: str) -> Any:
    with DIRECT_HTTP.open(url, timeout=30) as response:
        return json.load(response)


def engine_runs(settings: Settings) -> bool:
    """Whether runs on ``settings`` use the engine, and the one this stack's `lakehouse up` runs.

    An engine left by another state folder is not used: it would read and write another lake.
    """
    return (
        settings.spark_engine
        and settings.profile is Profile.LOCAL
        and SparkEngineService().find_pid(settings) is not None
    )


def engine_session(settings: Settings) -> "SparkSession | None":
    """A session on this stack's running engine, or ``None`` to start one in this process.

    ``None`` when the engine is off (``LAKEHOUSE_SPARK_ENGINE=false``), on a profile other than
    ``local``, when it is not running (:func:`engine_runs`), or when a Spark session already
    runs in this process (the test suite's).
    """
    from pyspark.sql import SparkSession  # noqa: PLC0415 (pyspark loads only for a run)
    from pyspark.sql.connect.client.retries import DefaultPolicy  # noqa: PLC0415

    from spark_app.session import running_session  # noqa: PLC0415

    if running_session() is not None or not engine_runs(settings):
        return None
    warnings.filterwarnings("ignore", message=_UNPARTITIONED_WINDOW, category=UserWarning)
    session = SparkSession.builder.remote(engine_url(settings)).getOrCreate()
    session.client.set_retry_policies([DefaultPolicy(**ENGINE_RETRIES)])
    return session


class SparkEngineService(DetachedService):
    """The engine's Spark Connect server on ``127.0.0.1:settings.spark_engine_port``."""

    name = "spark-engine"
    port_variable = "LAKEHOUSE_SPARK_ENGINE_PORT"
    marker = ENGINE_CLASS
    start_timeout = 90.0

    def endpoint(self, settings: Settings) -> tuple[str, int]:
        """Return the host and port of the engine's Spark Connect endpoint."""
        return HOST, settings.spark_engine_port

    def is_healthy(self, settings: Settings) -> bool:
        """Return whether the endpoint accepts connections (it opens once Spark has started)."""
        return is_port_open(HOST, settings.spark_engine_port)

    def command(self, settings: Settings) -> list[str]:
        """``spark-submit`` of the Spark Connect server with the session settings of a run."""
        from spark_app.session import driver_java_options, session_conf  # noqa: PLC0415

        home = spark_home()
        conf = {
            **session_conf(settings),
            "spark.connect.grpc.binding.address": HOST,
            "spark.connect.grpc.binding.port": str(settings.spark_engine_port),
            "spark.ui.enabled": "true",
            "spark.ui.port": str(settings.spark_engine_ui_port),
            "spark.log.level": "ERROR",
        }
        jit = settings.spark_engine_jit
        java_options = driver_java_options(dataclasses.replace(settings, spark_jit=jit))
        return [
            "env",
            f"SPARK_HOME={home}",
            f"SPARK_LOCAL_IP={HOST}",
            f"PYSPARK_PYTHON={sys.executable}",
            str(home / "bin" / "spark-submit"),
            *("--class", ENGINE_CLASS, "--name", self.name, "--master", settings.spark_master),
            *("--driver-memory", DRIVER_MEMORY, "--driver-java-options", java_options),
            *(item for key, value in conf.items() for item in ("--conf", f"{key}={value}")),
            "spark-internal",
        ]
