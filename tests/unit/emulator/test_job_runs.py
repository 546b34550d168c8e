"""A Glue job run on the emulator: the limit of concurrent runs, its end and its description."""

import json
import threading
import time

import pytest
from moto.glue.exceptions import ConcurrentRunsExceededException, EntityNotFoundException

from lakehouse.emulator.glue_api import GlueApi
from lakehouse.emulator.job_runs import JobRun, JobRuns, error_message
from lakehouse.emulator.role_sessions import RoleSessions

JOB = {
    "Name": "etl",
    "ExecutionProperty": {"MaxConcurrentRuns": 2},
    "Timeout": 120,
    "Command": {"ScriptLocation": "s3://artifacts/release/glue_entry.py"},
}


def test_runs_beyond_the_jobs_limit_are_refused_until_one_ends() -> None:
    runs = JobRuns(RoleSessions("http://127.0.0.1:9", enforce_iam=False))
    for _ in range(2):
        run = JobRun(JOB, {})
        runs.runs[run.id] = run

    with pytest.raises(ConcurrentRunsExceededException, match="MaxConcurrentRuns is 2"):
        runs.start(JOB, {}, "us-east-1")
    run.end("SUCCEEDED")
    third = runs.get("etl", runs.start(JOB, {}, "us-east-1"))

    # nothing answers on the endpoint: the run fails as Glue fails a job whose script is missing
    deadline = time.monotonic() + 30
    while third.state == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert third.state == "FAILED"
    assert third.error.startswith("the job run could not run its script: Could not connect")
    assert len(runs.of_job("etl")) == 3


def test_a_stop_asked_for_before_the_end_is_the_runs_outcome() -> None:
    run = JobRun(JOB, {"--run-date": "2024-06-30"})
    runs = JobRuns(RoleSessions("http://127.0.0.1:9", enforce_iam=False))
    runs.runs[run.id] = run

    runs.stop("etl", run.id)
    run.end("SUCCEEDED")

    described = run.describe()
    assert (described["JobRunState"], described["Timeout"], described["LogGroupName"]) == (
        "STOPPED",
        120,
        "/aws-glue/jobs",
    )
    assert described["Arguments"] == {"--run-date": "2024-06-30"}
    assert "ErrorMessage" not in described


def test_a_failed_run_keeps_the_end_of_its_error_and_an_unknown_run_is_not_found() -> None:
    run = JobRun({"Name": "etl"}, {})
    run.end("FAILED", "x" * 5000)
    runs = JobRuns(RoleSessions("http://127.0.0.1:9", enforce_iam=False))
    runs.runs[run.id] = run

    assert len(run.describe()["ErrorMessage"]) == 2048
    with pytest.raises(EntityNotFoundException):
        runs.get("etl", "jr_unknown")
    with pytest.raises(EntityNotFoundException):
        runs.get("other-job", run.id)


def test_a_job_run_request_without_its_run_id_is_glues_invalid_input(tmp_path) -> None:
    api, answered = (
        GlueApi(tmp_path, RoleSessions("http://127.0.0.1:9", enforce_iam=False), threading.Lock()),
        [],
    )
    body = json.dumps({"JobName": "etl"}).encode()

    answer = api("GetJobRun", {}, body, lambda *reply: answered.append(reply[0]), None)

    assert answered == ["400 Error"]
    assert json.loads(b"".join(answer))["__type"] == "InvalidInputException"


@pytest.mark.parametrize(
    ("errors", "message"),
    [
        (
            [
                "Traceback (most recent call last):",
                '  File "glue_entry.py", line 1, in <module>',
                "    main()",
                "ValueError: the batch was refused",
                "INFO py4j.clientserver: Closing down clientserver connection",
            ],
            "ValueError: the batch was refused",
        ),
        (
            [
                "Traceback (most recent call last):",
                "KeyError: 'a'",
                "",
                "During handling of the above exception, another exception occurred:",
                "",
                "Traceback (most recent call last):",
                '  File "x.py", line 2, in <module>',
                "RuntimeError: second",
            ],
            "RuntimeError: second",
        ),
        (["starting", "killed by the OOM killer", ""], "killed by the OOM killer"),
        ([], ""),
    ],
)
def test_a_failed_runs_error_message_is_the_exception_of_its_last_traceback(errors, message):
    assert error_message(errors) == message
