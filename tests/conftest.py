"""Session-wide fixtures: one embedded stack and one Spark session for the whole suite.

The suite runs its own embedded stack on ports of its own (14566 for the AWS emulator, 15439 for
PostgreSQL) with state under ``.lakehouse/test``, so a developer's `lakehouse up` stack and its data
are never touched. Each test session uses fresh bucket names.
"""

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

    session = build_session(settings, app_name="lakehouse-tests", shuffle_partitions=1)
    yield session
    session.stop()


@pytest.fixture
def source_dir(tmp_path: Path) -> Path:
    """An empty folder for a test's source CSV files."""
    folder = tmp_path / "source"
    folder.mkdir()
    return folder
