"""How the suite chooses its stack (``LAKEHOUSE_STACK``) and points every component at it."""

from types import SimpleNamespace

import pytest

from lakehouse.config import Profile, load_settings
from tests.helpers.backends import chosen_stack, compose_env, embedded_env
from tests.helpers.xdist_groups import ENGINE_GROUP, SPARK_GROUP, xdist_groups


@pytest.mark.parametrize(
    ("value", "stack"), [(None, "embedded"), ("", "embedded"), ("compose", "compose")]
)
def test_the_embedded_stack_is_the_default(value: str | None, stack: str) -> None:
    env = {} if value is None else {"LAKEHOUSE_STACK": value}

    assert chosen_stack(env) == stack


def test_an_unknown_stack_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="'kind' is not one of: embedded, compose"):
        chosen_stack({"LAKEHOUSE_STACK": "kind"})


def test_the_embedded_suite_uses_ports_of_its_own() -> None:
    settings = load_settings(embedded_env("r1", {"LAKEHOUSE_TEST_WAREHOUSE_PORT": "25439"}))

    assert (settings.profile, settings.aws_endpoint_url) == (
        Profile.LOCAL,
        "http://127.0.0.1:14566",
    )
    assert settings.warehouse_port == 25439
    assert settings.state_dir.name == "test-25439"


def test_each_xdist_worker_has_a_stack_of_its_own_ten_ports_on() -> None:
    first, second = (
        load_settings(embedded_env("r1", {"PYTEST_XDIST_WORKER": worker}))
        for worker in ("gw0", "gw1")
    )

    assert (first.aws_endpoint_url, first.s3proxy_port, first.warehouse_port) == (
        "http://127.0.0.1:14566",
        14567,
        15439,
    )
    assert (second.aws_endpoint_url, second.s3proxy_port, second.warehouse_port) == (
        "http://127.0.0.1:14576",
        14577,
        15449,
    )
    assert second.state_dir.name == "test-15449"


def test_the_compose_suite_uses_the_published_ports_and_a_secret_of_its_own() -> None:
    env = compose_env("r1", {"LAKEHOUSE_EMULATOR_PORT": "4600", "LAKEHOUSE_JARS_DIR": "/jars"})
    settings = load_settings(env)

    assert (settings.profile, settings.aws_endpoint_url) == (
        Profile.DOCKER,
        "http://127.0.0.1:4600",
    )
    assert settings.warehouse_port == 5439
    assert settings.warehouse_secret_id == "test-r1/warehouse"
    assert (settings.raw_bucket, settings.curated_bucket) == ("test-r1-raw", "test-r1-curated")
    assert (settings.spark_master, str(settings.jars_dir)) == ("local[2]", "/jars")


def test_a_test_that_needs_the_spark_session_is_in_the_spark_group(spark, request) -> None:
    assert request.node.get_closest_marker("xdist_group").args == (SPARK_GROUP,)


def test_every_test_of_a_file_that_uses_the_session_or_the_engine_shares_that_group() -> None:
    collected = [
        SimpleNamespace(nodeid="tests/e2e/test_a.py::test_1", fixturenames=["stack"]),
        SimpleNamespace(nodeid="tests/e2e/test_a.py::test_2", fixturenames=["stack", "spark"]),
        SimpleNamespace(nodeid="tests/e2e/test_b.py::test_1", fixturenames=["spark"]),
        SimpleNamespace(nodeid="tests/e2e/test_c.py::test_1", fixturenames=["engine"]),
        SimpleNamespace(nodeid="tests/integration/x/test_d.py::test_1", fixturenames=["spark"]),
        SimpleNamespace(nodeid="tests/unit/test_e.py::test_1[1]", fixturenames=["stack"]),
        SimpleNamespace(nodeid="tests/unit/test_e.py::test_2", fixturenames=[]),
    ]

    assert xdist_groups(collected) == {
        "tests/e2e/test_a.py": SPARK_GROUP,
        "tests/e2e/test_b.py": SPARK_GROUP,
        "tests/e2e/test_c.py": ENGINE_GROUP,
        "tests/integration/x/test_d.py": SPARK_GROUP,
        "tests/unit/test_e.py": "tests/unit/test_e.py",
    }
