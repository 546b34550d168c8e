"""The DuckDB baseline runs in a process of its own, so its memory leaves with that process."""

import os

from lakehouse.bench.run_bench import in_own_process


def test_in_own_process_runs_the_function_in_another_process_and_returns_its_result() -> None:
    pid, total = in_own_process(_pid_and_sum, 2, 3)

    assert pid != os.getpid()
    assert total == 5


def _pid_and_sum(left: int, right: int) -> tuple[int, int]:
    return os.getpid(), left + right
