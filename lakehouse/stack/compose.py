"""The Docker Compose stack driven through the docker CLI (`make up` starts the same stack).

The test suite runs against it when ``LAKEHOUSE_STACK=compose``: it checks that Docker can run it,
starts it when it is not running (and stops it afterwards only then), and reaches the warehouse on
its published port with the credentials the stack's init service stored in Secrets Manager.
"""

import dataclasses
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from lakehouse.config import Settings
from lakehouse.errors import ServiceError
from lakehouse.resources.warehouse import WarehouseCredentials, read_credentials

#: Seconds `docker compose up --wait` may take: image builds on a first run take minutes.
UP_TIMEOUT = 1800
#: What the Compose stack needs, and the docker command that proves each is there.
REQUIREMENTS = (
    (("compose", "version"), "the Docker Compose v2 plugin"),
    (("info",), "a running Docker engine"),
)


def require_docker() -> str:
    """Return the docker CLI's path once Compose v2 and a running engine answer.

    Raises:
        ServiceError: Naming what is missing and how to run the suite without Docker.
    """
    docker = shutil.which("docker")
    if docker is None:
        raise ServiceError(_missing("the docker CLI"))
    for args, what in REQUIREMENTS:
        if subprocess.run([docker, *args], capture_output=True, check=False).returncode != 0:
            raise ServiceError(_missing(what))
    return docker


def _missing(what: str) -> str:
    return (
        f"LAKEHOUSE_STACK=compose needs {what}; install Docker with Compose v2, or unset"
        " LAKEHOUSE_STACK to run on the embedded stack"
    )


def is_running(docker: str, root: Path) -> bool:
    """Whether any service of the project's Compose stack is running."""
    return bool(_compose(docker, root, ("ps", "--status", "running", "--quiet")).strip())


def compose_up(docker: str, root: Path) -> None:
    """Build and start the stack and wait until every service is healthy (`make up`)."""
    _compose(docker, root, ("up", "--detach", "--build", "--wait"), timeout=UP_TIMEOUT)


def compose_down(docker: str, root: Path) -> None:
    """Stop the stack; its volumes stay (`make down`)."""
    _compose(docker, root, ("down",))


def _compose(docker: str, root: Path, args: Sequence[str], timeout: float = 300) -> str:
    command = [docker, "compose", *args]
    try:
        done = subprocess.run(
            command, cwd=root, capture_output=True, text=True, timeout=timeout, check=True
        )
    except subprocess.CalledProcessError as error:
        tail = "\n".join(error.stderr.strip().splitlines()[-5:])
        raise ServiceError(f"`{' '.join(command[1:])}` failed:\n{tail}") from error
    except subprocess.TimeoutExpired as error:
        raise ServiceError(
            f"`{' '.join(command[1:])}` did not finish in {timeout:.0f} s"
        ) from error
    return done.stdout


def host_credentials(stack: Settings, published_port: int) -> WarehouseCredentials:
    """The stack's warehouse as this host reaches it: its secret, with the published address.

    The init service stores the in-network address (``postgres:5432``) in the secret of ``stack``;
    a process on the host connects to the port Compose publishes on the loopback instead.
    """
    stored = read_credentials(stack)
    return dataclasses.replace(stored, host="127.0.0.1", port=published_port)
