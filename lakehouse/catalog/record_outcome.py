"""Results back into the catalog: each raw table's parameters carry its latest run and counts.

After a run's gates, every Glue table of a raw entity gets ``lakehouse_last_run_id``,
``lakehouse_last_run_date``, ``lakehouse_last_outcome`` and, when the run counted its rows,
``lakehouse_rows_read``, ``_loaded``, ``_quarantined`` and ``_duplicate`` (the seed's arrow from
Data Quality to the Data Catalog). The rest of each table's definition is kept as it is.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any, Protocol

from lakehouse.catalog.table_definition import OUTCOME_PREFIX
from lakehouse.config import Settings
from lakehouse.resources.aws import make_client
from lakehouse.schema import RAW_ENTITIES

#: Fields of a ``get_table`` result that ``update_table`` accepts back in a ``TableInput``.
TABLE_INPUT_FIELDS = (
    "Name",
    "Description",
    "Owner",
    "LastAccessTime",
    "LastAnalyzedTime",
    "Retention",
    "StorageDescriptor",
    "PartitionKeys",
    "ViewOriginalText",
    "ViewExpandedText",
    "TableType",
    "Parameters",
    "TargetTable",
)
_COUNTS = ("rows_read", "rows_loaded", "rows_quarantined", "rows_duplicate")


class RunOutcome(Protocol):
    """What the catalog records of a run."""

    run_id: str
    run_date: date
    status: str
    entities: Mapping[str, Any]


def record_catalog_outcome(settings: Settings, run: RunOutcome) -> list[str]:
    """Set the run's parameters on every raw table the catalog has; returns the tables updated."""
    glue = make_client(settings, "glue")
    updated = []
    for entity in RAW_ENTITIES:
        try:
            table = glue.get_table(DatabaseName=settings.glue_database, Name=entity.name)["Table"]
        except glue.exceptions.EntityNotFoundException:
            continue
        table_input = {key: table[key] for key in TABLE_INPUT_FIELDS if key in table}
        table_input["Parameters"] = {
            **table.get("Parameters", {}),
            **outcome_parameters(run, run.entities.get(entity.name)),
        }
        glue.update_table(DatabaseName=settings.glue_database, TableInput=table_input)
        updated.append(entity.name)
    return updated


def outcome_parameters(run: RunOutcome, counts: Any | None) -> dict[str, str]:
    """The parameters of one table for a run (Glue parameters are strings)."""
    parameters = {
        "last_run_id": run.run_id,
        "last_run_date": run.run_date.isoformat(),
        "last_outcome": run.status,
    }
    if counts is not None:
        parameters |= {name: str(getattr(counts, name)) for name in _COUNTS}
    return {f"{OUTCOME_PREFIX}{name}": value for name, value in parameters.items()}
