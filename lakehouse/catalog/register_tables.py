"""The crawler: register every raw-zone folder as a Glue table and its ingest dates as partitions.

Does what a Glue crawler over ``s3://<raw_bucket>/`` does: each top-level folder (folders whose
names start with ``_`` or ``.`` hold no source data and are skipped) becomes a CSV table whose
columns are inferred from a sample of its newest partition's files, read the way the crawler's
CSV classifier says (:mod:`lakehouse.catalog.csv_classifier`); every ``ingest_date=`` folder
becomes a partition. Idempotent: an unchanged raw zone leaves the catalog untouched. The
pipeline's step runs it with the deployed crawler's classifier; the emulator runs it for
StartCrawler with the crawler resource's own configuration (:mod:`lakehouse.emulator.crawls`).
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lakehouse.catalog.csv_classifier import CONTRACT_CSV, CsvFormat
from lakehouse.catalog.infer_schema import infer_glue_columns
from lakehouse.catalog.sample_partition import sample_newest_partition
from lakehouse.catalog.table_definition import (
    OUTCOME_PREFIX,
    build_partition_input,
    build_table_input,
    extract_definition,
)
from lakehouse.config import Settings
from lakehouse.errors import CatalogError
from lakehouse.ingest.raw_zone import (
    GZIP_SUFFIX,
    PARTITION_KEY,
    format_partition,
    list_folders,
    translate_aws_errors,
)
from lakehouse.resources.aws import make_client

logger = logging.getLogger(__name__)
#: Most partitions one BatchCreatePartition call accepts.
_PARTITION_BATCH = 100
_HIDDEN_PREFIXES = ("_", ".")
#: What a crawl did to one table (created, updated or unchanged) and its new partition values.
_Outcome = tuple[str, list[str]]


@dataclass(frozen=True)
class CrawlReport:
    """What one crawl changed in the catalog.

    Attributes:
        created: Tables created.
        updated: Tables whose definition changed.
        unchanged: Tables left as they were.
        new_partitions: Table -> ingest dates registered by this crawl.
    """

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    new_partitions: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """Whether the crawl changed anything in the catalog."""
        return bool(self.created or self.updated or self.new_partitions)


@dataclass(frozen=True)
class CrawlScope:
    """What one crawl reads and how it names what it registers.

    Attributes:
        csv_format: How the crawler's classifier reads the files.
        folders: Raw-zone folders to crawl; ``None`` for every top-level folder of the bucket.
        table_prefix: Put before each folder's name to name its table.
        update_tables: Whether a table whose files changed gets the new definition (a crawler's
            ``UPDATE_IN_DATABASE``), or keeps its own and the change is only logged (``LOG``).
    """

    csv_format: CsvFormat = CONTRACT_CSV
    folders: Sequence[str] | None = None
    table_prefix: str = ""
    update_tables: bool = True

    def table_name(self, folder: str) -> str:
        """The Glue table of a raw-zone folder (the catalog keeps names in lower case)."""
        return f"{self.table_prefix}{folder}".lower()


def run_crawler(settings: Settings, scope: CrawlScope = CrawlScope()) -> CrawlReport:
    """Create or update a Glue table per raw-zone folder and register its new partitions.

    Raises:
        CatalogError: When the Glue database is missing or a partition cannot be created.
        SourceError: When a sampled file is not readable as CSV.
        ServiceError: When S3, Glue or the raw bucket cannot be reached.
    """
    s3, glue = make_client(settings, "s3"), make_client(settings, "glue")
    with translate_aws_errors(settings, "crawling the raw zone"):
        _require_database(glue, settings)
        folders = scope.folders or list_folders(s3, settings.raw_bucket, "")
        outcomes = {
            scope.table_name(folder): _crawl_table(s3, glue, settings, folder, scope)
            for folder in folders
            if not folder.startswith(_HIDDEN_PREFIXES)
        }
    report = _summarize(outcomes)
    logger.info("crawl of %s: %s", settings.raw_url(), report)
    return report


def raw_table_location(settings: Settings, entity: str, run_date: date) -> str:
    """Return the ``s3://`` location of an entity's ``run_date`` partition, read from the catalog.

    Raises:
        CatalogError: When the table or the partition is not registered.
    """
    glue = make_client(settings, "glue")
    try:
        partition = glue.get_partition(
            DatabaseName=settings.glue_database,
            TableName=entity,
            PartitionValues=[run_date.isoformat()],
        )
    except glue.exceptions.EntityNotFoundException as error:
        raise CatalogError(
            f"Glue table {settings.glue_database}.{entity} has no partition "
            f"{format_partition(run_date)}; land the source files for that date and run the "
            "crawler (lakehouse land-raw, lakehouse run-crawler)"
        ) from error
    return partition["Partition"]["StorageDescriptor"]["Location"]


def _require_database(glue: Any, settings: Settings) -> None:
    """Fail unless the Glue database exists."""
    try:
        glue.get_database(Name=settings.glue_database)
    except glue.exceptions.EntityNotFoundException as error:
        raise CatalogError(
            f"Glue database {settings.glue_database!r} does not exist "
            f"at {settings.aws_endpoint_url or settings.region}; start the stack with "
            "`lakehouse up` (or create it with the infrastructure on the aws profile)"
        ) from error


def _summarize(outcomes: dict[str, _Outcome | None]) -> CrawlReport:
    """The crawl report of the tables' outcomes; tables without CSV files are left out."""
    done = {table: outcome for table, outcome in outcomes.items() if outcome}

    def select(status: str) -> list[str]:
        return [table for table, (action, _) in done.items() if action == status]

    return CrawlReport(
        created=select("created"),
        updated=select("updated"),
        unchanged=select("unchanged"),
        new_partitions={table: new for table, (_, new) in done.items() if new},
    )


