"""The two stacks the suite can run against, chosen by ``LAKEHOUSE_STACK``.

- ``embedded`` (default): the project's own emulator and PostgreSQL, on ports of the suite's own
  (14566 and 15439, overridable) so a developer's `lakehouse up` stack is never touched; under
  pytest-xdist (`make test` on 4 cores or more) each worker has a stack of its own, 10 ports on;
- ``compose``: the Docker Compose stack of `make up`, on the ports it publishes (``.env``).

Either way each test session uses fresh bucket names, and the pipeline runs in the test process
(Spark ``local[2]``) against the stack's endpoints. The stacks' modules are imported where they
are used, so the Glue 5 environment (`make test-glue5`: Spark and pytest only) loads this one.
"""

import dataclasses
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from lakehouse.config import PROJECT_ROOT, Settings

EMBEDDED, COMPOSE = "embedded", "compose"
#: Passed through from the caller: `make test-glue5` points the Spark session at the Glue 5 jars.
PASSED_THROUGH = ("LAKEHOUSE_JARS_DIR",)
#: Ports between the stacks of two pytest-xdist workers (emulator, s3proxy, PostgreSQL).
WORKER_PORTS = 10


def chosen_stack(env: Mapping[str, str] = os.environ) -> str:
    """``embedded`` or ``compose``, from ``LAKEHOUSE_STACK``.

    Raises:
        ValueError: For any other value.
    """
    stack = env.get("LAKEHOUSE_STACK", EMBEDDED) or EMBEDDED
    if stack not in (EMBEDDED, COMPOSE):
        raise ValueError(f"LAKEHOUSE_STACK={stack!r} is not one of: {EMBEDDED}, {COMPOSE}")
    return stack


def embedded_env(run: str, env: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Environment that points every component at the suite's embedded stack.

    Each pytest-xdist worker runs a stack of its own, :data:`WORKER_PORTS` ports further on.
    """
    offset = WORKER_PORTS * worker_number(env)
    emulator_port = int(env.get("LAKEHOUSE_TEST_EMULATOR_PORT", "14566")) + offset
    warehouse_port = int(env.get("LAKEHOUSE_TEST_WAREHOUSE_PORT", "15439")) + offset
    return {
        **_session_names(run, env),
        "LAKEHOUSE_PROFILE": "local",
        # role sessions (the aws profile's end-to-end test) call only what their roles allow
        "LAKEHOUSE_ENFORCE_IAM": "true",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{emulator_port}",
        "LAKEHOUSE_WAREHOUSE_PORT": str(warehouse_port),
        "LAKEHOUSE_STATE_DIR": str(PROJECT_ROOT / ".lakehouse" / f"test-{warehouse_port}"),
    }


def worker_number(env: Mapping[str, str] = os.environ) -> int:
    """This pytest-xdist worker's number (``gw1`` -> 1); 0 when the suite runs in one process."""
    return int(env.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def compose_env(run: str, env: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Environment that points every component at the Compose stack's published ports.

    The warehouse secret is the session's own: it holds the address the host reaches
    (see :func:`lakehouse.stack.compose.host_credentials`).
    """
    return {
        **_session_names(run, env),
        "LAKEHOUSE_PROFILE": "docker",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{env.get('LAKEHOUSE_EMULATOR_PORT', '4566')}",
        "LAKEHOUSE_WAREHOUSE_PORT": env.get("LAKEHOUSE_WAREHOUSE_PORT", "5439"),
        "LAKEHOUSE_WAREHOUSE_SECRET": f"test-{run}/warehouse",
        "LAKEHOUSE_STATE_DIR": str(PROJECT_ROOT / ".lakehouse" / "test-compose"),
    }


def _session_names(run: str, env: Mapping[str, str]) -> dict[str, str]:
    passed = {name: env[name] for name in PASSED_THROUGH if name in env}
    return {
        **passed,
        "AWS_REGION": "us-east-1",
        "LAKEHOUSE_RAW_BUCKET": f"test-{run}-raw",
        "LAKEHOUSE_CURATED_BUCKET": f"test-{run}-curated",
        "LAKEHOUSE_SPARK_MASTER": "local[2]",
    }


@contextmanager
def embedded_stack(settings: Settings) -> Iterator[Settings]:
    """The embedded stack, started if needed; stopped at the end if this call started it."""
    from lakehouse.stack.manager import bring_down, bring_up

    started = bring_up(settings)
    yield settings
    if started:
        bring_down(settings)


@contextmanager
def compose_stack(settings: Settings) -> Iterator[Settings]:
    """The Compose stack (`make up`), with this session's buckets, Glue database and secret.

    The session's secret holds the warehouse as the host reaches it, read from the secret the
    stack's init service stored (``LAKEHOUSE_WAREHOUSE_SECRET`` of ``.env``).
    """
    from lakehouse.resources.aws import make_client
    from lakehouse.stack import compose
    from lakehouse.stack.provision import create_bucket, create_glue_database, store_secret

    docker = compose.require_docker()
    started = not compose.is_running(docker, PROJECT_ROOT)
    if started:
        compose.compose_up(docker, PROJECT_ROOT)
    stack_secret = os.environ.get("LAKEHOUSE_WAREHOUSE_SECRET", "lakehouse/warehouse")
    in_network = dataclasses.replace(settings, warehouse_secret_id=stack_secret)
    credentials = compose.host_credentials(in_network, settings.warehouse_port)
    store_secret(make_client(settings, "secretsmanager"), settings.warehouse_secret_id, credentials)
    s3 = make_client(settings, "s3")
    for bucket in (settings.raw_bucket, settings.curated_bucket):
        create_bucket(s3, bucket, settings.region)
    create_glue_database(make_client(settings, "glue"), settings.glue_database)
    yield settings
    if started:
        compose.compose_down(docker, PROJECT_ROOT)
