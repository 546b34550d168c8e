"""Session-wide fixtures: one stack and one Spark session for the whole suite.

By default the suite runs its own embedded stack on ports of its own (14566 for the AWS emulator,
15439 for PostgreSQL) with state under ``.lakehouse/test-<port>``, so a developer's `lakehouse up`
stack and its data are never touched; with ``LAKEHOUSE_STACK=compose`` it runs against the Docker
Compose stack of `make up` (see tests/helpers/backends.py). Each session uses fresh bucket names
and a Great Expectations folder of its own.
"""

import dataclasses
import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from lakehouse.config import Settings, load_settings
from tests.helpers.backends import (
    COMPOSE,
    chosen_stack,
    compose_env,
    compose_stack,
    embedded_env,
    embedded_stack,
)
from tests.helpers.service_roles import create_service_roles
from tests.helpers.xdist_groups import file_of, xdist_groups

#: The stack the integration and end-to-end suites run against (see tests/helpers/backends.py).
STACK = chosen_stack()


@pytest.fixture(scope="session")
def run_tag() -> str:
    """A tag of this test session, in its bucket and secret names."""
    return uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def gx_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Great Expectations' folder of this session (results, Data Docs), removed at its end.

    In the stack's state folder it outlived the session: every checkpoint of a later session
    re-read the results of all the sessions before.
    """
    folder = tmp_path_factory.mktemp("gx")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def test_env(run_tag: str, gx_dir: Path) -> dict[str, str]:
    """Environment variables that point every component at the chosen stack."""
    env = compose_env(run_tag) if STACK == COMPOSE else embedded_env(run_tag)
    return {**env, **SUITE_ENV, "LAKEHOUSE_GX_DIR": str(gx_dir)}


@pytest.fixture(scope="session")
def settings(test_env: dict[str, str]) -> Settings:
    """Settings of the chosen stack."""
    return load_settings(test_env)


@pytest.fixture(scope="session")
def cli_env(test_env: dict[str, str]) -> dict[str, str]:
    """Process environment for running the `lakehouse` CLI against the chosen stack."""
    return {**os.environ, **test_env}


@pytest.fixture(scope="session")
def stack(settings: Settings) -> Iterator[Settings]:
    """The chosen stack, up and provisioned for this session; stopped if this suite started it.

    With the roles that the suite's Glue jobs, crawlers and COPYs name.
    """
    with compose_stack(settings) if STACK == COMPOSE else embedded_stack(settings) as ready:
        create_service_roles(ready)
        yield ready


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's, which reads the group
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Put each test in its file's xdist group; leave out the embedded stack's under Compose.

    The groups (:func:`tests.helpers.xdist_groups.xdist_groups`) matter under ``--dist
    loadgroup`` (`make test`'s workers): every test that needs the Spark session runs on one
    worker, so one JVM starts, while the other worker runs the rest.

    Under ``LAKEHOUSE_STACK=compose``, the tests of the embedded stack itself are left out: they
    start and stop the project's own processes (`lakehouse up`, the Spark cluster), which the
    Compose stack replaces; the default suite runs them.
    """
    groups = xdist_groups(items)
    for item in items:
        item.add_marker(pytest.mark.xdist_group(groups[file_of(item)]))
    if STACK != COMPOSE:
        return
    embedded_only = [item for item in items if item.get_closest_marker("embedded_stack")]
    if embedded_only:
        config.hook.pytest_deselected(items=embedded_only)
        items[:] = [item for item in items if item not in embedded_only]


#: Settings of every component the suite runs, whatever the stack. Its batches are a few rows,
#: which Spark interprets faster than it compiles them (``LAKEHOUSE_SPARK_CODEGEN``); the Spark
#: job's unit tests (tests/unit/spark_app/conftest.py) run generated code, as users' runs do.
#: Its stacks start no warm Spark engine: in-process runs share the suite's session, and a run
#: in a process of its own starts Spark itself (a run without the engine), except on the suite's
#: engine (fixture ``engine``), which compiles with C1 alone: it runs a few small batches, for
#: which C2's compiling costs more CPU than it saves.
SUITE_ENV = {
    "LAKEHOUSE_SPARK_CODEGEN": "off",
    "LAKEHOUSE_SPARK_ENGINE": "false",
    "LAKEHOUSE_SPARK_ENGINE_JIT": "quick",
}


