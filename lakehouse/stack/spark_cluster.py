"""The embedded Spark cluster: a standalone master and one worker from pyspark's own distribution.

Both daemons start with pyspark's ``bin/spark-class`` (no separate Spark install), listen on
127.0.0.1 only and are found again by their PID files like the other services of the stack. The
job then runs on them with ``spark://127.0.0.1:<LAKEHOUSE_SPARK_MASTER_PORT>`` as its master.
"""

import http.client
import json
import sys
import urllib.error
from pathlib import Path
from typing import Any

from lakehouse.config import Settings
from lakehouse.errors import ConfigError
from lakehouse.stack.detached_service import DetachedService
from lakehouse.stack.endpoints import DIRECT_HTTP
from lakehouse.stack.paths import StackPaths

HOST = "127.0.0.1"
WORKER_CORES = 2
WORKER_MEMORY = "2g"
_MASTER_CLASS = "org.apache.spark.deploy.master.Master"
_WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"


def cluster_url(settings: Settings) -> str:
    """Return the ``spark://`` URL of the embedded cluster's master."""
    return f"spark://{HOST}:{settings.spark_master_port}"


def spark_home() -> Path:
    """Return pyspark's install folder, which holds ``bin/spark-class`` and Spark's jars.

    Raises:
        ConfigError: When pyspark ships no ``bin/spark-class`` (run ``make setup``).
    """
    import pyspark  # noqa: PLC0415 (Spark loads only when the cluster is used)

    home = Path(pyspark.__file__).resolve().parent
    if not (home / "bin" / "spark-class").is_file():
        raise ConfigError(f"no bin/spark-class in {home}: reinstall pyspark with `make setup`")
    return home


def read_master_state(settings: Settings) -> dict[str, Any] | None:
    """Return the master's `/json/` state (status, workers), or `None` when it is not up."""
    url = f"http://{HOST}:{settings.spark_master_ui_port}/json/"
    try:
        with DIRECT_HTTP.open(url, timeout=2) as response:
            state: dict[str, Any] = json.load(response)
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException):
        return None
    return state


class _SparkDaemon(DetachedService):
    """A Spark daemon started with ``spark-class``; subclasses name its class and arguments."""

    port_variable: str
    main_class: str
    start_timeout = 90.0

    @property
    def marker(self) -> str:
        """The daemon's main class."""
        return self.main_class

    def arguments(self, settings: Settings) -> list[str]:
        """Return the daemon's command-line arguments after its class name."""
        raise NotImplementedError

    def command(self, settings: Settings) -> list[str]:
        """``spark-class`` with the daemon's class and arguments, in the stack's environment."""
        home = spark_home()
        environment = {
            "SPARK_HOME": str(home),
            "SPARK_LOCAL_IP": HOST,
            "SPARK_LOG_DIR": str(StackPaths.of(settings).logs),
            "PYSPARK_PYTHON": sys.executable,
            # no REST submission server: it would take port 6066 for every master
            "SPARK_MASTER_OPTS": "-Dspark.master.rest.enabled=false",
        }
        return [
            "env",
            *(f"{key}={value}" for key, value in environment.items()),
            str(home / "bin" / "spark-class"),
            self.main_class,
            *self.arguments(settings),
        ]


class SparkMasterService(_SparkDaemon):
    """The standalone master on ``127.0.0.1:settings.spark_master_port``."""

    name = "spark-master"
    port_variable = "LAKEHOUSE_SPARK_MASTER_PORT"
    main_class = _MASTER_CLASS

    def endpoint(self, settings: Settings) -> tuple[str, int]:
        """Return the host and port the master accepts applications and workers on."""
        return HOST, settings.spark_master_port

    def arguments(self, settings: Settings) -> list[str]:
        """Return the master's host, port and web UI port."""
        return [
            *("--host", HOST, "--port", str(settings.spark_master_port)),
            *("--webui-port", str(settings.spark_master_ui_port)),
        ]

    def is_healthy(self, settings: Settings) -> bool:
        """Return whether the master's web UI reports it ALIVE."""
        state = read_master_state(settings)
        return state is not None and state.get("status") == "ALIVE"


class SparkWorkerService(_SparkDaemon):
    """One worker (2 cores, 2 GB) registered with the embedded master."""

    name = "spark-worker"
    port_variable = "LAKEHOUSE_SPARK_WORKER_UI_PORT"
    main_class = _WORKER_CLASS

    def endpoint(self, settings: Settings) -> tuple[str, int]:
        """Return the host and port of the worker's web UI."""
        return HOST, settings.spark_worker_ui_port

    def arguments(self, settings: Settings) -> list[str]:
        """Return the worker's resources, folders and its master's URL."""
        work_dir = settings.state_dir / "spark-work"
        return [
            *("--host", HOST, "--cores", str(WORKER_CORES), "--memory", WORKER_MEMORY),
            *("--webui-port", str(settings.spark_worker_ui_port), "--work-dir", str(work_dir)),
            cluster_url(settings),
        ]

    def is_healthy(self, settings: Settings) -> bool:
        """Return whether the master lists this worker (by its web UI port) as ALIVE."""
        state = read_master_state(settings) or {}
        suffix = f":{settings.spark_worker_ui_port}"
        return any(
            worker.get("state") == "ALIVE" and str(worker.get("webuiaddress", "")).endswith(suffix)
            for worker in state.get("workers", [])
        )
