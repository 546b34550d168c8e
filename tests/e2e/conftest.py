"""The stack's warm Spark engine, for the end-to-end tests that run the pipeline as users do."""

import dataclasses
from collections.abc import Iterator

import pytest

from lakehouse.config import Profile, Settings
from lakehouse.stack.endpoints import free_port
from lakehouse.stack.manager import ENGINE_SERVICES, bring_down, bring_up


@pytest.fixture(scope="session")
def engine(stack: Settings) -> Iterator[Settings]:
    """The stack's warm engine on a port of its own, as `lakehouse up` starts it for users.

    Shared by the processes of `lakehouse run` and `airflow dags test`; the suite's other runs
    share its in-process session instead. The Compose stack has none: there, runs start Spark
    themselves, as on the docker profile they do.
    """
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
    return {
        **lake_env,
        "LAKEHOUSE_SPARK_ENGINE": "true",
        "LAKEHOUSE_SPARK_ENGINE_PORT": str(engine.spark_engine_port),
        "LAKEHOUSE_SPARK_ENGINE_UI_PORT": str(engine.spark_engine_ui_port),
    }
