"""The AWS emulator: a moto server serving S3, Glue, Secrets Manager, STS and CloudWatch."""

import sys
import urllib.error
import urllib.request
from pathlib import Path

from lakehouse.config import Settings
from lakehouse.errors import ConfigError
from lakehouse.stack.endpoints import parse_endpoint
from lakehouse.stack.paths import StackPaths
from lakehouse.stack.processes import (
    is_alive,
    read_command,
    read_pid,
    spawn_detached,
    stop_process,
)

_MODULE = "moto.server"
#: Talks to the emulator directly, even when the shell sets an HTTP proxy.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class MotoService:
    """The moto server at ``settings.aws_endpoint_url``, started as a detached subprocess."""

    name = "moto"
    port_variable = "AWS_ENDPOINT_URL"
    start_timeout = 30.0

    def endpoint(self, settings: Settings) -> tuple[str, int]:
        """Return the host and port the emulator listens on.

        Raises:
            ConfigError: When the profile has no emulator endpoint.
        """
        if settings.aws_endpoint_url is None:
            raise ConfigError(
                f"the {settings.profile} profile has no AWS emulator endpoint;"
                " the embedded stack runs on the local profile (LAKEHOUSE_PROFILE=local)"
            )
        return parse_endpoint(settings.aws_endpoint_url)

    def find_pid(self, settings: Settings) -> int | None:
        """Return the PID of the moto server `lakehouse up` started, if it still runs."""
        pid = read_pid(StackPaths.of(settings).pid_file(self.name))
        if pid is None or not is_alive(pid) or _MODULE not in read_command(pid):
            return None
        return pid

    def start(self, settings: Settings) -> int:
        """Start the moto server detached, logging to the stack's log folder; return its PID."""
        host, port = self.endpoint(settings)
        command = [sys.executable, "-m", _MODULE, "-H", host, "-p", str(port)]
        return spawn_detached(command, self.log_file(settings))

    def stop(self, settings: Settings, pid: int) -> None:
        """Stop the moto server ``pid`` (its in-memory state goes with it)."""
        stop_process(pid)

    def is_healthy(self, settings: Settings) -> bool:
        """Return whether the emulator answers its ``/moto-api/`` page."""
        url = f"{settings.aws_endpoint_url}/moto-api/"
        try:
            with _DIRECT.open(url, timeout=2) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def log_file(self, settings: Settings) -> Path:
        """Return the log file of the moto server."""
        return StackPaths.of(settings).log_file(self.name)
