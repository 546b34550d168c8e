"""The GitHub workflow: valid, its jobs in the seed's stage order, the Compose tests and the image
scan beside them, deploy gated, caches set."""

import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from lakehouse.config import PROJECT_ROOT

WORKFLOW = PROJECT_ROOT / ".github" / "workflows" / "ci.yml"
SETUP_ACTION = PROJECT_ROOT / ".github" / "actions" / "setup" / "action.yml"
#: The seed's "CI/CD Pipeline" drawing, left to right and top to bottom.
SEED_STAGES = [
    "code-quality",
    "data-quality-tests",
    "unit-tests",
    "sql-validation",
    "security-scan",
    "build-package",
    "deploy-dev",
]
#: Jobs beside the seed's chain, on the runner's own Docker.
COMPOSE_TESTS, IMAGE_SCAN = "compose-tests", "image-scan"
#: The one job that needs no Python environment: it builds images and scans them.
DOCKER_ONLY = {IMAGE_SCAN}
COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def _needs(job: dict) -> list[str]:
    needs = job.get("needs", [])
    return [needs] if isinstance(needs, str) else needs


def _built_images() -> dict[str, str]:
    """Image name (without tag) of each service of the Compose file that builds one."""
    services = yaml.safe_load(COMPOSE_FILE.read_text())["services"]
    return {
        name: service["image"].split(":", 1)[0]
        for name, service in services.items()
        if "build" in service
    }


