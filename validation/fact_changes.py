"""The fact's curated checks from the rows a batch changes, when the published rows passed them.

A run upserts its changes into the published fact by sale_id. When every published star table
is as an audited run left it, the published rows passed the fact's suite then, and still do:
dimensions and the calendar only ever gain members, so their keys still resolve. The whole
fact's metrics then follow from the changes' own and from how the changes meet the published
rows: every check but two counts offending rows, which only the changes can hold; the row count
is the published rows, less those the changes replace, plus the changes; and a sale key is
duplicated within the changes, or when a change takes the key of a published row it does not
replace. That last join reads the published keys, once, and only when a change is keyed at or
below the published ones; the full checks read every published row, joined with each dimension.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from lakehouse.schema.star import SALES_FACT
from validation.suites import ROW_COUNT, Metrics

#: Names of :func:`overlap_counts`'s columns.
PUBLISHED, REPLACED, TAKEN = "published", "replaced", "taken"


@dataclass(frozen=True)
class FactChanges:
    """A batch's changes to a published fact whose rows passed the curated suite.

    Attributes:
        published: The published fact.
        changes: The rows the batch adds or replaces (by sale_id).
        replaces_published: Whether a change is keyed at or below the published keys (it may
            replace a published row); if not, it neither replaces one nor takes its key.
    """

    published: DataFrame
    changes: DataFrame
    replaces_published: bool


def overlap_counts(fact: FactChanges) -> DataFrame:
    """One row: the published rows, those a change replaces, and those whose key a change takes.

    A change replaces the published row of its sale_id; ``taken`` counts the published rows a
    change does not replace but shares the sale key of.
    """
    sale_id, sale_key = SALES_FACT.natural_key, SALES_FACT.key
    published = fact.published.select(sale_id, sale_key)
    if not fact.replaces_published:
        return published.agg(
            F.count(F.lit(1)).alias(PUBLISHED), F.lit(0).alias(REPLACED), F.lit(0).alias(TAKEN)
        )
    replacing = fact.changes.select(sale_id).distinct().withColumn("_replaced", F.lit(1))
    taking = fact.changes.select(sale_key).distinct().withColumn("_taken", F.lit(1))
    rows = published.join(F.broadcast(replacing), sale_id, "left").join(
        F.broadcast(taking), sale_key, "left"
    )
    kept_and_taken = F.when(F.col("_replaced").isNull(), F.col("_taken"))
    return rows.agg(
        F.count(F.lit(1)).alias(PUBLISHED),
        F.coalesce(F.sum("_replaced"), F.lit(0)).alias(REPLACED),
        F.coalesce(F.sum(kept_and_taken), F.lit(0)).alias(TAKEN),
    )


def whole_fact_metrics(changes: Metrics, overlap: Mapping[str, int]) -> dict[str, int | float]:
    """The fact's metrics once the changes are upserted.

    Args:
        changes: The fact suite's metrics over the changes alone.
        overlap: The row of :func:`overlap_counts`.
    """
    metrics = dict(changes)
    metrics[ROW_COUNT] = overlap[PUBLISHED] - overlap[REPLACED] + changes[ROW_COUNT]
    metrics[f"duplicate_{SALES_FACT.key}"] += overlap[TAKEN]
    return metrics
