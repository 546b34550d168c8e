"""On the aws profile the DAG uses the amazon provider's operators with the right parameters.

Airflow, its providers and the DAG are imported where they are used: their imports take seconds,
which every pytest-xdist worker would pay to collect this module.
"""

from datetime import date
from types import SimpleNamespace

import pytest

from lakehouse.config import Profile, RedshiftTarget, load_settings
from lakehouse.errors import ConfigError, HistoryLostError
from lakehouse.pipeline.steps import derive_run_id
from lakehouse.schema import star_table
from spark_app.build_report import BuildReport, EntityCounts

AWS_ENV = {
    "LAKEHOUSE_PROFILE": "aws",
    "LAKEHOUSE_RAW_BUCKET": "acme-raw",
    "LAKEHOUSE_CURATED_BUCKET": "acme-curated",
}
VARIABLES = {
    "lakehouse_glue_crawler": "acme-raw-crawler",
    "lakehouse_glue_job": "acme-glue-etl",
}
DAG_RUN_ID = "scheduled__2024-06-30T02:00:00+00:00"
CLUSTER = RedshiftTarget(
    "acme-warehouse",
    "salesdb",
    "arn:aws:secretsmanager:x",
    serverless=False,
    iam_role="arn:aws:iam::123456789012:role/acme-redshift-copy",
)


@pytest.fixture(scope="module")
def dag():
    from sales_star_pipeline import build_dag

    return build_dag(Profile.AWS)


def render(dag, task_id: str, field: str):
    """A task field as Airflow renders it for the run of 2024-06-30 with the deployment's values."""
    task = dag.get_task(task_id)
    context = {
        "ds": "2024-06-30",
        "run_id": DAG_RUN_ID,
        "var": {"value": VARIABLES},
        **dag.user_defined_macros,
        "settings": lambda: load_settings(AWS_ENV),
    }
    return task.render_template(getattr(task, field), context, dag.get_template_env())


def test_validate_s3_is_a_rescheduling_s3_key_sensor_on_each_entitys_raw_partition(dag):
    from airflow.providers.amazon.aws.sensors.s3 import S3KeySensor

    sensor = dag.get_task("validate_s3")
    assert isinstance(sensor, S3KeySensor)
    assert (sensor.wildcard_match, sensor.mode) == (True, "reschedule")
    assert render(dag, "validate_s3", "bucket_name") == "acme-raw"
    assert render(dag, "validate_s3", "bucket_key") == [
        f"{entity}/ingest_date=2024-06-30/*.csv*"
        for entity in ("customers", "products", "locations", "sales")
    ]


@pytest.mark.parametrize("seconds", [None, "2"])
def test_the_sensors_check_every_minute_unless_the_environment_says_otherwise(monkeypatch, seconds):
    from sales_star_pipeline import build_dag

    if seconds is not None:
        monkeypatch.setenv("LAKEHOUSE_SENSOR_POKE_SECONDS", seconds)
    else:
        monkeypatch.delenv("LAKEHOUSE_SENSOR_POKE_SECONDS", raising=False)
    dag = build_dag(Profile.AWS)
    intervals = {dag.get_task(task).poke_interval for task in ("validate_s3", "wait_crawler")}
    assert intervals == {float(seconds or 60)}
    # the Glue job's run: every 6 s, the provider's default, or the sensors' interval if shorter
    assert dag.get_task("run_glue_etl").job_poll_interval == (2 if seconds else 6)


def test_the_crawler_is_started_without_waiting_and_a_glue_sensor_waits_for_it(dag):
    from airflow.providers.amazon.aws.operators.glue_crawler import GlueCrawlerRunOperator
    from airflow.providers.amazon.aws.sensors.glue_crawler import GlueCrawlerSensor

    run, wait = dag.get_task("run_crawler"), dag.get_task("wait_crawler")
    assert isinstance(run, GlueCrawlerRunOperator)
    assert isinstance(wait, GlueCrawlerSensor)
    assert run.wait_for_completion is False
    assert render(dag, "run_crawler", "crawler_name") == "acme-raw-crawler"
    assert render(dag, "wait_crawler", "crawler_name") == "acme-raw-crawler"


def test_the_etl_runs_the_glue_job_with_the_run_date_and_a_stable_run_id(dag):
    from airflow.providers.amazon.aws.operators.glue import GlueJobOperator

    job = dag.get_task("run_glue_etl")
    assert isinstance(job, GlueJobOperator)
    assert job.wait_for_completion is True
    assert render(dag, "run_glue_etl", "job_name") == "acme-glue-etl"
    args = render(dag, "run_glue_etl", "script_args")
    assert args["--run-date"] == "2024-06-30"
    assert args["--run-id"] == derive_run_id(date(2024, 6, 30), DAG_RUN_ID)