def test_workflow_and_setup_action_match_the_vendored_github_schemas():
    checker = str(Path(sys.executable).with_name("check-jsonschema"))
    for schema, path in (("workflows", WORKFLOW), ("actions", SETUP_ACTION)):
        result = subprocess.run(
            [checker, "--builtin-schema", f"vendor.github-{schema}", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_jobs_follow_the_seed_stages_each_needing_the_one_before(workflow):
    jobs = workflow["jobs"]
    assert [job for job in jobs if job in SEED_STAGES] == SEED_STAGES
    assert set(jobs) - set(SEED_STAGES) == {COMPOSE_TESTS, IMAGE_SCAN}
    assert "needs" not in jobs[SEED_STAGES[0]]
    for before, stage in itertools.pairwise(SEED_STAGES):
        assert before in _needs(jobs[stage]), stage


def test_compose_tests_and_image_scan_gate_the_build(workflow):
    jobs = workflow["jobs"]

    assert (_needs(jobs[COMPOSE_TESTS]), _needs(jobs[IMAGE_SCAN])) == (
        ["code-quality"],
        ["code-quality"],
    )
    assert {COMPOSE_TESTS, IMAGE_SCAN} <= set(_needs(jobs["build-package"]))


def test_compose_tests_run_up_then_the_suites_then_always_down(workflow):
    job = workflow["jobs"][COMPOSE_TESTS]
    steps = [step for step in job["steps"] if "run" in step]

    assert [step["run"] for step in steps] == ["make up", "make test-compose", "make down"]
    assert steps[-1]["if"] == "always()"
    # No job container: the tests reach the ports the stack publishes on the runner's loopback.
    assert "container" not in job
    assert job["runs-on"].startswith("ubuntu-")
    # There the shared setup action needs the Python 3.11 of setup-python.
    uses = [step.get("uses", "") for step in job["steps"]]
    python = next(step for step in job["steps"] if "setup-python" in step.get("uses", ""))
    assert python["with"]["python-version"] == "3.11"
    assert uses.index(python["uses"]) < uses.index("./.github/actions/setup")


def test_image_scan_is_a_matrix_over_every_built_image(workflow):
    job = workflow["jobs"][IMAGE_SCAN]
    entries = job["strategy"]["matrix"]["include"]
    built = _built_images()

    # Each entry's service builds the entry's image, and every built image has an entry.
    assert [built[entry["service"]] for entry in entries] == [entry["image"] for entry in entries]
    assert {entry["image"] for entry in entries} == set(built.values())
    assert "make images SERVICE=${{ matrix.service }}" in _runs(job).splitlines()


def test_image_scan_fails_on_fixable_critical_or_high_findings(workflow):
    job = workflow["jobs"][IMAGE_SCAN]
    steps = job["steps"]
    build = next(i for i, step in enumerate(steps) if "make images" in step.get("run", ""))
    at, scan = next((i, s) for i, s in enumerate(steps) if "trivy-action" in s.get("uses", ""))

    assert re.fullmatch(r"aquasecurity/trivy-action@v\d+\.\d+\.\d+", scan["uses"])
    assert at > build  # scans the image the job built
    assert scan["with"]["image-ref"] == "${{ matrix.image }}:${{ env.LAKEHOUSE_IMAGE_TAG }}"
    assert job["env"]["LAKEHOUSE_IMAGE_TAG"]  # the tag Compose gives the images it builds
    assert (scan["with"]["severity"], scan["with"]["ignore-unfixed"]) == ("CRITICAL,HIGH", True)
    assert str(scan["with"]["exit-code"]) == "1"


def test_stages_run_the_make_targets_of_make_ci(workflow):
    jobs = workflow["jobs"]
    expected = {
        "code-quality": "make lint-python lint-files",
        "data-quality-tests": "make test-integration",
        "unit-tests": "make test",
        "sql-validation": "make lint-sql",
        "security-scan": "make audit",
        "build-package": "make package",
        "deploy-dev": "make deploy-aws",
    }
    for stage, command in expected.items():
        assert command in _runs(jobs[stage]).splitlines(), stage


def test_the_tests_stage_also_runs_the_spark_job_tests_on_glue5_versions(workflow):
    assert "make test-glue5" in _runs(workflow["jobs"]["unit-tests"]).splitlines()


def test_deploy_runs_only_for_pushes_to_main(workflow):
    deploy = workflow["jobs"]["deploy-dev"]
    assert "github.ref == 'refs/heads/main'" in deploy["if"]
    assert "github.event_name == 'push'" in deploy["if"]


def test_deploy_steps_run_only_when_aws_secrets_are_configured(workflow):
    steps = workflow["jobs"]["deploy-dev"]["steps"]
    probe, *rest = steps
    assert probe["id"] == "aws"
    assert probe["env"]["AWS_ACCESS_KEY_ID"] == "${{ secrets.AWS_ACCESS_KEY_ID }}"
    assert probe["env"]["AWS_SECRET_ACCESS_KEY"] == "${{ secrets.AWS_SECRET_ACCESS_KEY }}"
    assert rest
    assert all(step["if"] == "steps.aws.outputs.configured == 'true'" for step in rest)


def test_every_stage_sets_up_through_the_shared_action_after_checkout(workflow):
    for stage, job in workflow["jobs"].items():
        if stage in DOCKER_ONLY:
            continue
        uses = [step.get("uses", "") for step in job["steps"]]
        assert uses.index("./.github/actions/setup") > uses.index("actions/checkout@v4"), stage


def test_setup_action_caches_pip_and_maven_keyed_on_the_lock_files():
    steps = yaml.safe_load(SETUP_ACTION.read_text())["runs"]["steps"]
    caches = {
        step["with"]["key"]: step["with"]["path"]
        for step in steps
        if "cache" in step.get("uses", "")
    }
    pip = next(path for key, path in caches.items() if "hashFiles('uv.lock'" in key)
    maven = next(path for key, path in caches.items() if "hashFiles('pom.xml')" in key)
    assert "~/.cache/pip" in pip
    assert maven == "~/.m2/repository"
    assert steps[-1]["run"] == "make setup"


def test_ci_entry_point_runs_the_readme_test_command():
    lines = (PROJECT_ROOT / ".ci" / "run").read_text().splitlines()
    assert "make test" in lines


def make_dry_run(target: str, *variables: str) -> list[str]:
    """The commands `make` would run for ``target`` (its prerequisites' included)."""
    return subprocess.run(
        ["make", "--dry-run", "--no-print-directory", target, *variables],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()


def pytest_command(target: str, *variables: str) -> list[str]:
    """The pytest command line of a make target."""
    lines = [line for line in make_dry_run(target, *variables) if ".venv/bin/pytest" in line]
    assert len(lines) == 1, lines
    return lines[0].split()


@pytest.mark.parametrize("target", ["test", "test-integration", "test-e2e", "test-compose"])
def test_make_test_targets_print_the_25_slowest_tests(target):
    assert "--durations=25" in pytest_command(target)


@pytest.mark.parametrize("target", ["test", "test-fast", "test-integration", "test-e2e"])
def test_the_suites_on_the_embedded_stack_run_two_workers_that_honour_the_xdist_groups(target):
    command = pytest_command(target)
    assert command[command.index("--numprocesses") + 1] == "2"
    assert command[command.index("--dist") + 1] == "loadgroup"  # the groups of tests/conftest.py
    assert "--numprocesses" not in pytest_command(target, "TEST_WORKERS=1")


def test_the_compose_suite_runs_in_one_process():
    # Its workers would race to start the one Compose stack.
    assert "--numprocesses" not in pytest_command("test-compose")


@pytest.mark.parametrize("target", ["deploy-aws", "destroy-aws"])
def test_deploy_targets_install_the_python_environment_only(target):
    # A deploy runs boto3 and the Data API from .venv: no PostgreSQL, Chromium or Spark jars.
    dry_run = make_dry_run(target)

    assert [line for line in dry_run if "setup.sh" in line] == ["scripts/setup.sh python"]
