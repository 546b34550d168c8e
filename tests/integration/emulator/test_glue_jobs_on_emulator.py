"""A Glue job on the emulator runs its script when started, and reports as Glue does.

The script and its library come from the emulator's S3, as the deployment uploads them; the run
is followed through the Airflow amazon provider's hook (what GlueJobOperator with verbose=True
calls), over the emulator's endpoint.
"""

import io
import uuid
import zipfile
from collections.abc import Iterator

import pytest
from airflow.exceptions import AirflowException
from airflow.providers.amazon.aws.hooks.glue import GlueJobHook

from lakehouse.config import Settings
from lakehouse.resources.aws import make_client
from lakehouse.stack.provision import create_bucket
from tests.helpers.service_roles import GLUE_ROLE

pytestmark = pytest.mark.integration
#: The job's driver: prints its arguments and a value of its library; fails or waits on request.
SCRIPT = b"""
import os, sys, time
from greeting import GREETING

arguments = dict(zip(sys.argv[1::2], sys.argv[2::2]))
print(GREETING, arguments["--greeting"], "run", arguments["--JOB_RUN_ID"])
print("jars", os.environ["LAKEHOUSE_JARS_DIR"])
time.sleep(float(arguments.get("--sleep", "0")))
if arguments.get("--fail") == "yes":
    print("Traceback (most recent call last): ...", file=sys.stderr)
    print("ValueError: the batch was refused", file=sys.stderr)
    sys.exit(1)
"""


@pytest.fixture
def job(aws_sdk_env: Settings) -> Iterator[str]:
    """A job whose script and library are in a bucket of its own; its name.

    The provider's hook reaches the emulator through the standard AWS variables.
    """
    stack = aws_sdk_env
    name, bucket = f"job-{uuid.uuid4().hex[:8]}", f"glue-scripts-{uuid.uuid4().hex[:8]}"
    s3, glue = make_client(stack, "s3"), make_client(stack, "glue")
    create_bucket(s3, bucket, stack.region)
    library = io.BytesIO()
    with zipfile.ZipFile(library, "w") as archive:
        archive.writestr("greeting.py", 'GREETING = "hello from the library"\n')
    s3.put_object(Bucket=bucket, Key="release/entry.py", Body=SCRIPT)
    s3.put_object(Bucket=bucket, Key="release/library.zip", Body=library.getvalue())
    glue.create_job(
        Name=name,
        Role=GLUE_ROLE,
        Command={"Name": "glueetl", "ScriptLocation": f"s3://{bucket}/release/entry.py"},
        DefaultArguments={
            "--extra-py-files": f"s3://{bucket}/release/library.zip",
            "--greeting": "default",
        },
        ExecutionProperty={"MaxConcurrentRuns": 1},
        GlueVersion="5.0",
    )
    yield name
    glue.delete_job(JobName=name)
    for key in ("release/entry.py", "release/library.zip"):
        s3.delete_object(Bucket=bucket, Key=key)
    s3.delete_bucket(Bucket=bucket)


def hook(stack: Settings, job: str) -> GlueJobHook:
    return GlueJobHook(
        job_name=job, aws_conn_id=None, region_name=stack.region, job_poll_interval=0.2
    )


def log_lines(stack: Settings, group: str, run_id: str) -> list[str]:
    events = make_client(stack, "logs").filter_log_events(
        logGroupName=group, logStreamNames=[run_id]
    )["events"]
    return [event["message"] for event in events]


def test_a_started_job_runs_its_script_with_the_merged_arguments_and_logs_its_output(
    stack: Settings, job: str
) -> None:
    glue = make_client(stack, "glue")
    run_id = glue.start_job_run(JobName=job, Arguments={"--greeting": "run"})["JobRunId"]

    outcome = hook(stack, job).job_completion(job, run_id, verbose=True)

    assert outcome == {"JobRunState": "SUCCEEDED", "JobRunId": run_id}
    run = glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]
    assert (run["JobRunState"], run["Arguments"]) == ("SUCCEEDED", {"--greeting": "run"})
    assert run["ExecutionTime"] >= 0
    assert run["CompletedOn"] >= run["StartedOn"]
    output = log_lines(stack, "/aws-glue/jobs/output", run_id)
    # Spark's jars are the runtime's, as on Glue: this machine's, not the job library zip's
    assert output == [f"hello from the library run run {run_id}", f"jars {stack.jars_dir}"]
    assert [r["Id"] for r in glue.get_job_runs(JobName=job)["JobRuns"]] == [run_id]


def test_a_failing_script_fails_the_run_with_its_error_and_the_operator_with_it(
    stack: Settings, job: str
) -> None:
    glue = make_client(stack, "glue")
    run_id = glue.start_job_run(JobName=job, Arguments={"--fail": "yes"})["JobRunId"]

    with pytest.raises(AirflowException, match="FAILED"):
        hook(stack, job).job_completion(job, run_id, verbose=True)

    run = glue.get_job_run(JobName=job, RunId=run_id)["JobRun"]
    assert (run["JobRunState"], run["ErrorMessage"]) == (
        "FAILED",
        "ValueError: the batch was refused",
    )
    assert log_lines(stack, "/aws-glue/jobs/error", run_id)[-1] == run["ErrorMessage"]


def test_a_run_beyond_max_concurrent_runs_is_refused_and_a_stopped_run_ends_stopped(
    stack: Settings, job: str
) -> None:
    glue = make_client(stack, "glue")
    first = glue.start_job_run(JobName=job, Arguments={"--sleep": "30"})["JobRunId"]

    with pytest.raises(glue.exceptions.ConcurrentRunsExceededException):
        glue.start_job_run(JobName=job)
    stopped = glue.batch_stop_job_run(JobName=job, JobRunIds=[first, "jr_unknown"])

    assert [s["JobRunId"] for s in stopped["SuccessfulSubmissions"]] == [first]
    assert stopped["Errors"][0]["ErrorDetail"]["ErrorCode"] == "EntityNotFoundException"
    assert glue.get_job_run(JobName=job, RunId=first)["JobRun"]["JobRunState"] == "STOPPED"
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.start_job_run(JobName="no-such-job")