def test_create_schema_runs_the_redshift_ddl_through_the_data_api_on_the_deployed_target(
    dag, monkeypatch
):
    from sales_star_tasks import aws_tasks

    applied = []
    monkeypatch.setattr(
        aws_tasks,
        "apply_redshift_ddl",
        lambda settings, poll: applied.append((settings.redshift, poll)) or ["statement-1"],
    )
    monkeypatch.setenv("LAKEHOUSE_PROFILE", "aws")
    for name, value in CLUSTER.airflow_variables().items():  # as the deployment sets them
        monkeypatch.setenv(f"AIRFLOW_VAR_{name.upper()}", value)

    task = dag.get_task("redshift_load.create_schema")

    assert task.python_callable.__wrapped__() == ["statement-1"]
    assert applied == [(CLUSTER, aws_tasks.STATEMENT_POLL_SECONDS)]


def test_create_schema_without_the_redshift_variables_says_which_to_set(dag, monkeypatch):
    monkeypatch.setenv("LAKEHOUSE_PROFILE", "aws")
    task = dag.get_task("redshift_load.create_schema")

    with pytest.raises(ConfigError, match="lakehouse_redshift_workgroup"):
        task.python_callable.__wrapped__()


@pytest.mark.parametrize(
    "table", ["customer_dim", "product_dim", "location_dim", "date_dim", "sales_fact"]
)
def test_each_load_runs_through_the_data_api_on_the_deployed_target_with_the_copy_role(
    dag, monkeypatch, table
):
    from sales_star_tasks import aws_tasks

    loads = []
    monkeypatch.setattr(
        aws_tasks,
        "load_table_on_redshift",
        lambda settings, star, poll: loads.append((star, settings.redshift, poll)) or 7,
    )
    monkeypatch.setenv("LAKEHOUSE_PROFILE", "aws")
    for name, value in {**VARIABLES, **CLUSTER.airflow_variables()}.items():
        monkeypatch.setenv(f"AIRFLOW_VAR_{name.upper()}", value)

    task = dag.get_task(f"redshift_load.load_{table}")

    assert task.python_callable.__wrapped__() == 7
    assert loads == [(star_table(table), CLUSTER, aws_tasks.STATEMENT_POLL_SECONDS)]
    assert loads[0][1].copy_role() == "arn:aws:iam::123456789012:role/acme-redshift-copy"


def test_the_etl_task_checks_the_curated_zones_history_before_it_starts_the_glue_job(
    dag, monkeypatch
):
    from airflow.providers.amazon.aws.operators.glue import GlueJobOperator
    from sales_star_tasks import aws_tasks

    calls = []
    monkeypatch.setattr(
        aws_tasks, "check_history", lambda settings: calls.append(settings.redshift)
    )
    monkeypatch.setattr(
        GlueJobOperator, "execute", lambda self, context: calls.append("job") or "jr_1"
    )
    monkeypatch.setenv("LAKEHOUSE_PROFILE", "aws")
    for name, value in CLUSTER.airflow_variables().items():  # as the deployment sets them
        monkeypatch.setenv(f"AIRFLOW_VAR_{name.upper()}", value)

    job_run = dag.get_task("run_glue_etl").execute({})

    # the warehouse's side of the check goes to the deployed Redshift, through the Data API
    assert (calls, job_run) == ([CLUSTER, "job"], "jr_1")


def test_the_glue_job_never_starts_when_the_curated_zone_lost_history(dag, monkeypatch):
    from airflow.providers.amazon.aws.operators.glue import GlueJobOperator
    from sales_star_tasks import aws_tasks

    def lost(_settings):
        raise HistoryLostError("the curated zone lacks history")

    started = []
    monkeypatch.setattr(aws_tasks, "check_history", lost)
    monkeypatch.setattr(GlueJobOperator, "execute", lambda self, context: started.append(1))

    with pytest.raises(HistoryLostError):
        dag.get_task("run_glue_etl").execute({})
    assert started == []


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        ("lakehouse.errors.DataQualityError: gate curated_suite failed: 2 checks", False),
        ("An error occurred while calling o91.save: Connection reset", True),
    ],
)
def test_a_glue_run_that_failed_a_data_quality_gate_is_not_retried(
    dag, monkeypatch, error, retried
):
    from airflow.exceptions import AirflowException, AirflowFailException
    from airflow.providers.amazon.aws.operators.glue import GlueJobOperator
    from sales_star_tasks import aws_tasks

    def failed(operator, _context):
        operator._job_run_id = "jr_1"
        raise AirflowException("Exiting Job jr_1 Run State: FAILED")

    task = dag.get_task("run_glue_etl")
    monkeypatch.setattr(aws_tasks, "check_history", lambda _settings: None)
    monkeypatch.setattr(GlueJobOperator, "execute", failed)
    glue = SimpleNamespace(get_job_run=lambda **_: {"JobRun": {"ErrorMessage": error}})
    monkeypatch.setattr(type(task), "hook", SimpleNamespace(conn=glue))

    with pytest.raises(AirflowException) as raised:
        task.execute({})

    # AirflowFailException ends the task without its retries; any other failure is retried
    assert isinstance(raised.value, AirflowFailException) is not retried
    assert (error in str(raised.value)) is not retried


