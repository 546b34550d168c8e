"""End to end, with real faults: the emulator stops during the transform, PostgreSQL restarts during
the fact load, the Spark job is killed while it writes (issue 4; the batch over the quarantine
threshold is in test_quality_gates_run.py).

Each run fails with one clear message and leaves the warehouse exactly as it was (every row of
every star table and the Delta version each holds), and a re-run of the same batch succeeds. Each
test faults a run of one batch over a warehouse holding the other: batches A and B have the same
sale_ids with other values, so a faulted run that got through would change every fact row. The
faults hit a second embedded stack (tests/helpers/faults.py), whose lake loads A once: each test
starts from what the test before re-ran. The kill hits a `lakehouse run` process on that lake.
"""

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from lakehouse.config import Settings
from lakehouse.errors import ServiceError
from lakehouse.generate import GeneratorSpec, generate_dataset
from lakehouse.ingest.raw_zone import list_keys
from lakehouse.pipeline.run_lock import force_release
from lakehouse.pipeline.run_pipeline import StepListener, run_pipeline
from lakehouse.resources.aws import make_client
from lakehouse.resources.object_store import open_delta
from lakehouse.resources.warehouse import read_credentials
from lakehouse.stack.endpoints import wait_until
from lakehouse.stack.manager import bring_down, bring_up
from tests.helpers.cli import lakehouse, run_lakehouse
from tests.helpers.faults import (
    kill_emulator,
    kill_run,
    restart_warehouse,
    routed_to_emulator,
    second_stack,
    stack_cli_env,
    start_run,
)
from tests.helpers.lake import drop_catalog_lake, make_catalog_lake
from tests.helpers.star import execute, loaded_versions, star_state
from tests.helpers.totals import expected_totals, warehouse_totals

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
LATEST_RUN = "select status, failed_step from audit.pipeline_runs order by started_at desc limit 1"


@dataclass(frozen=True)
class Batch:
    source: Path
    run_date: date


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory) -> tuple[Batch, Batch]:
    """Batches A and B: 2,000 sale lines each, the same ids, B a month later with other values."""
    made = []
    for seed, run_date in ((1, date(2024, 5, 31)), (2, date(2024, 6, 30))):
        source = tmp_path_factory.mktemp(f"batch{seed}")
        spec = GeneratorSpec(
            seed=seed,
            customers=200,
            products=40,
            locations=8,
            days=60,
            sales_lines=2_000,
            end_date=run_date,
        )
        generate_dataset(source, spec)
        made.append(Batch(source, run_date))
    return made[0], made[1]


@pytest.fixture(scope="module")
def second(settings: Settings) -> Iterator[Settings]:
    """A second embedded stack (emulator and PostgreSQL on free ports), stopped at the end."""
    stack = second_stack(settings)
    try:
        bring_up(stack)
        yield stack
    finally:
        bring_down(stack)


@dataclass
class LoadedLake:
    """A lake and the batch its warehouse holds (each test faults a run of the other one)."""

    settings: Settings
    batches: tuple[Batch, Batch]
    loaded: Batch

    def other(self) -> Batch:
        """The batch the warehouse does not hold: every fact row would change if it loaded."""
        first, second = self.batches
        return second if self.loaded == first else first

    def rerun(self, batch: Batch) -> None:
        """:func:`assert_rerun_loads` of ``batch``, which the warehouse holds from then on."""
        self.loaded = batch
        assert_rerun_loads(self.settings, batch)


@pytest.fixture(scope="module")
def second_stack_lake(
    second: Settings, spark: SparkSession, batches: tuple[Batch, Batch]
) -> Iterator[LoadedLake]:
    """A lake of its own on the second stack, batch A loaded once; the suite's Spark reaches it.

    Each test leaves the lake holding the batch its re-run loaded, so the next test's baseline
    is that run's warehouse rather than a run of its own.
    """
    lake = make_catalog_lake(second)
    with routed_to_emulator(spark, lake):
        run_pipeline(lake, batches[0].source, batches[0].run_date)
        yield LoadedLake(lake, batches, batches[0])
    drop_catalog_lake(lake)


@pytest.fixture
def second_lake(second: Settings, second_stack_lake: LoadedLake) -> LoadedLake:
    """The second stack's lake, its services up (a test before may have stopped one)."""
    bring_up(second)
    return second_stack_lake


def warehouse_snapshot(settings: Settings) -> tuple[dict, dict]:
    """Every row of every star table, and the Delta version each one holds."""
    return star_state(settings), loaded_versions(settings)


def on_start_of(step: str, action: Callable[[], object]) -> StepListener:
    """A step listener that calls ``action`` when ``step`` starts."""

    def listener(name: str, event: str, _: float) -> None:
        if (name, event) == (step, "start"):
            action()

    return listener


