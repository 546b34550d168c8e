"""A stack of its own (state folder and ports apart from the session's) brought up and down.

As users' `lakehouse up` does, it starts the warm Spark engine too (the suite's stacks do not).
"""

import shutil
import socket
import tempfile
from pathlib import Path

import pytest

from lakehouse.config import load_settings
from lakehouse.errors import ServiceError
from lakehouse.stack.endpoints import free_port, is_port_open
from lakehouse.stack.manager import bring_down, bring_up, read_status
from lakehouse.stack.paths import StackPaths

pytestmark = [pytest.mark.integration, pytest.mark.embedded_stack]

# Below Linux's ephemeral range (32768-60999), so no outgoing connection can hold them.
OWN_EMULATOR_PORT = 24566
OWN_WAREHOUSE_PORT = 25439
OWN_ENGINE_PORT, OWN_ENGINE_UI_PORT = 25002, 25003
OWN_PORTS = (OWN_EMULATOR_PORT, OWN_WAREHOUSE_PORT, OWN_ENGINE_PORT, OWN_ENGINE_UI_PORT)


@pytest.fixture
def own_settings():
    """Settings of a throwaway stack in a folder the postgres OS user can reach."""
    state_dir = Path(tempfile.mkdtemp(prefix="lakehouse-stack-"))
    state_dir.chmod(0o755)
    settings = load_settings(
        {
            "LAKEHOUSE_PROFILE": "local",
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{OWN_EMULATOR_PORT}",
            "LAKEHOUSE_WAREHOUSE_PORT": str(OWN_WAREHOUSE_PORT),
            "LAKEHOUSE_SPARK_ENGINE_PORT": str(OWN_ENGINE_PORT),
            "LAKEHOUSE_SPARK_ENGINE_UI_PORT": str(OWN_ENGINE_UI_PORT),
            "LAKEHOUSE_STATE_DIR": str(state_dir),
        }
    )
    yield settings
    bring_down(settings)
    shutil.rmtree(state_dir)


def test_bring_up_then_bring_down_starts_and_stops_exactly_the_stack_it_owns(own_settings):
    started = bring_up(own_settings)
    running = [
        (status.name, status.running, status.healthy) for status in read_status(own_settings)
    ]
    engine_ui = is_port_open("127.0.0.1", OWN_ENGINE_UI_PORT)

    stopped = bring_down(own_settings)

    assert (
        started,
        running,
        stopped,
        list(StackPaths.of(own_settings).pids.iterdir()),
        engine_ui,
        [is_port_open("127.0.0.1", port) for port in OWN_PORTS],
        bring_down(own_settings),
    ) == (
        ["s3proxy", "emulator", "postgres", "spark-engine"],
        [
            ("s3proxy", True, True),
            ("emulator", True, True),
            ("postgres", True, True),
            ("spark-engine", True, True),
        ],
        ["spark-engine", "postgres", "emulator", "s3proxy"],
        [],
        True,
        [False] * len(OWN_PORTS),
        [],
    )


def test_bring_up_refuses_an_emulator_port_held_by_another_process(tmp_path):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        settings = load_settings(
            {
                "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
                "LAKEHOUSE_S3PROXY_PORT": str(free_port()),
                "LAKEHOUSE_STATE_DIR": str(tmp_path),
            }
        )

        with pytest.raises(ServiceError, match=f"port 127.0.0.1:{port} for emulator is taken"):
            bring_up(settings)

    assert not StackPaths.of(settings).pids.exists()  # nothing was started
