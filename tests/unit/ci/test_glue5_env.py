"""The Glue 5 test environment (glue5/) matches AWS Glue 5.0, whose versions glue5/pyproject.toml
states once: its pom and lock file must agree with them."""

import tomllib
from xml.etree import ElementTree

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from lakehouse.config import PROJECT_ROOT

GLUE5 = PROJECT_ROOT / "glue5"
POM = {"m": "http://maven.apache.org/POM/4.0.0"}


@pytest.fixture(scope="module")
def glue5() -> dict:
    return tomllib.loads((GLUE5 / "pyproject.toml").read_text())


@pytest.fixture(scope="module")
def pins(glue5: dict) -> dict[str, str]:
    """Version of each exactly pinned dependency, by name."""
    requirements = [Requirement(text) for text in glue5["project"]["dependencies"]]
    return {
        requirement.name: spec.version
        for requirement in requirements
        for spec in requirement.specifier
        if spec.operator == "=="
    }


@pytest.fixture(scope="module")
def pom() -> ElementTree.Element:
    return ElementTree.parse(GLUE5 / "pom.xml").getroot()


def test_spark_and_delta_are_pinned_exactly(pins: dict[str, str]) -> None:
    assert {"pyspark", "delta-spark"} <= pins.keys()


def test_lock_file_resolves_the_pinned_versions(pins: dict[str, str]) -> None:
    lock = tomllib.loads((GLUE5 / "uv.lock").read_text())
    locked = {package["name"]: package["version"] for package in lock["package"]}

    assert {name: locked.get(name) for name in pins} == pins


def test_pom_fetches_the_delta_jars_of_the_pinned_delta_spark_for_glue_scala(
    glue5: dict, pins: dict[str, str], pom: ElementTree.Element
) -> None:
    properties = {
        name: pom.findtext(f"m:properties/m:{name}", namespaces=POM)
        for name in ("delta.version", "scala.binary.version")
    }
    artifacts = {
        (
            dependency.findtext("m:artifactId", namespaces=POM),
            dependency.findtext("m:version", namespaces=POM),
        )
        for dependency in pom.iterfind("m:dependencies/m:dependency", namespaces=POM)
    }

    assert properties == {
        "delta.version": pins["delta-spark"],
        "scala.binary.version": glue5["tool"]["glue5"]["scala-binary-version"],
    }
    assert artifacts == {
        ("delta-spark_${scala.binary.version}", "${delta.version}"),
        ("delta-storage", "${delta.version}"),
    }


def test_the_project_supports_the_glue5_python(glue5: dict) -> None:
    python = glue5["project"]["requires-python"].removeprefix("==").replace("*", "0")
    root = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())

    assert SpecifierSet(root["project"]["requires-python"]).contains(python)
