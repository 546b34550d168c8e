"""A service of the embedded stack run as a detached process, found again by its PID file."""

from pathlib import Path

from lakehouse.config import Settings
from lakehouse.stack.paths import StackPaths
from lakehouse.stack.processes import (
    is_alive,
    read_command,
    read_pid,
    spawn_detached,
    stop_process,
)


class DetachedService:
    """A process that `lakehouse up` starts and `lakehouse down` stops; subclasses say which.

    Attributes:
        name: The service's name (its PID file's and log's).
        marker: Text of its command line, which tells it from another process with the same PID.
        stop_timeout: Seconds between SIGTERM and SIGKILL when it is stopped.
    """

    name: str
    marker: str
    stop_timeout = 10.0

    def command(self, settings: Settings) -> list[str]:
        """The command line that starts the service."""
        raise NotImplementedError

    def find_pid(self, settings: Settings) -> int | None:
        """Return the PID of the process `lakehouse up` started, if it still runs."""
        pid = read_pid(StackPaths.of(settings).pid_file(self.name))
        if pid is None or not is_alive(pid) or self.marker not in read_command(pid):
            return None
        return pid

    def start(self, settings: Settings) -> int:
        """Start the service detached, logging to the stack's log folder; return its PID."""
        return spawn_detached(self.command(settings), self.log_file(settings))

    def stop(self, settings: Settings, pid: int) -> None:
        """Stop process ``pid``: SIGTERM, then SIGKILL after :attr:`stop_timeout` seconds."""
        stop_process(pid, self.stop_timeout)

    def log_file(self, settings: Settings) -> Path:
        """Return the service's log file."""
        return StackPaths.of(settings).log_file(self.name)
