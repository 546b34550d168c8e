"""End to end: `airflow dags test sales_star_pipeline` on the embedded stack with a small batch.

One DAG run, triggered with config ``{"source": DIR}`` so that ``validate_s3`` lands the batch
first; the warehouse totals must equal those computed from the CSV files, the run must be audited
as succeeded, and its metrics must be in the emulator's CloudWatch.
"""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import psycopg
import pytest

from lakehouse.cli.airflow_commands import build_airflow_env
from lakehouse.config import PROJECT_ROOT, Profile
from lakehouse.generate import GeneratorSpec, generate_dataset
from lakehouse.observability.metrics import NAMESPACE
from lakehouse.resources.aws import make_client
from lakehouse.resources.warehouse import read_credentials
from tests.e2e.test_lakehouse_run import expected_totals, warehouse_totals
from tests.helpers.lake import drop_lake, make_lake, upload_batch

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
RUN_DATE = date(2024, 5, 31)
LAKEHOUSE = str(Path(sys.executable).parent / "lakehouse")


@pytest.fixture
def lake(stack):
    """Fresh raw and curated buckets, so the totals are this batch's alone."""
    lake = make_lake(stack, threshold=stack.quarantine_threshold)
    yield lake
    drop_lake(lake)


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


def read_last_run(dsn: str) -> tuple:
    with psycopg.connect(dsn) as connection:
        return connection.execute(
            "select run_id, status, step_seconds ? 'load_sales_fact' from audit.pipeline_runs"
            " where run_date = %s order by started_at desc limit 1",
            (RUN_DATE,),
        ).fetchone()


def read_metric_names(settings) -> set[str]:
    cloudwatch = make_client(settings, "cloudwatch")
    metrics = cloudwatch.list_metrics(Namespace=NAMESPACE)["Metrics"]
    return {metric["MetricName"] for metric in metrics}


def test_airflow_dags_test_loads_the_batch_audits_the_run_and_publishes_its_metrics(
    lake, cli_env, tmp_path
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
    env = {
        **cli_env,
        "LAKEHOUSE_RAW_BUCKET": lake.raw_bucket,
        "LAKEHOUSE_CURATED_BUCKET": lake.curated_bucket,
    }

    result = run_dag_test(env, source)

    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    dsn = read_credentials(lake).dsn
    assert warehouse_totals(dsn) == expected_totals(source)
    run_id, status, has_load_timing = read_last_run(dsn)
    assert (run_id.startswith("20240531-airflow-"), status, has_load_timing) == (
        True,
        "succeeded",
        True,
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
    for name, value in build_airflow_env(lake, read_credentials(lake).dsn).items():
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
