"""How the suite chooses its stack (``LAKEHOUSE_STACK``) and points every component at it."""

import pytest

from lakehouse.config import Profile, load_settings
from tests.helpers.backends import chosen_stack, compose_env, embedded_env


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
    assert request.node.get_closest_marker("xdist_group").args == ("spark",)


def test_a_test_without_spark_is_in_no_group(request) -> None:
    assert request.node.get_closest_marker("xdist_group") is None
