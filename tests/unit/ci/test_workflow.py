"""The GitHub workflow: valid, its jobs in the seed's stage order, deploy gated, caches set."""

import itertools
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


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


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
    assert list(jobs) == SEED_STAGES
    assert "needs" not in jobs[SEED_STAGES[0]]
    for before, stage in itertools.pairwise(SEED_STAGES):
        assert jobs[stage]["needs"] == before, stage


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
