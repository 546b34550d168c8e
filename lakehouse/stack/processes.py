"""Detached processes and their PID files: start, record, read, check and stop; the stack lock."""

import contextlib
import fcntl
import os
import shlex
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

from lakehouse.stack.endpoints import wait_until

#: Linux's process table (absent on macOS, where :func:`is_alive` asks the kernel alone).
_PROC = Path("/proc")


def write_pid(pid_file: Path, pid: int) -> None:
    """Record ``pid`` in ``pid_file``, creating its folder."""
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.write_text(f"{pid}\n")


def read_pid(pid_file: Path) -> int | None:
    """Return the PID on the first line of ``pid_file``, or ``None`` when there is no valid one."""
    try:
        first = pid_file.read_text().split("\n", 1)[0].strip()
    except FileNotFoundError:
        return None
    return int(first) if first.isdigit() and int(first) > 0 else None


def remove_pid(pid_file: Path) -> None:
    """Delete ``pid_file`` if it exists."""
    pid_file.unlink(missing_ok=True)


def spawn_detached(command: list[str], log: Path) -> int:
    """Start ``command`` in a new session, not as our child, appending its output to ``log``.

    The process outlives the caller, as `pg_ctl` does with the postmaster: a shell starts it in the
    background and exits, so nothing waits for it and no zombie stays behind.

    Returns:
        The PID of the started process.
    """
    script = f"{shlex.join(command)} </dev/null >>{shlex.quote(str(log))} 2>&1 & echo $!"
    result = subprocess.run(
        ["/bin/sh", "-c", script],
        capture_output=True,
        text=True,
        check=True,
        start_new_session=True,
    )
    return int(result.stdout)


def is_alive(pid: int) -> bool:
    """Return whether process ``pid`` runs: it exists and has not exited.

    A process that exited stays in the process table as a zombie until its parent reaps it. A
    stopped service's parent is the machine's first process, which in a container or a micro-VM
    may reap seconds later, or never: a zombie counts as ended.
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, as another user's
    return not _exited(pid)


def _exited(pid: int) -> bool:
    """Whether ``/proc`` shows ``pid`` exited (a zombie, or reaped by now); False without /proc."""
    state = process_state(pid)
    return state == "Z" if state is not None else (_PROC / "self").exists()


def process_state(pid: int) -> str | None:
    """The state letter ``/proc`` gives process ``pid`` (``R``, ``S``, ``Z`` for a zombie...).

    ``None`` when ``/proc`` has no such process, or there is no ``/proc`` (macOS).
    """
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except FileNotFoundError:
        return None
    # The state letter follows the command name, which is in parentheses and may hold any text.
    return stat.rsplit(")", 1)[1].split()[0]


def read_command(pid: int) -> str:
    """Return the command line of process ``pid``, or an empty string when it does not run."""
    result = subprocess.run(
        ["ps", "-ww", "-o", "command=", "-p", str(pid)], capture_output=True, text=True, check=False
    )
    return result.stdout.strip()


def stop_process(pid: int, timeout: float = 10.0) -> None:
    """Stop process ``pid``: SIGTERM, then SIGKILL if it still runs after ``timeout`` seconds."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    if wait_until(lambda: not is_alive(pid), timeout):
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not is_alive(pid), timeout)


@contextlib.contextmanager
def hold_lock(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` so that concurrent callers take turns."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
