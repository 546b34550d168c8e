"""The `lakehouse` CLI of this environment, run as a user runs it."""

import subprocess
import sys
from datetime import date
from pathlib import Path

LAKEHOUSE = str(Path(sys.executable).parent / "lakehouse")


def run_command(source: Path, run_date: date) -> list[str]:
    """`lakehouse run --source SOURCE --run-date RUN_DATE` as an argument list."""
    return [LAKEHOUSE, "run", "--source", str(source), "--run-date", run_date.isoformat()]


def run_lakehouse(env: dict[str, str], source: Path, run_date: date) -> subprocess.CompletedProcess:
    """`lakehouse run --source SOURCE --run-date RUN_DATE`, its output captured."""
    return lakehouse(env, *run_command(source, run_date)[1:])


def lakehouse(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """`lakehouse ARGS...`, its output captured."""
    return subprocess.run(
        [LAKEHOUSE, *args], env=env, capture_output=True, text=True, timeout=900, check=False
    )
