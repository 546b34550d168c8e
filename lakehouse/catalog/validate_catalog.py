"""Gate: the Glue catalog holds every raw entity's table, contract columns and run partition."""

from datetime import date
from typing import Any

from lakehouse.config import Settings
from lakehouse.errors import CatalogError
from lakehouse.ingest.csv_sample import find_missing_columns
from lakehouse.ingest.raw_zone import format_partition, translate_aws_errors
from lakehouse.resources.aws import make_client
from lakehouse.schema import RAW_ENTITIES, RawEntity

_FIX = "land the source files and run the crawler (lakehouse land-raw, lakehouse run-crawler)"


def validate_catalog(settings: Settings, run_date: date) -> None:
    """Check each entity's table: it exists, has every contract column and a ``run_date`` partition.

    Raises:
        CatalogError: Listing every missing table, column and partition at once.
        ServiceError: When Glue cannot be reached.
    """
    glue = make_client(settings, "glue")
    with translate_aws_errors(settings, f"checking the Glue catalog for {run_date.isoformat()}"):
        problems = [
            problem
            for entity in RAW_ENTITIES
            for problem in _check_table(glue, settings, entity, run_date)
        ]
    if problems:
        raise CatalogError(
            f"Glue catalog check failed for ingest date {run_date.isoformat()}:\n- "
            + "\n- ".join(problems)
            + f"\nTo fix: {_FIX}"
        )


def _check_table(glue: Any, settings: Settings, entity: RawEntity, run_date: date) -> list[str]:
    """The problems with one entity's table (empty when none)."""
    database, name = settings.glue_database, entity.name
    where = f"table {database}.{name}"
    try:
        table = glue.get_table(DatabaseName=database, Name=name)["Table"]
    except glue.exceptions.EntityNotFoundException:
        return [f"{where} does not exist"]
    problems = []
    columns = tuple(column["Name"] for column in table["StorageDescriptor"].get("Columns", ()))
    missing = find_missing_columns(columns, entity.column_names)
    if missing:
        problems.append(f"{where} lacks column(s) {', '.join(missing)}")
    try:
        glue.get_partition(
            DatabaseName=database, TableName=name, PartitionValues=[run_date.isoformat()]
        )
    except glue.exceptions.EntityNotFoundException:
        problems.append(f"{where} has no partition {format_partition(run_date)}")
    return problems
