"""The `lakehouse` CLI of this environment, run as a user runs it."""

import subprocess
import sys
from datetime import date
from pathlib import Path

LAKEHOUSE = str(Path(sys.executable).parent / "lakehouse")


def run_lakehouse(env: dict[str, str], source: Path, run_date: date) -> subprocess.CompletedProcess:
    """`lakehouse run --source SOURCE --run-date RUN_DATE`, its output captured."""
    return subprocess.run(
        [LAKEHOUSE, "run", "--source", str(source), "--run-date", run_date.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
