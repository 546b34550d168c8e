"""Glue job runs: StartJobRun runs the job's script on this machine, as Glue runs it on its own.

moto keeps the job resource but its runs do nothing. Here StartJobRun fetches the job's
``ScriptLocation`` and its ``--extra-py-files`` from the emulator's S3 and runs the script with
this emulator's Python, as a session of the job's ``Role`` when IAM is enforced
(:mod:`lakehouse.emulator.role_sessions`): the job's ``DefaultArguments`` merged with the run's
``Arguments`` (its ``NonOverridableArguments`` over both) on the command line as
``--key value``, with ``--JOB_NAME`` and ``--JOB_RUN_ID`` as Glue passes them, the library files
on ``PYTHONPATH``, against the emulator's endpoint. The script starts Spark itself
(``spark_app/glue_entry.py`` does, with the project's jars when Glue's libraries are absent).
GetJobRun answers RUNNING, then SUCCEEDED, FAILED (with the exception of the script's
last traceback as ``ErrorMessage``), STOPPED (BatchStopJobRun) or TIMEOUT (the job's ``Timeout``),
with ``ExecutionTime``; the script's output and error streams go to the CloudWatch Logs groups
``/aws-glue/jobs/output`` and ``/aws-glue/jobs/error``, one stream per run id, as Glue's driver
logs do. A run beyond the job's ``MaxConcurrentRuns`` is refused as on Glue. Runs are kept in
memory: a stopped emulator stops its runs first, and a restarted one knows none.
"""

import contextlib
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from moto.glue.exceptions import ConcurrentRunsExceededException, EntityNotFoundException

from lakehouse.config import load_settings
from lakehouse.emulator.role_sessions import RoleSessions
from lakehouse.resources.aws import make_client

log = logging.getLogger(__name__)
RUNNING, SUCCEEDED, FAILED = "RUNNING", "SUCCEEDED", "FAILED"
STOPPED, TIMEOUT = "STOPPED", "TIMEOUT"
ENDED = frozenset({SUCCEEDED, FAILED, STOPPED, TIMEOUT})
LOG_GROUP = "/aws-glue/jobs"
#: Glue's default job timeout, in minutes.
DEFAULT_TIMEOUT = 2880
#: Longest ErrorMessage kept, as Glue cuts its own.
_ERROR_LIMIT = 2048
_TRACEBACK = "Traceback (most recent call last):"


@dataclass
class JobRun:
    """One run of a job: its arguments, then its outcome."""

    job: dict[str, Any]
    arguments: dict[str, str]
    id: str = field(default_factory=lambda: f"jr_{uuid.uuid4().hex}")
    started: float = field(default_factory=time.time)
    state: str = RUNNING
    completed: float | None = None
    error: str = ""
    process: subprocess.Popen[bytes] | None = None

    def end(self, state: str, error: str = "") -> None:
        """Record how the run ended (a stop asked for before it ended wins)."""
        if self.state not in ENDED:
            self.state, self.error = state, error[-_ERROR_LIMIT:]
            self.completed = time.time()

    def describe(self) -> dict[str, Any]:
        """The run as GetJobRun describes it."""
        now = self.completed or time.time()
        described: dict[str, Any] = {
            "Id": self.id,
            "Attempt": 0,
            "JobName": self.job["Name"],
            "StartedOn": self.started,
            "LastModifiedOn": now,
            "JobRunState": self.state,
            "Arguments": self.arguments,
            "ExecutionTime": int(now - self.started),
            "Timeout": self.job.get("Timeout") or DEFAULT_TIMEOUT,
            "LogGroupName": LOG_GROUP,
            "GlueVersion": self.job.get("GlueVersion"),
        }
        if self.completed:
            described["CompletedOn"] = self.completed
        if self.error:
            described["ErrorMessage"] = self.error
        return described


