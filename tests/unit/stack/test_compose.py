"""The Compose backend of the suite: what it asks of Docker and how it says what is missing.

A stand-in ``docker`` script on the PATH plays the CLI (no Docker engine runs here); it records
its arguments and answers as told by environment variables.
"""

from pathlib import Path

import pytest

from lakehouse.errors import ServiceError
from lakehouse.stack import compose

FAKE_DOCKER = """#!/bin/sh
echo "$*" >> "$DOCKER_CALLS"
case "$*" in
  "compose version") exit "${COMPOSE_RC:-0}" ;;
  info) exit "${INFO_RC:-0}" ;;
  "compose ps --status running --quiet") printf '%s' "$RUNNING" ;;
  "compose up"*) echo "service spark-master is unhealthy" >&2; exit "${UP_RC:-0}" ;;
esac
"""


@pytest.fixture
def docker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in docker CLI first on the PATH; returns the file its calls are recorded in."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "docker"
    script.write_text(FAKE_DOCKER)
    script.chmod(0o755)
    calls = tmp_path / "calls"
    calls.touch()
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("DOCKER_CALLS", str(calls))
    return calls


def test_without_the_docker_cli_the_message_says_how_to_run_without_docker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(ServiceError, match=r"needs the docker CLI.*unset LAKEHOUSE_STACK"):
        compose.require_docker()


@pytest.mark.parametrize(
    ("variable", "missing"),
    [("COMPOSE_RC", "the Docker Compose v2 plugin"), ("INFO_RC", "a running Docker engine")],
)
def test_a_missing_compose_plugin_or_engine_is_named(
    docker: Path, monkeypatch: pytest.MonkeyPatch, variable: str, missing: str
) -> None:
    monkeypatch.setenv(variable, "1")

    with pytest.raises(ServiceError, match=f"LAKEHOUSE_STACK=compose needs {missing}"):
        compose.require_docker()


def test_docker_with_compose_and_an_engine_is_accepted(docker: Path) -> None:
    assert Path(compose.require_docker()).name == "docker"
    assert docker.read_text().splitlines() == ["compose version", "info"]


@pytest.mark.parametrize(("running", "expected"), [("", False), ("3f2a1b\n", True)])
def test_is_running_reads_the_running_services(
    docker: Path, monkeypatch: pytest.MonkeyPatch, running: str, expected: bool
) -> None:
    monkeypatch.setenv("RUNNING", running)

    assert compose.is_running("docker", Path.cwd()) is expected


def test_up_builds_and_waits_for_health_and_a_failure_shows_compose_s_words(
    docker: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compose.compose_up("docker", Path.cwd())
    monkeypatch.setenv("UP_RC", "1")

    with pytest.raises(ServiceError, match="compose up --detach --build --wait` failed") as error:
        compose.compose_up("docker", Path.cwd())

    assert "spark-master is unhealthy" in str(error.value)
    assert docker.read_text().splitlines()[0] == "compose up --detach --build --wait"
