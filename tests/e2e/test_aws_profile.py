"""End to end on the aws profile, offline: deploy, land two days, run the aws DAG for each.

As a user deploys to AWS, against the emulator: `lakehouse deploy --profile aws` creates the
stacks, the Glue crawler and job and the Redshift cluster; `lakehouse land-raw` lands a day with
defects; `lakehouse airflow dags test sales_star_pipeline D` runs the aws tasks (the amazon
provider's sensors and operators, the crawler, the deployed Glue job's script on this machine's
Spark, every warehouse task through the Redshift Data API). A second day corrects some sales
and brings new ones, and Redshift applies only those changes. The star, the audit and the
quarantine in the deployment's Redshift must equal those that `lakehouse run` on the local
profile gives the same days.

The DAG's tasks run where pyspark, pandera and Great Expectations cannot be imported, as on an
MWAA worker (the gates run inside the Glue job). Under IAM, as on AWS: the suite's emulator
enforces it (``LAKEHOUSE_ENFORCE_IAM``), the DAG's tasks call as a session of the deployed
Airflow role, and the emulator runs the crawler and the Glue job as the Glue role and each COPY
as the Redshift role. A call that a role's policies do
not allow fails the test, whether it fails its task or the task goes on without it (the Glue
operator's log reading does): the emulator logs each call it denies.
"""

import csv
import dataclasses
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

import psycopg
import pytest

from lakehouse.config import Settings, load_settings
from lakehouse.deploy.plan import DeployOptions, WarehouseKind
from lakehouse.deploy.run_deploy import deploy
from lakehouse.emulator.data_api import postgres_database
from lakehouse.emulator.role_sessions import RoleSessions
from lakehouse.generate import GeneratorSpec, generate_dataset
from lakehouse.resources.warehouse import read_credentials
from lakehouse.stack.emulator_services import EmulatorService
from tests.helpers.cli import LAKEHOUSE, lakehouse, run_command
from tests.helpers.lake import drop_catalog_lake, engine_cli_env, lake_cli_env, make_catalog_lake
from tests.helpers.mwaa_worker import worker_env
from tests.helpers.star import star_rows

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.embedded_stack]
#: Days that no other test of the suite runs.
RUN_DATE, NEXT_DATE = date(2024, 7, 9), date(2024, 7, 10)
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
def batches(tmp_path_factory: pytest.TempPathFactory) -> dict[date, Path]:
    """Two days of batches, by date.

    Sales with defects of every kind (2 % of each entity's rows), then a day that corrects some
    of them and brings new ones, with the same dimensions.
    """
    first = tmp_path_factory.mktemp("aws-day-1")
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
    generate_dataset(first, spec)
    return {RUN_DATE: first, NEXT_DATE: corrections(first, tmp_path_factory.mktemp("aws-day-2"))}