class JobRuns:
    """Every job's runs, started against the emulator of ``sessions``."""

    def __init__(self, sessions: RoleSessions) -> None:
        self.sessions = sessions
        self.runs: dict[str, JobRun] = {}
        self.lock = threading.Lock()

    def start(self, job: dict[str, Any], arguments: Mapping[str, str], region: str) -> str:
        """StartJobRun: run ``job`` (as GetJob describes it) in a process; the run's id.

        Raises:
            ConcurrentRunsExceededException: The job already runs its maximum of runs.
        """
        limit = (job.get("ExecutionProperty") or {}).get("MaxConcurrentRuns", 1)
        with self.lock:
            running = [r for r in self.runs.values() if r.job["Name"] == job["Name"]]
            if sum(run.state not in ENDED for run in running) >= limit:
                raise ConcurrentRunsExceededException(
                    f"Concurrent runs exceeded for {job['Name']}: MaxConcurrentRuns is {limit}"
                )
            run = JobRun(job, dict(arguments))
            self.runs[run.id] = run
        threading.Thread(target=self._run, args=(run, region), name=run.id, daemon=True).start()
        return run.id

    def get(self, job_name: str, run_id: str) -> JobRun:
        """The run ``run_id`` of ``job_name``.

        Raises:
            EntityNotFoundException: The job has no such run.
        """
        run = self.runs.get(run_id)
        if run is None or run.job["Name"] != job_name:
            raise EntityNotFoundException(f"Job run {run_id} of job {job_name} not found.")
        return run

    def of_job(self, job_name: str) -> list[JobRun]:
        """The job's runs, newest first (GetJobRuns)."""
        with self.lock:
            runs = [run for run in self.runs.values() if run.job["Name"] == job_name]
        return sorted(runs, key=lambda run: run.started, reverse=True)

    def stop(self, job_name: str, run_id: str) -> None:
        """End one run as STOPPED (BatchStopJobRun): its process is terminated.

        Raises:
            EntityNotFoundException: The job has no such run.
        """
        run = self.get(job_name, run_id)
        with self.lock:
            run.end(STOPPED)
            if run.process is not None and run.process.poll() is None:
                run.process.terminate()

    def stop_all(self) -> None:
        """Stop every run that has not ended (the emulator is stopping)."""
        with self.lock:
            runs = list(self.runs.values())
        for run in runs:
            if run.state not in ENDED:
                self.stop(run.job["Name"], run.id)

    def _run(self, run: JobRun, region: str) -> None:
        """Run the script to its end, then record its logs and its outcome.

        Any failure to assume the job's role, fetch or start the script is the run's, as on
        Glue: it ends FAILED.
        """
        arguments = {
            **(run.job.get("DefaultArguments") or {}),
            **run.arguments,
            **(run.job.get("NonOverridableArguments") or {}),
        }
        errors: list[str] = []
        try:
            session = self.sessions.env(region, run.job.get("Role"), run.id)
            settings = load_settings(session)
            with tempfile.TemporaryDirectory(prefix=f"glue-{run.id}-") as scratch:
                s3 = make_client(settings, "s3")
                script = fetch(s3, run.job["Command"]["ScriptLocation"], Path(scratch))
                library = [
                    str(fetch(s3, url, Path(scratch)))
                    for url in filter(None, arguments.get("--extra-py-files", "").split(","))
                ]
                output, errors = self._execute(run, script, library, arguments, session, scratch)
            write_logs(make_client(settings, "logs"), run.id, output, errors)
        except Exception as error:  # noqa: BLE001 (Glue reports any of these as the run's)
            run.end(FAILED, f"the job run could not run its script: {error}")
        if run.process is not None and run.process.returncode != 0:
            run.end(FAILED, error_message(errors))
        run.end(SUCCEEDED)
        log.info("run %s of job %s: %s %s", run.id, run.job["Name"], run.state, run.error)

    def _execute(
        self,
        run: JobRun,
        script: Path,
        library: list[str],
        arguments: Mapping[str, str],
        session: Mapping[str, str],
        scratch: str,
    ) -> tuple[list[str], list[str]]:
        """Run ``script`` as the job's driver in ``scratch``, calling AWS with ``session``.

        Returns its output and error lines.
        """
        command = [sys.executable, str(script), "--JOB_NAME", run.job["Name"], "--JOB_RUN_ID"]
        command += [run.id, *(part for pair in arguments.items() for part in pair)]
        env = {
            **os.environ,
            **session,
            "PYTHONPATH": os.pathsep.join([*library, os.environ.get("PYTHONPATH", "")]),
            # This machine's Spark and Delta jars, as Glue brings its own: the project's modules
            # in the job's library zip would look for them inside the zip.
            "LAKEHOUSE_JARS_DIR": str(load_settings(os.environ).jars_dir),
            # A driver's local files go to the run's scratch folder, as on Glue (the project's
            # default state folder would be inside the library zip).
            "LAKEHOUSE_STATE_DIR": str(Path(scratch) / "state"),
            "LAKEHOUSE_GX_DIR": str(Path(scratch) / "gx"),
        }
        timeout = 60 * (run.job.get("Timeout") or DEFAULT_TIMEOUT)
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            with self.lock:  # a run stopped before its start never starts
                if run.state in ENDED:
                    return [], []
                run.process = subprocess.Popen(command, stdout=out, stderr=err, env=env)
            try:
                run.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                run.end(TIMEOUT, f"Job run timed out after {timeout // 60} minutes")
                run.process.kill()
                run.process.wait()
            return _lines(out), _lines(err)


def fetch(s3: Any, url: str, folder: Path) -> Path:
    """Download the ``s3://`` object at ``url`` into ``folder``; its local path."""
    parsed = urlparse(url)
    path = folder / Path(parsed.path).name
    s3.download_file(parsed.netloc, parsed.path.lstrip("/"), str(path))
    return path


def write_logs(logs: Any, run_id: str, output: list[str], errors: list[str]) -> None:
    """Put the driver's output and error lines in Glue's log groups, stream ``run_id``."""
    for suffix, lines in (("output", output), ("error", errors)):
        group = f"{LOG_GROUP}/{suffix}"
        with contextlib.suppress(logs.exceptions.ResourceAlreadyExistsException):
            logs.create_log_group(logGroupName=group)
        logs.create_log_stream(logGroupName=group, logStreamName=run_id)
        now = int(time.time() * 1000)
        events = [{"timestamp": now, "message": line} for line in lines if line]
        for start in range(0, len(events), 1000):
            logs.put_log_events(
                logGroupName=group, logStreamName=run_id, logEvents=events[start : start + 1000]
            )


def error_message(errors: list[str]) -> str:
    """A failed run's ErrorMessage: the exception of the script's last traceback, as Glue gives.

    What the script logged after the traceback (Spark's and py4j's shutdown lines) is passed
    over; without a traceback, the last line it wrote.
    """
    starts = [index for index, line in enumerate(errors) if line.startswith(_TRACEBACK)]
    after = errors[starts[-1] + 1 :] if starts else []
    raised = next((line for line in after if line.strip() and not line[0].isspace()), None)
    return raised or next((line for line in reversed(errors) if line.strip()), "")


def _lines(stream: Any) -> list[str]:
    stream.seek(0)
    return stream.read().decode("utf-8", errors="replace").splitlines()
