"""The Dockerfiles under docker/: pinned bases, installs from uv.lock and pom.xml, lint clean."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from lakehouse.config import PROJECT_ROOT

DOCKERFILES = sorted((PROJECT_ROOT / "docker").glob("*/Dockerfile"))
FROM = re.compile(r"^FROM\s+(?P<image>\S+)(?:\s+AS\s+\S+)?\s*$", re.MULTILINE | re.IGNORECASE)


def read(name: str) -> str:
    return (PROJECT_ROOT / "docker" / name / "Dockerfile").read_text()


def test_there_is_an_image_for_spark_and_one_for_airflow():
    assert [path.parent.name for path in DOCKERFILES] == ["airflow", "spark"]


@pytest.mark.parametrize("name", ["airflow", "spark"])
def test_every_base_image_is_pinned_by_version(name):
    images = [match.group("image") for match in FROM.finditer(read(name))]

    assert images
    assert [image for image in images if not re.search(r":\d+(\.\d+)+", image)] == []


@pytest.mark.parametrize("name", ["airflow", "spark"])
def test_the_image_installs_from_the_lock_file_and_the_pom(name):
    text = read(name)

    assert ("COPY pom.xml" in text, "dependency:copy-dependencies" in text) == (True, True)
    assert ("uv.lock" in text, "--frozen" in text) == (True, True)


@pytest.mark.parametrize("name", ["airflow", "spark"])
def test_no_path_names_an_architecture(name):
    instructions = [line for line in read(name).splitlines() if not line.startswith("#")]

    assert not re.search(r"amd64|x86_64|aarch64|arm64", "\n".join(instructions))


def test_the_airflow_base_image_is_the_locked_airflow_version():
    locked = re.search(
        r'name = "apache-airflow"\nversion = "([^"]+)"', (PROJECT_ROOT / "uv.lock").read_text()
    ).group(1)

    assert f"FROM apache/airflow:{locked}-python3.11" in read("airflow")


def test_hadolint_reports_nothing():
    hadolint = Path(sys.executable).parent / "hadolint"
    result = subprocess.run(
        [str(hadolint), *map(str, DOCKERFILES)], capture_output=True, text=True, check=False
    )

    assert (result.returncode, result.stdout) == (0, "")
