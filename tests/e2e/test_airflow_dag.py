"""End to end: `airflow dags test sales_star_pipeline` on the embedded stack with a small batch.

Its Spark work runs on the stack's warm engine, as a user's local Airflow does after `lakehouse up`.

One DAG run, triggered with config ``{"source": DIR}`` so that ``validate_s3`` lands the batch
first; the warehouse totals must equal those computed from the CSV files, the run must be audited
as succeeded, and its metrics must be in the emulator's CloudWatch.
"""

import json
import logging
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest

from lakehouse.cli.airflow_commands import build_airflow_env
from lakehouse.config import PROJECT_ROOT, Profile
from lakehouse.errors import DataQualityError
from lakehouse.generate import GeneratorSpec, generate_dataset
from lakehouse.observability.metrics import NAMESPACE
from lakehouse.pipeline.steps import derive_run_id
from lakehouse.resources.aws import make_client
from lakehouse.resources.warehouse import read_credentials
from tests.helpers.lake import upload_batch
from tests.helpers.totals import expected_totals, warehouse_totals

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
RUN_DATE = date(2024, 5, 31)
LAKEHOUSE = str(Path(sys.executable).parent / "lakehouse")


def run_dag_test(env: dict[str, str], source: Path) -> subprocess.CompletedProcess:
    conf = json.dumps({"source": str(source)})
    command = ["airflow", "dags", "test", "sales_star_pipeline", RUN_DATE.isoformat()]
    return subprocess.run(
        [LAKEHOUSE, *command, "--conf", conf],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )


def read_runs_finished_since(dsn: str, since: datetime) -> list[tuple]:
    with psycopg.connect(dsn) as connection:
        return connection.execute(
            "select run_id, status, step_seconds ? 'load_sales_fact' from audit.pipeline_runs"
            " where run_date = %s and finished_at >= %s",
            (RUN_DATE, since),
        ).fetchall()


def read_gate_outcomes(dsn: str, run_id: str) -> dict[str, str]:
    with psycopg.connect(dsn) as connection:
        rows = connection.execute(
            "select gate, outcome from audit.gate_outcomes where run_id = %s", (run_id,)
        ).fetchall()
    return dict(rows)


def read_metric_names(settings) -> set[str]:
    cloudwatch = make_client(settings, "cloudwatch")
    metrics = cloudwatch.list_metrics(Namespace=NAMESPACE)["Metrics"]
    return {metric["MetricName"] for metric in metrics}


def read_failed_outcomes(settings) -> list[dict]:
    cloudwatch = make_client(settings, "cloudwatch")
    dimensions = [{"Name": "Outcome", "Value": "failed"}]
    return cloudwatch.list_metrics(Namespace=NAMESPACE, MetricName="Runs", Dimensions=dimensions)[
        "Metrics"
    ]


def test_airflow_dags_test_loads_the_batch_audits_the_run_and_publishes_its_metrics(
    lake, engine_env, tmp_path
):
    source = tmp_path / "batch"
    source.mkdir()
    spec = GeneratorSpec(
        seed=11,
        customers=150,
        products=40,
        locations=8,
        days=20,
        sales_lines=2_000,
        end_date=RUN_DATE,
    )
    generate_dataset(source, spec)
    started = datetime.now(UTC)
    result = run_dag_test(engine_env, source)

    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    dsn = read_credentials(lake).dsn
    assert warehouse_totals(dsn) == expected_totals(source)
    [(run_id, status, has_load_timing)] = read_runs_finished_since(dsn, started)
    assert (run_id.startswith("20240531-airflow-"), status, has_load_timing) == (
        True,
        "succeeded",
        True,
    )
    assert read_gate_outcomes(dsn, run_id) == dict.fromkeys(
        ("reconciliation", "quarantine_threshold", "raw_schema", "curated_suite", "quality_checks"),
        "passed",
    )
    assert {
        "Runs",
        "RowsRead",
        "RowsLoaded",
        "RowsQuarantined",
        "StepSeconds",
    } <= read_metric_names(lake)


def test_the_aws_profile_s3_key_sensor_finds_a_landed_batch_in_the_emulator_and_not_a_missing_day(
    lake, monkeypatch, tmp_path
):
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "airflow"))
    for name, value in build_airflow_env(lake).items():
        monkeypatch.setenv(name, value)
    monkeypatch.syspath_prepend(str(PROJECT_ROOT / "airflow" / "dags"))
    header = "id\n1\n"
    upload_batch(
        lake, RUN_DATE, dict.fromkeys(("customers", "products", "locations", "sales"), header)
    )
    from sales_star_pipeline import build_dag

    def poke(day: date) -> bool:
        dag = build_dag(Profile.AWS)
        sensor = dag.get_task("validate_s3")
        context = {"ds": day.isoformat(), **dag.user_defined_macros, "settings": lambda: lake}
        sensor.render_template_fields(context, dag.get_template_env())
        return sensor.poke(context)

    assert (poke(RUN_DATE), poke(date(2024, 5, 30))) == (True, False)


def test_the_failure_callback_audits_the_failed_step_publishes_the_outcome_and_logs_why(
    stack, test_env, monkeypatch, caplog
):
    for name, value in test_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.syspath_prepend(str(PROJECT_ROOT / "airflow" / "dags"))
    from sales_star_tasks.outcome import record_failure

    dag_run = SimpleNamespace(run_id="manual__failure-test", start_date=datetime.now(UTC))
    context = {
        "ds": RUN_DATE.isoformat(),
        "dag_run": dag_run,
        "params": {},
        "ti": SimpleNamespace(task_id="run_glue_etl"),
        "exception": DataQualityError("gate quarantine_share failed for sales"),
    }
    with caplog.at_level(logging.ERROR):
        record_failure(context)

    with psycopg.connect(read_credentials(stack).dsn) as connection:
        row = connection.execute(
            "select status, failed_step, message from audit.pipeline_runs where run_id = %s",
            (derive_run_id(RUN_DATE, dag_run.run_id),),
        ).fetchone()
    assert row == ("failed", "run_glue_etl", "gate quarantine_share failed for sales")
    assert read_failed_outcomes(stack) != []
    logged = [json.loads(message) for message in caplog.messages if message.startswith("{")]
    assert [(line["event"], line["failed_step"]) for line in logged] == [
        ("run_failed", "run_glue_etl")
    ]