def pytest_configure() -> None:
    """Put :data:`SUITE_ENV` in this process's environment, for every process the suite starts.

    The stacks' services inherit it, and so do the Glue job runs that the emulator starts (the
    job's script reads its settings from its environment): without it they compiled every query
    of their few rows (the two Glue runs of the aws end-to-end test: 34 and 25 s -> 30 and 21 s).
    """
    os.environ.update(SUITE_ENV)


@pytest.fixture(scope="session")
def spark_settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """Settings of the suite's Spark session: C2 as well when the session runs pipelines.

    Over the dozens of pipeline runs of `make test`, C2's compiling pays for itself after a few
    (with interpreted queries, a warm few-row run 28 s -> 17 s on 2 cores); the unit tests alone
    (`make test-fast`) end before it does, so they keep C1.
    """
    runs_pipelines = any(item.get_closest_marker("integration") for item in request.session.items)
    return dataclasses.replace(settings, spark_jit="full") if runs_pipelines else settings


@pytest.fixture(scope="session")
def spark(spark_settings: Settings):
    """One local Spark session (Delta + S3A) shared by the suite; stopped on teardown."""
    from spark_app.session import build_session

    # py4j logs "Closing down clientserver connection" at exit, after pytest closed its streams.
    logging.getLogger("py4j").setLevel(logging.WARNING)
    session = build_session(spark_settings, app_name="lakehouse-tests", shuffle_partitions=1)
    yield session
    session.stop()


@pytest.fixture
def aws_sdk_env(stack: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The stack, with the standard AWS variables pointing boto3's default chain at its emulator.

    For libraries configured by the environment alone, such as the Airflow amazon provider's
    hooks without a connection.
    """
    access_key, secret_key, _ = stack.aws_credentials() or ("", "", None)
    monkeypatch.setenv("AWS_ENDPOINT_URL", stack.aws_endpoint_url or "")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret_key)
    return stack


@pytest.fixture
def lake(stack: Settings) -> Iterator[Settings]:
    """Settings with raw and curated buckets and a Glue database of the test's own.

    Tests that land, crawl or build through it see only their own files: the crawler infers a
    table from the newest partition and keeps a known partition's location, so a shared bucket or
    database would mix one test's batch into another's.
    """
    from tests.helpers.lake import drop_catalog_lake, make_catalog_lake

    lake = make_catalog_lake(stack)
    yield lake
    drop_catalog_lake(lake)


@pytest.fixture
def lake_env(cli_env: dict[str, str], lake: Settings) -> dict[str, str]:
    """Process environment for the `lakehouse` CLI pointed at the test's own lake."""
    from tests.helpers.lake import lake_cli_env

    return lake_cli_env(cli_env, lake)


@pytest.fixture(scope="session")
def engine(stack: Settings) -> Iterator[Settings]:
    """The stack's warm engine on a port of its own, as `lakehouse up` starts it for users.

    Shared by the processes of `lakehouse run` and `airflow dags test` and by the bench's runs;
    the suite's other runs share its in-process session instead. The Compose stack has none:
    there, runs start Spark themselves, as on the docker profile they do.
    """
    from lakehouse.config import Profile
    from lakehouse.stack.endpoints import free_port
    from lakehouse.stack.manager import ENGINE_SERVICES, bring_down, bring_up

    if stack.profile is not Profile.LOCAL:
        yield stack
        return
    settings = dataclasses.replace(
        stack, spark_engine=True, spark_engine_port=free_port(), spark_engine_ui_port=free_port()
    )
    assert bring_up(settings) == ["spark-engine"]
    yield settings
    bring_down(settings, ENGINE_SERVICES)


@pytest.fixture
def engine_env(engine: Settings, lake_env: dict[str, str]) -> dict[str, str]:
    """Process environment for the CLI on the test's lake whose runs use the engine."""
    from tests.helpers.lake import engine_cli_env

    return engine_cli_env(lake_env, engine)


@pytest.fixture
def source_dir(tmp_path: Path) -> Path:
    """An empty folder for a test's source CSV files."""
    folder = tmp_path / "source"
    folder.mkdir()
    return folder
