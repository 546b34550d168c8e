"""`make test-fast` relies on pytest-xdist's groups: every test of a group runs on one worker.

tests/conftest.py puts the tests that need the Spark session in one group, so one JVM starts. A
pytest that pytest-xdist cannot group with (9.2 with pytest-xdist 3.8) spreads them silently;
this session of a few tests, grouped as tests/conftest.py groups them, fails instead.
"""

import re
import subprocess
import sys
from pathlib import Path

CONFTEST = """
import pytest

@pytest.fixture
def engine():
    return "engine"

@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if "engine" in item.fixturenames:
            item.add_marker(pytest.mark.xdist_group("engine"))
"""
TESTS = """
import pytest

@pytest.mark.parametrize("n", range(8))
def test_with_the_engine(engine, n):
    pass

@pytest.mark.parametrize("n", range(8))
def test_without(n):
    pass
"""


def test_the_tests_of_a_group_run_on_one_worker(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_grouped.py").write_text(TESTS)

    command = [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", str(tmp_path)]
    result = subprocess.run(
        [*command, "--numprocesses", "2", "--dist", "loadgroup"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    workers = re.findall(r"^\[(gw\d)\] .*PASSED .*test_with_the_engine", result.stdout, re.M)
    assert len(workers) == 8, result.stdout
    assert len(set(workers)) == 1, result.stdout
