"""Session-wide fixtures: one embedded stack and one Spark session for the whole suite.

The suite runs its own embedded stack on ports of its own (14566 for the AWS emulator, 15439 for
PostgreSQL) with state under ``.lakehouse/test``, so a developer's `lakehouse up` stack and its data
are never touched. Each test session uses fresh bucket names.
"""

import dataclasses
import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from lakehouse.config import PROJECT_ROOT, Settings, load_settings

#: Ports of the test stack; override them to run two suites side by side.
TEST_EMULATOR_PORT = int(os.environ.get("LAKEHOUSE_TEST_EMULATOR_PORT", "14566"))
TEST_WAREHOUSE_PORT = int(os.environ.get("LAKEHOUSE_TEST_WAREHOUSE_PORT", "15439"))


@pytest.fixture(scope="session")
def test_env() -> dict[str, str]:
    """Environment variables that point every component at the test stack."""
    run = uuid.uuid4().hex[:8]
    return {
        "LAKEHOUSE_PROFILE": "local",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{TEST_EMULATOR_PORT}",
        "AWS_REGION": "us-east-1",
        "LAKEHOUSE_WAREHOUSE_PORT": str(TEST_WAREHOUSE_PORT),
        "LAKEHOUSE_STATE_DIR": str(PROJECT_ROOT / ".lakehouse" / f"test-{TEST_WAREHOUSE_PORT}"),
        "LAKEHOUSE_RAW_BUCKET": f"test-{run}-raw",
        "LAKEHOUSE_CURATED_BUCKET": f"test-{run}-curated",
        "LAKEHOUSE_SPARK_MASTER": "local[2]",
    }


@pytest.fixture(scope="session")
def settings(test_env: dict[str, str]) -> Settings:
    """Settings of the test stack."""
    return load_settings(test_env)


@pytest.fixture(scope="session")
def cli_env(test_env: dict[str, str]) -> dict[str, str]:
    """Process environment for running the `lakehouse` CLI against the test stack."""
    return {**os.environ, **test_env}


@pytest.fixture(scope="session")
def stack(settings: Settings) -> Iterator[Settings]:
    """The embedded stack, started once; stopped at the end if this suite started it."""
    from lakehouse.stack.manager import bring_down, bring_up

    started = bring_up(settings)
    yield settings
    if started:
        bring_down(settings)


@pytest.fixture(scope="session")
def spark(settings: Settings):
    """One local Spark session (Delta + S3A) shared by the suite; stopped on teardown."""
    from spark_app.session import build_session

    # py4j logs "Closing down clientserver connection" at exit, after pytest closed its streams.
    logging.getLogger("py4j").setLevel(logging.WARNING)
    session = build_session(settings, app_name="lakehouse-tests", shuffle_partitions=1)
    yield session
    session.stop()


@pytest.fixture
def lake(stack: Settings) -> Iterator[Settings]:
    """Settings with raw and curated buckets and a Glue database of the test's own.

    Tests that land, crawl or build through it see only their own files: the crawler infers a
    table from the newest partition and keeps a known partition's location, so a shared bucket or
    database would mix one test's batch into another's.
    """
    from lakehouse.resources.aws import make_client
    from lakehouse.stack.provision import create_glue_database
    from tests.helpers.lake import drop_lake, make_lake

    lake = make_lake(stack, threshold=stack.quarantine_threshold)
    lake = dataclasses.replace(lake, glue_database=f"sales_{lake.raw_bucket.rsplit('-', 1)[-1]}")
    glue = make_client(lake, "glue")
    create_glue_database(glue, lake.glue_database)
    yield lake
    drop_lake(lake)
    for table in glue.get_tables(DatabaseName=lake.glue_database)["TableList"]:
        glue.delete_table(DatabaseName=lake.glue_database, Name=table["Name"])
    glue.delete_database(Name=lake.glue_database)


@pytest.fixture
def lake_env(cli_env: dict[str, str], lake: Settings) -> dict[str, str]:
    """Process environment for the `lakehouse` CLI pointed at the test's own lake."""
    return {
        **cli_env,
        "LAKEHOUSE_RAW_BUCKET": lake.raw_bucket,
        "LAKEHOUSE_CURATED_BUCKET": lake.curated_bucket,
        "LAKEHOUSE_GLUE_DATABASE": lake.glue_database,
    }


@pytest.fixture
def source_dir(tmp_path: Path) -> Path:
    """An empty folder for a test's source CSV files."""
    folder = tmp_path / "source"
    folder.mkdir()
    return folder
