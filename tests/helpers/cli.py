"""The `lakehouse` CLI, run as a user runs it: in this process, or as a process of its own.

In this process a run shares the suite's Spark session (a new process starts a JVM of its own);
only the tests of a process's death need one of its own (:func:`run_command`).
"""

import subprocess
import sys
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from lakehouse.cli.app import app

LAKEHOUSE = str(Path(sys.executable).parent / "lakehouse")


def run_command(source: Path, run_date: date) -> list[str]:
    """`lakehouse run --source SOURCE --run-date RUN_DATE` as a process's argument list."""
    return [LAKEHOUSE, "run", "--source", str(source), "--run-date", run_date.isoformat()]


def run_lakehouse(env: dict[str, str], source: Path, run_date: date) -> subprocess.CompletedProcess:
    """`lakehouse run --source SOURCE --run-date RUN_DATE` in this process, its output captured."""
    return lakehouse(env, *run_command(source, run_date)[1:])


def lakehouse(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """`lakehouse ARGS...` in this process under ``env``, as the exit code and output it gives.

    Raises:
        Exception: What the command raised other than the errors it reports (exit code 1).
    """
    result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    return subprocess.CompletedProcess(
        ["lakehouse", *args], result.exit_code, result.stdout, result.stderr
    )
