"""The suite's pytest-xdist groups: under ``--dist loadgroup`` each group runs on one worker."""

from collections.abc import Iterable
from typing import Protocol

#: The group of the test files that use the suite's Spark session (fixture ``spark``).
SPARK_GROUP = "spark"
#: The group of the test files that run the pipeline on the stack's warm engine (tests/e2e).
ENGINE_GROUP = "engine"


class Collected(Protocol):
    """What grouping reads of a collected test (a ``pytest.Item``)."""

    nodeid: str
    fixturenames: list[str]


def xdist_groups(items: Iterable[Collected]) -> dict[str, str]:
    """Each test file's group, by the file's path as in node ids (``tests/e2e/test_x.py``).

    The files that use the Spark session are one group, so the suite starts one Spark JVM (on
    2 cores, splitting them between two workers, a JVM each, took 892 s against 865 s); the
    files that use the warm engine are another; any other file is a group of its own. A file
    stays on one worker, so its module fixtures run once.
    """
    uses: dict[str, set[str]] = {}
    for item in items:
        uses.setdefault(file_of(item), set()).update(getattr(item, "fixturenames", ()))
    return {path: _group(path, fixtures) for path, fixtures in uses.items()}


def file_of(item: Collected) -> str:
    """The test file of ``item``, as its node id names it."""
    return item.nodeid.split("::", 1)[0]


def _group(path: str, fixtures: set[str]) -> str:
    return next((group for group in (SPARK_GROUP, ENGINE_GROUP) if group in fixtures), path)