def assert_rerun_loads(lake: Settings, batch: Batch) -> None:
    """A re-run of ``batch`` succeeds; the warehouse holds its sale lines (they replace the
    other batch's, which has the same sale ids)."""
    run_pipeline(lake, batch.source, batch.run_date)
    assert warehouse_totals(read_credentials(lake).dsn) == expected_totals(batch.source)


@pytest.mark.embedded_stack
def test_the_emulator_stopping_during_the_transform_fails_the_run_clearly_and_changes_nothing(
    second_lake: LoadedLake, spark: SparkSession
) -> None:
    lake, faulted = second_lake.settings, second_lake.other()
    before = warehouse_snapshot(lake)
    killed = threading.Event()

    def kill_once_spark_runs() -> None:
        if wait_until(lambda: bool(spark.sparkContext.statusTracker().getActiveJobsIds()), 120):
            kill_emulator(lake)
            killed.set()

    killer = threading.Thread(target=kill_once_spark_runs)
    with pytest.raises(ServiceError) as failed:
        run_pipeline(
            lake, faulted.source, faulted.run_date, on_start_of("run_glue_etl", killer.start)
        )
    killer.join()

    assert killed.is_set()
    assert str(failed.value) == (
        f"step run_glue_etl failed: the S3/Glue endpoint {lake.aws_endpoint_url} does not"
        " answer; check it with `lakehouse status` (`lakehouse up` starts the local stack),"
        " then run again"
    )
    # The emulator comes back with the lake as it was (s3proxy's objects, moto's saved state),
    # the failed run's lease included: it could not be released while the emulator was down.
    bring_up(lake)
    assert warehouse_snapshot(lake) == before
    assert force_release(lake).run_id.startswith(f"{faulted.run_date:%Y%m%d}-")
    second_lake.rerun(faulted)


@pytest.mark.embedded_stack
def test_postgresql_restarting_during_the_fact_load_rolls_back_the_whole_star_load(
    second_lake: LoadedLake,
) -> None:
    lake, faulted = second_lake.settings, second_lake.other()
    before = warehouse_snapshot(lake)
    # The dimensions of the batch are applied in the open transaction when the fact load starts.
    restart = on_start_of("load_sales_fact", lambda: restart_warehouse(lake))

    with pytest.raises(ServiceError) as failed:
        run_pipeline(lake, faulted.source, faulted.run_date, restart)

    assert str(failed.value).startswith(
        "step load_sales_fact failed: lost the warehouse connection"
    )
    assert "the star loads in one transaction, so the warehouse is as it was" in str(failed.value)
    assert warehouse_snapshot(lake) == before
    assert execute(lake, LATEST_RUN) == [("failed", "load_sales_fact")]
    second_lake.rerun(faulted)


@pytest.mark.embedded_stack
def test_a_run_killed_while_spark_writes_the_fact_exposes_no_partial_commit(
    second_lake: LoadedLake, cli_env: dict[str, str], tmp_path: Path
) -> None:
    lake, faulted = second_lake.settings, second_lake.other()
    env = stack_cli_env(cli_env, lake)
    before = warehouse_snapshot(lake)
    committed = open_delta(lake, "sales_fact")
    s3 = make_client(lake, "s3")
    known = set(list_keys(s3, lake.curated_bucket, "sales_fact/"))

    def written_files() -> set[str]:
        keys = set(list_keys(s3, lake.curated_bucket, "sales_fact/")) - known
        return {key for key in keys if "/_delta_log/" not in f"/{key}"}

    run = start_run(env, faulted.source, faulted.run_date, tmp_path / "killed.log")
    writing = wait_until(lambda: bool(written_files()) or run.poll() is not None, 600, 0.05)
    kill_run(run)

    assert writing, (tmp_path / "killed.log").read_text()
    assert run.returncode == -9, (tmp_path / "killed.log").read_text()
    after = open_delta(lake, "sales_fact")
    assert after.version() == committed.version()
    assert {f"s3://{lake.curated_bucket}/{key}" for key in written_files()}.isdisjoint(
        after.file_uris()
    )
    assert warehouse_snapshot(lake) == before

    refused = run_lakehouse(env, faulted.source, faulted.run_date)
    message = " ".join(refused.stderr.split())
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert f"pid {run.pid}) holds the lake" in message
    assert "if it crashed, run `lakehouse unlock`" in message
    unlocked = lakehouse(env, "unlock")
    assert "removed the lease of run" in unlocked.stdout, unlocked.stdout + unlocked.stderr
    second_lake.rerun(faulted)