def test_the_gates_and_the_marts_refresh_stay_the_projects_steps_on_aws(dag):
    for task_id in ("validate_catalog", "redshift_load.quality_checks"):
        assert dag.get_task(task_id).task_type == "_PythonDecoratedOperator"
    assert dag.get_task("refresh_mat_views").task_type == "_PythonDecoratedOperator"


#: Parses the aws DAG from a DAG folder, as a worker whose Python lacks what MWAA's lacks
#: (:data:`tests.helpers.mwaa_worker.NOT_INSTALLED`); prints the task ids, where ``lakehouse``
#: came from and the distributions imported.
PARSE_ON_A_WORKER = """
import importlib.metadata, json, sys

sys.path.insert(0, {dags!r})
from sales_star_pipeline import build_dag
from lakehouse.config import Profile
import lakehouse, sales_star_tasks.aws_tasks, sales_star_tasks.outcome
task_ids = sorted(build_dag(Profile.AWS).task_ids)
packages = importlib.metadata.packages_distributions()
imported = sorted({{d for m in list(sys.modules) for d in packages.get(m.partition(".")[0], [])}})
print(json.dumps({{"tasks": task_ids, "lakehouse": lakehouse.__file__, "imported": imported}}))
"""


def requirement_closure(*names: str) -> set[str]:
    """``names`` and every distribution they require, transitively (markers ignored)."""
    import importlib.metadata
    import re

    found, pending = set(), [*names]
    while pending:
        name = pending.pop().lower().replace("_", "-")
        if name in found:
            continue
        found.add(name)
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        pending += [re.split(r"[\\[<>=!~; (]", spec, maxsplit=1)[0] for spec in requires]
    return found


def test_the_dag_bundle_parses_on_a_worker_with_airflow_and_the_bundles_requirements(tmp_path):
    import json
    import os
    import subprocess
    import sys
    import zipfile

    from sales_star_pipeline import STEP_IDS

    from lakehouse.config import PROJECT_ROOT
    from lakehouse.release.manifest import Manifest
    from lakehouse.release.package import WORKER_DISTRIBUTIONS, package_dags
    from tests.helpers.mwaa_worker import worker_env

    package_dags(PROJECT_ROOT, tmp_path, Manifest(version="0", commit="test"))
    zipfile.ZipFile(tmp_path / "dags" / "airflow_dags.zip").extractall(tmp_path / "folder")
    code = PARSE_ON_A_WORKER.format(dags=str(tmp_path / "folder"))
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **AWS_ENV, **worker_env(tmp_path / "site")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    parsed = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(STEP_IDS) <= set(parsed["tasks"])
    assert parsed["lakehouse"].startswith(str(tmp_path / "folder"))  # the bundle's, not ours
    airflow = requirement_closure("apache-airflow-core", "apache-airflow-providers-amazon")
    imported = {n.lower().replace("_", "-") for n in parsed["imported"]} - {"psycopg-binary"}
    assert imported - airflow <= set(WORKER_DISTRIBUTIONS)


def test_the_refresh_and_the_runs_audit_go_to_the_deployed_redshift(dag, monkeypatch):
    from sales_star_tasks import outcome, shared_tasks

    seen, audited = [], []
    counts = {"sales": EntityCounts(3, 2, 1, 0, {"missing:unit_price": 1})}
    monkeypatch.setattr(
        shared_tasks, "refresh_mat_views", lambda settings: seen.append(settings.redshift) or []
    )
    monkeypatch.setattr(
        outcome,
        "audit_run",
        lambda settings, record: seen.append(settings.redshift) or audited.append(record),
    )
    # The Glue job's XCom is its run id: the counts come from the report the job saved.
    monkeypatch.setattr(
        outcome,
        "load_report",
        lambda _, run_id: BuildReport(run_id, date(2024, 6, 30), counts),
    )
    monkeypatch.setattr(outcome, "publish_run_metrics", lambda settings, record: None)
    monkeypatch.setenv("LAKEHOUSE_PROFILE", "aws")
    for name, value in CLUSTER.airflow_variables().items():  # as the deployment sets them
        monkeypatch.setenv(f"AIRFLOW_VAR_{name.upper()}", value)
    ti = SimpleNamespace(
        xcom_pull=lambda task_ids, **_: "jr_1" if task_ids == "run_glue_etl" else None
    )
    dag_run = SimpleNamespace(run_id=DAG_RUN_ID, start_date=None)
    context = {"ti": ti, "ds": "2024-06-30", "dag_run": dag_run, "params": {}}

    task = dag.get_task("refresh_mat_views")
    task.python_callable.__wrapped__(**context)

    assert seen == [CLUSTER, CLUSTER]
    assert audited[0].entities == counts
