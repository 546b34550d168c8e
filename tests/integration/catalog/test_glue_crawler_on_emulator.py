"""A Glue crawler resource on the emulator runs when started, reading CSV files as Glue would.

The crawler is started and awaited through the Airflow amazon provider's hook (what the DAG's
GlueCrawlerRunOperator and GlueCrawlerSensor call), over the emulator's endpoint.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from airflow.providers.amazon.aws.hooks.glue_crawler import GlueCrawlerHook

from lakehouse.catalog.csv_classifier import CONTRACT_CSV, classifier_input
from lakehouse.config import Settings
from lakehouse.ingest.land_raw import land_raw
from lakehouse.resources.aws import make_client
from tests.helpers.service_roles import GLUE_ROLE
from tests.integration.catalog.test_crawl_on_emulator import (
    ENTITIES,
    RUN_DATE,
    SOURCES,
    read_table,
    write_sources,
)

pytestmark = pytest.mark.integration


def classifier(lake: Settings) -> str:
    """The name of the lake's own CSV classifier (the contract's format)."""
    return f"{lake.glue_database}-csv"


@pytest.fixture
def landed(lake: Settings, source_dir: Path) -> Iterator[Settings]:
    """The lake with the four entities landed, and the contract's CSV classifier."""
    write_sources(source_dir, SOURCES)
    land_raw(lake, source_dir, RUN_DATE)
    glue = make_client(lake, "glue")
    glue.create_classifier(CsvClassifier=classifier_input(classifier(lake), CONTRACT_CSV))
    yield lake
    for crawler in glue.get_crawlers()["Crawlers"]:
        if crawler["DatabaseName"] == lake.glue_database:
            glue.delete_crawler(Name=crawler["Name"])
    for table in glue.get_tables(DatabaseName=lake.glue_database)["TableList"]:
        glue.delete_table(DatabaseName=lake.glue_database, Name=table["Name"])
    glue.delete_classifier(Name=classifier(lake))


@pytest.fixture
def hook(aws_sdk_env: Settings) -> GlueCrawlerHook:
    """The amazon provider's crawler hook, on the emulator through the standard AWS variables."""
    return GlueCrawlerHook(aws_conn_id=None, region_name=aws_sdk_env.region)


def create_crawler(lake: Settings, name: str, classifiers: list[str], **extra: object) -> str:
    """A crawler of the lake's four entity folders; its name, of the lake's own."""
    name = f"{lake.glue_database}-{name}"
    make_client(lake, "glue").create_crawler(
        Name=name,
        Role=GLUE_ROLE,
        DatabaseName=lake.glue_database,
        Targets={"S3Targets": [{"Path": lake.raw_url(entity) + "/"} for entity in ENTITIES]},
        Classifiers=classifiers,
        **extra,
    )
    return name


def column_names(lake: Settings, table: str) -> list[str]:
    return [c["Name"] for c in read_table(lake, table)["StorageDescriptor"]["Columns"]]


def test_a_started_crawler_with_the_csv_classifier_registers_every_table_by_its_header(
    landed: Settings, hook: GlueCrawlerHook
) -> None:
    name = create_crawler(landed, "with-classifier", [classifier(landed)], TablePrefix="raw_")

    hook.start_crawler(name)
    assert hook.get_crawler(name)["State"] in {"RUNNING", "STOPPING", "READY"}
    outcome = hook.wait_for_crawler_completion(name, poll_interval=0.2)

    assert outcome == "SUCCEEDED"
    for entity in ENTITIES:
        text = next(text for name, text in SOURCES.items() if name.startswith(f"{entity}."))
        header = text.splitlines()[0].split(",")
        assert column_names(landed, f"raw_{entity}") == header, entity
        assert read_table(landed, f"raw_{entity}")["Parameters"]["skip.header.line.count"] == "1"
    crawler = hook.get_crawler(name)
    assert (crawler["State"], crawler["LastCrawl"]["Status"]) == ("READY", "SUCCEEDED")
    glue = make_client(landed, "glue")
    metrics = glue.get_crawler_metrics(CrawlerNameList=[name])["CrawlerMetricsList"]
    assert metrics[0]["TablesCreated"] == len(ENTITIES)


def test_without_a_classifier_all_text_files_get_glues_col_names_and_the_others_keep_theirs(
    landed: Settings, hook: GlueCrawlerHook
) -> None:
    name = create_crawler(landed, "built-in", [])

    assert hook.start_crawler(name)
    assert hook.wait_for_crawler_completion(name, poll_interval=0.2) == "SUCCEEDED"

    # customers and locations hold only text: Glue's built-in classifier sees no header there
    assert column_names(landed, "locations") == [f"col{i}" for i in range(6)]
    assert column_names(landed, "customers") == [f"col{i}" for i in range(7)]
    assert "skip.header.line.count" not in read_table(landed, "locations")["Parameters"]
    assert column_names(landed, "sales")[:2] == ["sale_id", "sale_date"]


def test_a_crawl_that_cannot_run_fails_with_glues_last_crawl_error(
    landed: Settings, hook: GlueCrawlerHook
) -> None:
    name = create_crawler(landed, "missing-classifier", ["no-such-classifier"])

    hook.start_crawler(name)
    with pytest.raises(Exception, match="FAILED"):
        hook.wait_for_crawler_completion(name, poll_interval=0.2)

    last = hook.get_crawler(name)["LastCrawl"]
    assert last["ErrorMessage"] == "classifier no-such-classifier does not exist"


def test_crawler_and_classifier_errors_are_glues(landed: Settings) -> None:
    glue = make_client(landed, "glue")
    name = create_crawler(landed, "idle", [classifier(landed)])

    with pytest.raises(glue.exceptions.CrawlerNotRunningException):
        glue.stop_crawler(Name=name)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.start_crawler(Name="no-such-crawler")
    with pytest.raises(glue.exceptions.AlreadyExistsException):
        glue.create_classifier(CsvClassifier=classifier_input(classifier(landed), CONTRACT_CSV))
    with pytest.raises(glue.exceptions.InvalidInputException, match="CSV classifiers only"):
        glue.create_classifier(
            GrokClassifier={"Name": "g", "Classification": "x", "GrokPattern": "."}
        )
    described = glue.get_classifier(Name=classifier(landed))["Classifier"]["CsvClassifier"]
    assert (described["ContainsHeader"], described["Delimiter"]) == ("PRESENT", ",")
