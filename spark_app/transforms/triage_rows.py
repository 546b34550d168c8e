"""Sort every raw row into loaded, quarantined or exact duplicate (CONTRACT.md section 2)."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from lakehouse.schema import RawEntity
from spark_app.collect_together import collect_together
from spark_app.extract import LINE_NUMBER, RECORD, SOURCE_FILE
from validation.rules import parse_and_check

STATUS = "_status"
REASONS = "_reasons"
LOADED, QUARANTINED, DUPLICATE = "loaded", "quarantined", "duplicate"
SUPERSEDED = "superseded_duplicate"
#: Rows per status, and quarantined rows per reason.
Outcomes = tuple[dict[str, int], dict[str, int]]


def triage_rows(raw: DataFrame, entity: RawEntity, run_date: date) -> DataFrame:
    """Every raw row with its contract columns parsed, ``_status`` and ``_reasons``.

    ``_status`` is loaded, quarantined or duplicate; a value that does not parse is NULL (its
    row is quarantined, and its ``_record`` holds the text).

    Exact duplicates (identical content, the first in file order stays) are dropped and counted;
    a row that breaks a contract rule is quarantined with every reason; among valid rows sharing
    a natural key, the last in file order wins and the others are ``superseded_duplicate``.
    Only a quarantined row keeps its ``_record``; the others' is NULL.
    """
    file_order = [F.col(SOURCE_FILE), F.col(LINE_NUMBER)]
    # Copies share their natural key, so one shuffle by it serves both windows below.
    by_key = raw.repartition(F.col(entity.natural_key))
    first_copy = Window.partitionBy(entity.natural_key, F.to_json(RECORD)).orderBy(*file_order)
    flagged = parse_and_check(
        by_key.withColumn("_copy", F.row_number().over(first_copy)), entity, run_date, REASONS
    )
    is_valid = (F.col("_copy") == 1) & (F.size(REASONS) == 0)
    latest_first = Window.partitionBy(entity.natural_key, is_valid).orderBy(
        *[column.desc() for column in file_order]
    )
    ranked = flagged.withColumn("_rank", F.row_number().over(latest_first))
    superseded = is_valid & (F.col("_rank") > 1)
    status = (
        F.when(F.col("_copy") > 1, F.lit(DUPLICATE))
        .when(is_valid & ~superseded, F.lit(LOADED))
        .otherwise(F.lit(QUARANTINED))
    )
    # The row as read goes to the quarantine only; a copy in every loaded row made the job's
    # cache of the triaged rows a fifth larger and slower to write.
    return ranked.select(
        *[
            F.when(status == QUARANTINED, F.col(name)).alias(name) if name == RECORD else name
            for name in raw.columns
        ],
        status.alias(STATUS),
        F.when(superseded, F.array(F.lit(SUPERSEDED))).otherwise(F.col(REASONS)).alias(REASONS),
    )


def quarantine_records(triaged: DataFrame, entity: RawEntity, run_id: str) -> DataFrame:
    """The quarantined rows, whole and unchanged, with run id, source file, line and reasons."""
    return triaged.where(F.col(STATUS) == QUARANTINED).select(
        F.lit(run_id).alias("run_id"),
        F.lit(entity.name).alias("entity"),
        F.col(SOURCE_FILE).alias("source_file"),
        F.col(LINE_NUMBER).alias("line_number"),
        F.col(REASONS).alias("reasons"),
        F.col(RECORD).alias("record"),
    )


def count_outcomes(triaged: Mapping[str, DataFrame]) -> dict[str, Outcomes]:
    """Rows per status and quarantined rows per reason of each entity, from one Spark job.

    Args:
        triaged: Each entity's triaged rows, by entity name.

    Every status is present; a row with two reasons counts once in the statuses and under both
    reasons.
    """
    groups = collect_together(
        {name: frame.groupBy(STATUS, REASONS).count() for name, frame in triaged.items()}
    )
    return {name: _tally(rows) for name, rows in groups.items()}


def _tally(groups: list[dict[str, Any]]) -> Outcomes:
    """Statuses and reasons from the row count of each (status, reasons) group."""
    statuses = dict.fromkeys((LOADED, QUARANTINED, DUPLICATE), 0)
    reasons: dict[str, int] = {}
    for group in groups:
        statuses[group[STATUS]] += group["count"]
        if group[STATUS] == QUARANTINED:
            for reason in group[REASONS]:
                reasons[reason] = reasons.get(reason, 0) + group["count"]
    return statuses, reasons
