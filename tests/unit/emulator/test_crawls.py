"""A crawler resource's run on the emulator: what it crawls, and the states Glue reports."""

from pathlib import Path

import pytest
from moto.glue.exceptions import CrawlerNotRunningException, CrawlerRunningException

from lakehouse.catalog.csv_classifier import BUILT_IN_CSV, CONTRACT_CSV, classifier_input
from lakehouse.catalog.register_tables import CrawlReport
from lakehouse.emulator.classifiers import ClassifierStore
from lakehouse.emulator.crawls import CrawlerRuns, CrawlRun, s3_folders
from lakehouse.errors import CatalogError

CRAWLER = {
    "Name": "raw",
    "DatabaseName": "sales",
    "Targets": {"S3Targets": [{"Path": "s3://raw/sales/"}, {"Path": "s3://raw/stores"}]},
    "Classifiers": ["contract"],
    "TablePrefix": "raw_",
    "SchemaChangePolicy": {"UpdateBehavior": "LOG", "DeleteBehavior": "LOG"},
}


@pytest.fixture
def runs(tmp_path: Path) -> CrawlerRuns:
    classifiers = ClassifierStore(tmp_path)
    classifiers.create({"CsvClassifier": classifier_input("contract", CONTRACT_CSV)})
    return CrawlerRuns("http://127.0.0.1:9", classifiers)


def test_a_crawl_plan_takes_the_resources_bucket_folders_classifier_prefix_and_policy(
    runs: CrawlerRuns,
) -> None:
    plan = runs.plan(CRAWLER, "eu-west-1")

    assert (plan.region, plan.bucket, plan.database) == ("eu-west-1", "raw", "sales")
    assert plan.scope.folders == ["sales", "stores"]
    assert plan.scope.csv_format == CONTRACT_CSV
    assert plan.scope.table_name("Stores") == "raw_stores"
    assert not plan.scope.update_tables


def test_a_crawler_without_classifiers_reads_as_glues_built_in_one_and_a_bucket_whole(
    runs: CrawlerRuns,
) -> None:
    crawler = {**CRAWLER, "Classifiers": [], "Targets": {"S3Targets": [{"Path": "s3://raw"}]}}

    plan = runs.plan(crawler, "us-east-1")

    assert (plan.scope.csv_format, plan.scope.folders) == (BUILT_IN_CSV, None)


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ([{"Path": "s3://a/x/"}, {"Path": "s3://b/y/"}], "buckets a, b"),
        ([{"Path": "s3://a/x/y/"}], "a folder below the top level"),
        ([{"Path": "s3://a/x/", "Exclusions": ["*.tmp"]}], "exclusions"),
    ],
)
def test_targets_the_emulator_cannot_crawl_are_named(targets: list, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        s3_folders("raw", targets)


def test_other_targets_and_a_missing_classifier_fail_the_plan(runs: CrawlerRuns) -> None:
    with pytest.raises(CatalogError, match=r"only S3 targets are emulated \(it has JdbcTargets"):
        runs.plan({**CRAWLER, "Targets": {"JdbcTargets": [{"Path": "db/%"}]}}, "us-east-1")
    with pytest.raises(CatalogError, match="classifier gone does not exist"):
        runs.plan({**CRAWLER, "Classifiers": ["gone"]}, "us-east-1")


def test_a_run_is_running_until_it_ends_then_its_last_crawl_and_metrics_are_glues(
    runs: CrawlerRuns,
) -> None:
    run = runs.runs["raw"] = CrawlRun()

    assert runs.describe({"Name": "raw"})["State"] == "RUNNING"
    assert "LastCrawl" not in runs.describe({"Name": "raw"})
    with pytest.raises(CrawlerRunningException):
        runs.start(CRAWLER, "us-east-1")
    assert runs.metrics("raw")["StillEstimating"]

    run.finish("SUCCEEDED", CrawlReport(created=["raw_sales"], updated=["raw_stores"]))

    described = runs.describe({"Name": "raw"})
    assert (described["State"], described["LastCrawl"]["Status"]) == ("READY", "SUCCEEDED")
    metrics = runs.metrics("raw")
    assert (metrics["TablesCreated"], metrics["TablesUpdated"]) == (1, 1)
    assert not metrics["StillEstimating"]


def test_a_stopped_run_ends_cancelled_and_a_crawler_that_is_not_running_cannot_stop(
    runs: CrawlerRuns,
) -> None:
    with pytest.raises(CrawlerNotRunningException):
        runs.stop("raw")
    run = runs.runs["raw"] = CrawlRun()

    runs.stop("raw")
    assert runs.describe({"Name": "raw"})["State"] == "STOPPING"
    run.finish("SUCCEEDED")

    assert runs.describe({"Name": "raw"})["LastCrawl"]["Status"] == "CANCELLED"


def test_a_failed_run_reports_its_error_and_a_crawler_never_run_is_ready(
    runs: CrawlerRuns,
) -> None:
    assert runs.describe({"Name": "new"}) == {
        "Name": "new",
        "State": "READY",
        "CrawlElapsedTime": 0,
    }
    runs.runs["raw"] = CrawlRun()
    runs.runs["raw"].finish("FAILED", error="no bucket")

    assert runs.describe({"Name": "raw"})["LastCrawl"]["ErrorMessage"] == "no bucket"
