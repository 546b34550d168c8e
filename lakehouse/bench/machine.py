"""The machine a bench ran on: cores, memory, CPU, load and the versions that matter."""

import os
import platform
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

from lakehouse.config import Settings
from lakehouse.resources.warehouse import connect
from lakehouse.stack.spark_engine import engine_runs, engine_url

_PACKAGES = ("pyspark", "delta-spark", "deltalake", "duckdb", "psycopg", "pyarrow", "moto")


def describe_machine(settings: Settings) -> dict[str, str]:
    """Name -> value of everything that explains the figures of a bench on this machine."""
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return {
        "cores": str(os.cpu_count()),
        "memory": f"{_read_meminfo('MemTotal') / 2**30:.1f} GiB",
        "cpu": _read_cpu_model(),
        "os": platform.platform(terse=True),
        "load average (1, 5, 15 min) at start": load,
        "python": platform.python_version(),
        "java": _java_version(),
        "spark driver": _spark_driver(settings),
        "spark driver JIT (LAKEHOUSE_SPARK_JIT)": settings.spark_jit,
        "spark code generation (LAKEHOUSE_SPARK_CODEGEN)": "on"
        if settings.spark_codegen
        else "off",
        "postgresql": _postgres_version(settings),
        **{name: _package_version(name) for name in _PACKAGES},
    }


def _spark_driver(settings: Settings) -> str:
    if engine_runs(settings):
        return f"the warm engine, {engine_url(settings)} (C2 whatever the JIT below)"
    return "the bench's own process (LAKEHOUSE_SPARK_ENGINE=false)"


def _read_meminfo(field: str) -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    return 0


def _read_cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _java_version() -> str:
    java = shutil.which("java")
    if java is None:
        return "not found"
    result = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    lines = result.stderr.strip().splitlines()
    return lines[0] if lines else "unknown"


def _postgres_version(settings: Settings) -> str:
    with connect(settings) as connection:
        row = connection.execute("show server_version").fetchone()
    return str(row[0]) if row else "unknown"


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"