def corrections(day: Path, folder: Path) -> Path:
    """A day after ``day``: its dimensions, 10 of its sales with one more item, 20 new sales."""
    for entity in ("customers", "products", "locations"):
        shutil.copy(day / f"{entity}.csv", folder)
    with (day / "sales.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames or [], list(reader)
    corrected = [
        {**row, "quantity": str(int(row["quantity"]) + 1)}
        for row in rows[:10]
        if row["quantity"].isdigit()
    ]
    new = [{**row, "sale_id": f"{row['sale_id']}-2"} for row in rows[10:30]]
    with (folder / "sales.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(corrected + new)
    return folder


@dataclass(frozen=True)
class Deployment:
    """What a deployment's user and its DAG run with."""

    prefix: str
    env: dict[str, str]  # the deployer's: the account's root
    #: The DAG's: ``env`` as a session of the deployed Airflow role, on a Python without Spark,
    #: pandera or Great Expectations, as an MWAA worker is
    dag_env: dict[str, str]


@pytest.fixture(scope="module")
def deployment(
    stack: Settings, cli_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    """A provisioned-cluster deployment of its own, and the environments it runs with.

    That is what `lakehouse deploy` prints: the pipeline's variables and the DAG's Airflow
    Variables (as ``AIRFLOW_VAR_*``), with an Airflow home of its own and sensors that check
    every second; the DAG's adds the credentials of a session of the Airflow role, and its
    Python cannot import what an MWAA worker lacks.
    """
    prefix = f"e{uuid.uuid4().hex[:8]}"
    env = {**cli_env, "LAKEHOUSE_PROFILE": "aws", "LAKEHOUSE_GLUE_DATABASE": f"{prefix}_sales"}
    options = DeployOptions(prefix=prefix, warehouse_kind=WarehouseKind.PROVISIONED, poll_seconds=1)
    report = deploy(load_settings(env), options)
    variables = {
        f"AIRFLOW_VAR_{name.upper()}": value for name, value in report.airflow_variables.items()
    }
    env = {
        **env,
        **report.env,
        **variables,
        "LAKEHOUSE_STATE_DIR": str(tmp_path_factory.mktemp("aws-state")),
        "LAKEHOUSE_SENSOR_POKE_SECONDS": "1",
    }
    sessions = RoleSessions(env["AWS_ENDPOINT_URL"], enforce_iam=True)
    airflow = sessions.env(stack.region, report.stacks["iam"]["AirflowRoleArn"], "airflow")
    worker = worker_env(tmp_path_factory.mktemp("mwaa-worker"), env.get("PYTHONPATH", ""))
    yield Deployment(prefix, env, {**env, **airflow, **worker})
    warehouse = report.stacks["warehouse"]
    database = postgres_database(warehouse["WarehouseName"], warehouse["DatabaseName"])
    with psycopg.connect(read_credentials(stack).dsn, autocommit=True) as connection:
        connection.execute(f'drop database if exists "{database}" with (force)')


@dataclass
class Runs:
    """Each day's process on each profile, in date order (up to the first that failed)."""

    aws: dict[date, subprocess.CompletedProcess]
    local: dict[date, subprocess.CompletedProcess]


def run_days(
    batches: dict[date, Path], run: Callable[[date, Path], subprocess.CompletedProcess]
) -> dict[date, subprocess.CompletedProcess]:
    """``run`` each day in date order; stops after a day that failed."""
    done = {}
    for day, folder in batches.items():
        done[day] = run(day, folder)
        if done[day].returncode:
            break
    return done


def run_on_aws(deployment: Deployment, day: date, folder: Path) -> subprocess.CompletedProcess:
    """`lakehouse land-raw`, then `lakehouse airflow dags test` on ``day`` as the Airflow role."""
    command = ["land-raw", "--source", str(folder), "--run-date", str(day)]
    landed = lakehouse(deployment.env, *command)
    if landed.returncode:
        return landed
    command = [LAKEHOUSE, "airflow", "dags", "test", "sales_star_pipeline", str(day)]
    return subprocess.run(
        command, env=deployment.dag_env, capture_output=True, text=True, timeout=900, check=False
    )


def run_locally(env: dict[str, str], day: date, folder: Path) -> subprocess.CompletedProcess:
    """`lakehouse run` on ``day``, in a process of its own.

    A Spark Connect session in this one would turn the suite's later sessions in it into Spark
    Connect ones (with one pytest worker).
    """
    command = run_command(folder, day)
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=900, check=False
    )


@pytest.fixture(scope="module")
def local_lake(stack: Settings) -> Iterator[Settings]:
    """The local profile's lake of its own."""
    lake = make_catalog_lake(stack)
    yield lake
    drop_catalog_lake(lake)


@pytest.fixture(scope="module")
def runs(
    deployment: Deployment,
    local_lake: Settings,
    cli_env: dict[str, str],
    engine: Settings,
    batches: dict[date, Path],
) -> Runs:
    """The days on the aws profile and, in a thread beside them, on the local profile.

    The local runs use the warm engine, as after `lakehouse up`; the aws runs mostly wait (for
    the sensors, the Glue job's own JVM, the Data API), so the two overlap.
    """
    local_env = engine_cli_env(lake_cli_env(cli_env, local_lake), engine)
    with ThreadPoolExecutor(1) as pool:
        local = pool.submit(run_days, batches, partial(run_locally, local_env))
        aws = run_days(batches, partial(run_on_aws, deployment))
        return Runs(aws, local.result())


@pytest.fixture(scope="module")
def aws_warehouse(stack: Settings, deployment: Deployment) -> Iterator[psycopg.Connection]:
    """A connection to the PostgreSQL database that holds the deployed cluster's database."""
    redshift = load_settings(deployment.env).redshift
    assert redshift is not None
    database = postgres_database(redshift.name, redshift.database)
    credentials = dataclasses.replace(read_credentials(stack), dbname=database)
    with psycopg.connect(credentials.dsn) as connection:
        yield connection


@pytest.fixture(scope="module")
def local_warehouse(local_lake: Settings) -> Iterator[psycopg.Connection]:
    """A connection to the warehouse of the local profile's runs."""
    with psycopg.connect(read_credentials(local_lake).dsn) as connection:
        yield connection


def audit_rows(connection: psycopg.Connection, day: date) -> dict[str, list[tuple]]:
    """The audit rows of the latest run of ``day``, by table, sorted."""
    [(run_id,)] = connection.execute(
        "select run_id from audit.pipeline_runs where run_date = %s"
        " order by started_at desc limit 1",
        (day,),
    ).fetchall()
    return {
        name: sorted(connection.execute(query, (run_id,)).fetchall())
        for name, query in AUDIT_QUERIES.items()
    }


@pytest.mark.parametrize("profile", ["aws", "local"])
def test_every_day_runs_to_success_on_each_profile(runs: Runs, profile: str) -> None:
    done = getattr(runs, profile)
    for day, run in done.items():
        assert run.returncode == 0, f"{day}: " + run.stdout[-5000:] + run.stderr[-5000:]
    assert list(done) == [RUN_DATE, NEXT_DATE]


def test_the_deployed_star_equals_the_local_profiles_row_for_row(
    runs: Runs,
    aws_warehouse: psycopg.Connection,
    local_warehouse: psycopg.Connection,
) -> None:
    expected = star_rows(local_warehouse)

    assert star_rows(aws_warehouse) == expected
    assert len(expected["sales_fact"]) > 400


@pytest.mark.parametrize("day", [RUN_DATE, NEXT_DATE])
def test_the_deployed_audit_and_quarantine_equal_the_local_profiles(
    runs: Runs,
    aws_warehouse: psycopg.Connection,
    local_warehouse: psycopg.Connection,
    day: date,
) -> None:
    expected = audit_rows(local_warehouse, day)

    assert audit_rows(aws_warehouse, day) == expected
    assert expected["pipeline_runs"] == [(day, "succeeded", None)]


def test_the_first_day_quarantines_its_defects_and_the_second_loads_only_its_changes(
    runs: Runs, aws_warehouse: psycopg.Connection
) -> None:
    (mode, applied) = aws_warehouse.execute(
        "select load_mode, rows_applied from audit.loaded_versions where table_name = 'sales_fact'"
    ).fetchone()
    (quarantined,) = aws_warehouse.execute("select count(*) from audit.quarantine").fetchone()

    # at most the 10 corrected and 20 new sales, not the 400 of the first day again
    assert (mode, 0 < applied <= 30) == ("incremental", True)
    assert quarantined > 0


def test_no_call_of_any_component_was_denied_by_its_deployed_role(
    runs: Runs, stack: Settings, deployment: Deployment
) -> None:
    log = EmulatorService().log_file(stack).read_text(encoding="utf-8", errors="replace")
    denied = [
        line
        for line in log.splitlines()
        if "IAM denied" in line and f"assumed-role/{deployment.prefix}-" in line
    ]

    assert denied == []
