"""End to end on the aws profile, offline: deploy, land the batch, run the aws DAG.

As a user deploys to AWS, against the emulator: `lakehouse deploy --profile aws` creates the
stacks, the Glue crawler and job and the Redshift cluster; `lakehouse land-raw` lands a batch
with defects; `lakehouse airflow dags test sales_star_pipeline D` runs the aws tasks (the amazon
provider's sensors and operators, the crawler, the deployed Glue job's script on this machine's
Spark, every warehouse task through the Redshift Data API). The star, the audit and the
quarantine in the deployment's Redshift must equal those that `lakehouse run` on the local
profile gives the same batch.
"""

import dataclasses
import subprocess
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest

from lakehouse.config import Settings, load_settings
from lakehouse.deploy.plan import DeployOptions, WarehouseKind
from lakehouse.deploy.run_deploy import deploy
from lakehouse.emulator.data_api import postgres_database
from lakehouse.generate import GeneratorSpec, generate_dataset
from lakehouse.resources.warehouse import read_credentials
from tests.helpers.cli import LAKEHOUSE, lakehouse, run_command
from tests.helpers.lake import drop_catalog_lake, engine_cli_env, lake_cli_env, make_catalog_lake
from tests.helpers.star import star_rows

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.embedded_stack]
#: A day that no other test of the suite runs.
RUN_DATE = date(2024, 7, 9)
#: What the day's run wrote to each audit table, without its run id and times.
AUDIT_QUERIES = {
    "entity_counts": "select entity, rows_read, rows_loaded, rows_quarantined, rows_duplicate,"
    " reasons::text, orphans::text from audit.entity_counts where run_id = %s",
    "gate_outcomes": "select gate, outcome from audit.gate_outcomes where run_id = %s",
    "quarantine": "select entity, line_number, reasons::text, record::text"
    " from audit.quarantine where run_id = %s",
    "pipeline_runs": "select run_date, status, failed_step from audit.pipeline_runs"
    " where run_id = %s",
}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small day of sales with defects of every kind (2 % of each entity's rows)."""
    folder = tmp_path_factory.mktemp("aws-batch")
    spec = GeneratorSpec(
        seed=23,
        customers=60,
        products=20,
        locations=5,
        days=10,
        sales_lines=400,
        end_date=RUN_DATE,
        defect_rate=0.02,
    )
    generate_dataset(folder, spec)
    return folder


@pytest.fixture(scope="module")
def deployment(
    stack: Settings, cli_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """A provisioned-cluster deployment of its own; the environment its DAG runs with.

    That is what `lakehouse deploy` prints: the pipeline's variables and the DAG's Airflow
    Variables (as ``AIRFLOW_VAR_*``), with an Airflow home of its own and sensors that check
    every second.
    """
    prefix = f"e{uuid.uuid4().hex[:8]}"
    env = {**cli_env, "LAKEHOUSE_PROFILE": "aws", "LAKEHOUSE_GLUE_DATABASE": f"{prefix}_sales"}
    options = DeployOptions(prefix=prefix, warehouse_kind=WarehouseKind.PROVISIONED, poll_seconds=1)
    report = deploy(load_settings(env), options)
    variables = {
        f"AIRFLOW_VAR_{name.upper()}": value for name, value in report.airflow_variables.items()
    }
    yield {
        **env,
        **report.env,
        **variables,
        "LAKEHOUSE_STATE_DIR": str(tmp_path_factory.mktemp("aws-state")),
        "LAKEHOUSE_SENSOR_POKE_SECONDS": "1",
    }
    warehouse = report.stacks["warehouse"]
    database = postgres_database(warehouse["WarehouseName"], warehouse["DatabaseName"])
    with psycopg.connect(read_credentials(stack).dsn, autocommit=True) as connection:
        connection.execute(f'drop database if exists "{database}" with (force)')


@pytest.fixture(scope="module")
def aws_run(deployment: dict[str, str], batch: Path) -> subprocess.CompletedProcess:
    """`lakehouse land-raw`, then `lakehouse airflow dags test` on the run date."""
    landed = lakehouse(deployment, "land-raw", "--source", str(batch), "--run-date", str(RUN_DATE))
    assert landed.returncode == 0, landed.stdout + landed.stderr
    command = [LAKEHOUSE, "airflow", "dags", "test", "sales_star_pipeline", str(RUN_DATE)]
    return subprocess.run(
        command, env=deployment, capture_output=True, text=True, timeout=900, check=False
    )


@pytest.fixture(scope="module")
def aws_warehouse(stack: Settings, deployment: dict[str, str]) -> Iterator[psycopg.Connection]:
    """A connection to the PostgreSQL database that holds the deployed cluster's database."""
    redshift = load_settings(deployment).redshift
    assert redshift is not None
    database = postgres_database(redshift.name, redshift.database)
    credentials = dataclasses.replace(read_credentials(stack), dbname=database)
    with psycopg.connect(credentials.dsn) as connection:
        yield connection


@pytest.fixture(scope="module")
def local_run(
    stack: Settings, cli_env: dict[str, str], engine: Settings, batch: Path
) -> Iterator[Settings]:
    """The same batch through `lakehouse run` on the local profile, in a lake of its own.

    Its Spark work runs on the warm engine, as after `lakehouse up`.
    """
    lake = make_catalog_lake(stack)
    env = engine_cli_env(lake_cli_env(cli_env, lake), engine)
    # A process of its own: a Spark Connect session in this one would turn the suite's later
    # sessions in it into Spark Connect ones (with one pytest worker).
    command = run_command(batch, RUN_DATE)
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    yield lake
    drop_catalog_lake(lake)


@pytest.fixture(scope="module")
def local_warehouse(local_run: Settings) -> Iterator[psycopg.Connection]:
    """A connection to the warehouse of the local profile's run."""
    with psycopg.connect(read_credentials(local_run).dsn) as connection:
        yield connection


def audit_rows(connection: psycopg.Connection) -> dict[str, list[tuple]]:
    """The audit rows of the latest run of RUN_DATE, by table, sorted."""
    [(run_id,)] = connection.execute(
        "select run_id from audit.pipeline_runs where run_date = %s"
        " order by started_at desc limit 1",
        (RUN_DATE,),
    ).fetchall()
    return {
        name: sorted(connection.execute(query, (run_id,)).fetchall())
        for name, query in AUDIT_QUERIES.items()
    }


def test_the_aws_dag_runs_every_task_to_success(aws_run: subprocess.CompletedProcess) -> None:
    assert aws_run.returncode == 0, aws_run.stdout[-5000:] + aws_run.stderr[-5000:]


def test_the_deployed_star_equals_the_local_profiles_row_for_row(
    aws_run: subprocess.CompletedProcess,
    aws_warehouse: psycopg.Connection,
    local_warehouse: psycopg.Connection,
) -> None:
    expected = star_rows(local_warehouse)

    assert star_rows(aws_warehouse) == expected
    assert len(expected["sales_fact"]) > 300


def test_the_deployed_audit_and_quarantine_equal_the_local_profiles(
    aws_run: subprocess.CompletedProcess,
    aws_warehouse: psycopg.Connection,
    local_warehouse: psycopg.Connection,
) -> None:
    expected = audit_rows(local_warehouse)

    assert audit_rows(aws_warehouse) == expected
    assert expected["pipeline_runs"] == [(RUN_DATE, "succeeded", None)]
    assert expected["quarantine"] != []
