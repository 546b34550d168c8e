"""The Glue job and crawler definitions the deploy sends."""

from importlib.metadata import version

import pytest

from lakehouse.config import load_settings
from lakehouse.deploy.artifacts import GlueArtifacts
from lakehouse.deploy.glue_resources import (
    crawler_definition,
    glue_conf_argument,
    holds,
    job_definition,
)
from lakehouse.deploy.plan import DeployOptions

SETTINGS = load_settings(
    {
        "LAKEHOUSE_PROFILE": "aws",
        "AWS_REGION": "eu-west-1",
        "LAKEHOUSE_RAW_BUCKET": "acme-raw",
        "LAKEHOUSE_CURATED_BUCKET": "acme-curated",
    }
)
ARTIFACTS = GlueArtifacts("s3://acme-art/release/glue/glue_entry.py", "s3://acme-art/lib.zip")


def test_glue_gets_the_sql_settings_of_the_local_session():
    assert glue_conf_argument() == (
        "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension"
        " --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog"
        " --conf spark.sql.ansi.enabled=false --conf spark.sql.session.timeZone=UTC"
    )


def test_the_job_runs_the_entry_script_with_the_library_and_the_lakes_arguments():
    job = job_definition(DeployOptions(prefix="acme"), SETTINGS, "arn:role", ARTIFACTS, "acme-art")
    assert (job["Name"], job["GlueVersion"], job["Role"]) == ("acme-glue-etl", "5.0", "arn:role")
    assert job["Command"]["ScriptLocation"] == ARTIFACTS.entry_script
    arguments = job["DefaultArguments"]
    assert arguments["--extra-py-files"] == ARTIFACTS.library
    assert {key: arguments[key] for key in ("--raw-bucket", "--curated-bucket", "--region")} == {
        "--raw-bucket": "acme-raw",
        "--curated-bucket": "acme-curated",
        "--region": "eu-west-1",
    }
    assert arguments["--continuous-log-logGroup"] == "/lakehouse/acme/glue-etl"
    assert arguments["--additional-python-modules"] == (  # the gates run in the job
        f"pandera=={version('pandera')},great_expectations=={version('great_expectations')}"
    )


def test_the_crawler_has_no_schedule_and_one_target_per_raw_entity():
    crawler = crawler_definition(DeployOptions(prefix="acme"), SETTINGS, "arn:role")
    assert "Schedule" not in crawler
    assert [t["Path"] for t in crawler["Targets"]["S3Targets"]] == [
        "s3://acme-raw/customers/",
        "s3://acme-raw/products/",
        "s3://acme-raw/locations/",
        "s3://acme-raw/sales/",
    ]


@pytest.mark.parametrize(
    ("current", "wanted", "expected"),
    [
        ({"Role": "r", "Extra": 1}, {"Role": "r"}, True),  # Glue's own extra keys are ignored
        ({"Role": "r"}, {"Role": "other"}, False),  # a changed value needs an update
        ({"T": [{"Path": "a", "Exclusions": []}]}, {"T": [{"Path": "a"}]}, True),  # nested
        ({"T": [{"Path": "a"}]}, {"T": [{"Path": "a"}, {"Path": "b"}]}, False),  # a new target
        ({}, {"Role": "r"}, False),  # a missing key needs an update
    ],
)
def test_an_existing_crawler_or_job_is_only_updated_where_it_differs(current, wanted, expected):
    assert holds(current, wanted) is expected