def _crawl_table(
    s3: Any, glue: Any, settings: Settings, folder: str, scope: CrawlScope
) -> _Outcome | None:
    """Register one raw-zone folder as a table.

    Returns:
        What was done to the table (created, updated, unchanged) and its new partition values;
        ``None`` when no partition holds a CSV file.
    """
    folders = list_folders(s3, settings.raw_bucket, f"{folder}/")
    values = sorted(
        name.split("=", 1)[1] for name in folders if name.startswith(f"{PARTITION_KEY}=")
    )
    keys, samples = sample_newest_partition(s3, settings, folder, values, scope.csv_format)
    if not keys:
        logger.info("skipping %s: no CSV file in any partition", settings.raw_url(folder))
        return None
    table_input = build_table_input(
        scope.table_name(folder),
        infer_glue_columns(samples),
        settings.raw_url(folder) + "/",
        compressed=any(key.endswith(GZIP_SUFFIX) for key in keys),
        csv_format=scope.csv_format,
        header_line=all(sample.header_line for sample in samples),
    )
    status, in_effect = _upsert_table(glue, settings, table_input, scope.update_tables)
    return status, _register_partitions(glue, settings, in_effect, values)


def _upsert_table(
    glue: Any, settings: Settings, table_input: dict[str, Any], update: bool
) -> tuple[str, dict[str, Any]]:
    """Create the table, or update it when its definition differs and ``update``.

    Returns:
        What was done, and the definition the table now has (its partitions take its storage).
    """
    database, name = settings.glue_database, table_input["Name"]
    try:
        existing = glue.get_table(DatabaseName=database, Name=name)["Table"]
    except glue.exceptions.EntityNotFoundException:
        glue.create_table(DatabaseName=database, TableInput=table_input)
        return "created", table_input
    if extract_definition(existing) == extract_definition(table_input):
        return "unchanged", table_input
    if not update:
        logger.warning("table %s.%s changed; kept as it was (LOG)", database, name)
        return "unchanged", existing
    kept = {k: v for k, v in existing.get("Parameters", {}).items() if k.startswith(OUTCOME_PREFIX)}
    table_input = {**table_input, "Parameters": {**table_input["Parameters"], **kept}}
    glue.update_table(DatabaseName=database, TableInput=table_input)
    return "updated", table_input


def _register_partitions(
    glue: Any, settings: Settings, table_input: dict[str, Any], values: list[str]
) -> list[str]:
    """Create the partitions of ``values`` the table lacks, re-point moved ones; return both."""
    database, name = settings.glue_database, table_input["Name"]
    pages = glue.get_paginator("get_partitions").paginate(DatabaseName=database, TableName=name)
    known = {
        tuple(item["Values"]): item["StorageDescriptor"]["Location"]
        for page in pages
        for item in page["Partitions"]
    }
    wanted = {value: build_partition_input(table_input, value) for value in values}
    new = [value for value in values if (value,) not in known]
    moved = [
        partition
        for value, partition in wanted.items()
        if known.get((value,), partition["StorageDescriptor"]["Location"])
        != partition["StorageDescriptor"]["Location"]
    ]
    for partition in moved:
        glue.update_partition(
            DatabaseName=database,
            TableName=name,
            PartitionValueList=partition["Values"],
            PartitionInput=partition,
        )
    for start in range(0, len(new), _PARTITION_BATCH):
        batch = [wanted[value] for value in new[start : start + _PARTITION_BATCH]]
        errors = glue.batch_create_partition(
            DatabaseName=database, TableName=name, PartitionInputList=batch
        ).get("Errors", [])
        if errors:
            details = "; ".join(f"{e['PartitionValues']}: {e['ErrorDetail']}" for e in errors)
            raise CatalogError(
                f"could not register partitions of {database}.{name}: {details}; "
                "run the crawler again"
            )
    return new + [partition["Values"][0] for partition in moved]
