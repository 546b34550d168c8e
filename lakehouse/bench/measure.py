"""Peak memory of process trees, read from ``/proc`` by a sampling thread.

Memory is the proportional set size (PSS, shared pages split between the processes that map them,
so PostgreSQL's shared buffers count once); where ``smaps_rollup`` cannot be read (another user's
process when not root) the resident set size stands in.
"""

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_PROC = Path("/proc")
_PAGE = os.sysconf("SC_PAGE_SIZE")
JAVA = "java"


@dataclass(frozen=True)
class Process:
    """One row of the process table."""

    pid: int
    parent: int
    name: str


@dataclass(frozen=True)
class MemoryPeak:
    """Largest memory seen, in bytes, of the bench's Python process, its JVM and the whole stack."""

    python: int = 0
    driver: int = 0
    stack: int = 0

    def merge(self, other: "MemoryPeak") -> "MemoryPeak":
        """The larger of each figure."""
        return MemoryPeak(
            max(self.python, other.python),
            max(self.driver, other.driver),
            max(self.stack, other.stack),
        )


def read_process_table() -> dict[int, Process]:
    """Every process visible in ``/proc``, by PID."""
    table = {}
    for entry in _PROC.iterdir():
        if entry.name.isdigit():
            process = _read_stat(entry / "stat")
            if process is not None:
                table[process.pid] = process
    return table


def _read_stat(path: Path) -> Process | None:
    try:
        text = path.read_text()
    except OSError:
        return None  # ended between listing and reading
    # The name sits in parentheses and may itself hold spaces or parentheses.
    opening, closing = text.index("("), text.rindex(")")
    fields = text[closing + 2 :].split()
    return Process(int(text[:opening]), int(fields[1]), text[opening + 1 : closing])


def find_tree(table: dict[int, Process], roots: Iterable[int]) -> set[int]:
    """PIDs of ``roots`` (those that run) and of all their descendants."""
    children: dict[int, list[int]] = {}
    for process in table.values():
        children.setdefault(process.parent, []).append(process.pid)
    found, pending = set(), [pid for pid in roots if pid in table]
    while pending:
        pid = pending.pop()
        if pid not in found:
            found.add(pid)
            pending.extend(children.get(pid, ()))
    return found


def read_memory(pid: int) -> int:
    """PSS of process ``pid`` in bytes (RSS when PSS is unreadable); 0 when it has ended."""
    try:
        for line in (_PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int((_PROC / str(pid) / "statm").read_text().split()[1]) * _PAGE
    except OSError:
        return 0


def measure_once(
    own_pid: int, stack_pids: Iterable[int], engine_pids: Iterable[int] = ()
) -> MemoryPeak:
    """Memory now of ``own_pid``, of the Spark driver, and of its tree plus the stack's trees.

    The Spark driver is the JVMs under ``own_pid`` and the warm engine's ``engine_pids``.
    """
    table = read_process_table()
    own_tree = find_tree(table, [own_pid])
    engine_tree = find_tree(table, engine_pids)
    memory = {pid: read_memory(pid) for pid in find_tree(table, [own_pid, *stack_pids])}
    drivers = {pid for pid in own_tree if table[pid].name == JAVA} | engine_tree
    driver = sum(memory.get(pid, 0) for pid in drivers)
    return MemoryPeak(memory.get(own_pid, 0), driver, sum(memory.values()))


class PeakSampler:
    """A thread that samples memory every ``interval`` seconds and keeps the peak per label.

    Use as a context manager; :meth:`label` names what runs now (a pipeline step, a baseline).
    """

    def __init__(
        self,
        stack_pids: Iterable[int],
        own_pid: int | None = None,
        interval: float = 0.5,
        engine_pids: Iterable[int] = (),
    ) -> None:
        """Sample the trees of ``own_pid`` (default: this process) and of ``stack_pids``.

        The warm engine's ``engine_pids`` (among ``stack_pids``) count as the Spark driver.
        """
        self._stack_pids, self._own_pid = tuple(stack_pids), own_pid or os.getpid()
        self._engine_pids = tuple(engine_pids)
        self._interval, self._current = interval, "idle"
        self.peaks: dict[str, MemoryPeak] = {}
        self._lock, self._stopped = threading.Lock(), threading.Event()
        self._thread = threading.Thread(target=self._loop, name="bench-memory", daemon=True)

    def label(self, name: str) -> None:
        """Attribute the samples from now on to ``name``."""
        self._current = name
        self._sample()

    def _sample(self) -> None:
        label = self._current
        sample = measure_once(self._own_pid, self._stack_pids, self._engine_pids)
        with self._lock:
            self.peaks[label] = self.peaks.get(label, MemoryPeak()).merge(sample)

    def _loop(self) -> None:
        while not self._stopped.wait(self._interval):
            self._sample()

    def __enter__(self) -> "PeakSampler":
        """Start sampling."""
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        """Take a last sample and stop."""
        self._stopped.set()
        self._thread.join()
        self._sample()
