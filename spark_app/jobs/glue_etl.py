"""The Glue ETL job (step ``run_glue_etl``): one raw batch -> the star as curated Delta tables.

Reads each entity's partition for the run date, sorts every row into loaded, quarantined or
duplicate, writes the quarantine records to the raw zone, then publishes the dimensions (stable
keys), the fact (upsert by sale_id) and the calendar. Returns the counts of every step.
"""

import logging
from datetime import date

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from lakehouse.config import Settings
from lakehouse.ingest.raw_zone import quarantine_prefix
from lakehouse.schema import RAW_ENTITIES, RawEntity, raw_entity
from lakehouse.schema.star import DATE_DIM, DIMENSIONS, SALES_FACT, UNKNOWN_KEY
from spark_app.build_report import BuildReport, EntityCounts
from spark_app.delta_io import publish_overwrite, publish_upsert, read_table
from spark_app.extract import read_raw
from spark_app.transforms.date_dim import build_date_dim
from spark_app.transforms.dimensions import dimension_attributes, merge_dimension
from spark_app.transforms.fct_sales import (
    KEYED_DIMENSIONS,
    assign_sale_keys,
    attach_keys,
    repoint_orphans,
    sales_measures,
)
from spark_app.transforms.stage_rows import stage_rows
from spark_app.transforms.triage_rows import count_outcomes, quarantine_records, triage_rows
from validation.gates import check_quarantine_share, check_reconciliation
from validation.raw_schemas import check_typed_rows

log = logging.getLogger(__name__)
#: Where the frames that several steps read are kept: on local disk, not in the heap. A partition
#: of a 10,000,000-line batch is hundreds of MB, and Spark copying one that it had spilled back
#: into the heap ran the warm engine out of memory (`make bench SCALE=10m`, history run).
CACHE_LEVEL = StorageLevel.DISK_ONLY


def run_glue_etl(
    spark: SparkSession,
    settings: Settings,
    run_id: str,
    run_date: date,
    locations: dict[str, str],
) -> BuildReport:
    """Build and publish the star schema from the raw partitions at ``locations`` (entity -> URL).

    Write-audit-publish: every row is triaged and the batch gates run before any curated table
    changes, so a batch over the quarantine threshold leaves the curated zone as it was.

    Raises:
        DataQualityError: A gate failed (counts do not reconcile, too many rows quarantined, or
            staged rows break their Pandera schema).
    """
    report = BuildReport(run_id=run_id, run_date=run_date)
    staged = {}
    for entity in RAW_ENTITIES:
        location = locations[entity.name]
        triaged, counts = read_and_triage(spark, settings, entity, location, run_id, run_date)
        report.entities[entity.name] = counts
        staged[entity.name] = stage_rows(triaged, entity)
    check_reconciliation(report.entities)
    quarantine_url = settings.raw_url(quarantine_prefix("{entity}", run_id))
    check_quarantine_share(report.entities, settings.quarantine_threshold, quarantine_url)
    check_typed_rows(staged, run_date)
    dimensions = publish_dimensions(spark, settings, staged)
    fact_url = settings.curated_url(SALES_FACT.name)
    published_fact = read_table(spark, fact_url)
    fact = batch_fact(staged["sales"], dimensions, published_fact)
    # Counted first: it fills the fact's cache, which the publish then reads.
    report.entities["sales"].orphans = count_orphans(fact)
    publish_fact(spark, fact, dimensions, published_fact, fact_url)
    publish_calendar(spark, settings, staged["sales"])
    spark.catalog.clearCache()
    return report


def read_and_triage(
    spark: SparkSession,
    settings: Settings,
    entity: RawEntity,
    location: str,
    run_id: str,
    run_date: date,
) -> tuple[DataFrame, EntityCounts]:
    """Triaged rows of one entity (cached) and their counts; quarantined rows go to the raw zone."""
    triaged = triage_rows(read_raw(spark, entity, location), entity, run_date)
    triaged = triaged.persist(CACHE_LEVEL)
    statuses, reasons = count_outcomes(triaged)
    counts = EntityCounts(
        rows_read=sum(statuses.values()),
        rows_loaded=statuses["loaded"],
        rows_quarantined=statuses["quarantined"],
        rows_duplicate=statuses["duplicate"],
        reasons=reasons,
    )
    if counts.rows_quarantined:
        url = settings.raw_url(quarantine_prefix(entity.name, run_id))
        records = quarantine_records(triaged, entity, run_id)
        records.coalesce(1).write.mode("overwrite").json(url)
    return triaged, counts


def publish_dimensions(
    spark: SparkSession, settings: Settings, staged: dict[str, DataFrame]
) -> dict[str, DataFrame]:
    """Merge each entity's batch into its dimension and publish it; returns the new dimensions.

    Each new dimension is computed once into a local checkpoint, which both its write and the
    fact's key lookups read: no Delta read of a table just written, and a plan that names no path,
    so the overwrite does not re-plan it.
    """
    published = {}
    for table in DIMENSIONS:
        if table.source is None:
            continue
        url = settings.curated_url(table.name)
        incoming = dimension_attributes(staged[raw_entity(table.source).name], table)
        merged = merge_dimension(read_table(spark, url), incoming, table).localCheckpoint()
        publish_overwrite(merged, table, url)
        published[table.name] = merged
        log.info("published %s", table.name)
    return published


def batch_fact(
    sales: DataFrame, dimensions: dict[str, DataFrame], published: DataFrame | None
) -> DataFrame:
    """The batch's fact rows: measures, dimension keys and sale keys (kept for a known sale_id).

    Persisted: the orphan counts, the publish and the re-pointing all read it.

    Args:
        sales: The batch's staged sales.
        dimensions: The published dimensions.
        published: The curated ``sales_fact`` before this batch, ``None`` on the first run.
    """
    existing_keys = published.select("sale_id", "sale_key") if published is not None else None
    keyed = attach_keys(sales_measures(sales), dimensions)
    return assign_sale_keys(keyed, existing_keys).persist(CACHE_LEVEL)


def publish_fact(
    spark: SparkSession,
    fact: DataFrame,
    dimensions: dict[str, DataFrame],
    published: DataFrame | None,
    url: str,
) -> None:
    """Upsert the batch's fact rows, and re-point earlier orphans of ``published``, at ``url``.

    One Delta commit: a MERGE by sale_id, or an append when every sale_id is new
    (:func:`spark_app.delta_io.publish_upsert`). The changes go into a local checkpoint: the
    publish reads them twice (to look for known sale_ids, then to write them), and each read
    would scan the published fact again for its orphans.
    """
    changes = fact
    if published is not None:
        repointed = repoint_orphans(published, dimensions).join(
            fact.select("sale_id"), "sale_id", "left_anti"
        )
        changes = fact.unionByName(repointed.select(*fact.columns)).localCheckpoint()
    publish_upsert(spark, changes, SALES_FACT, url)


def count_orphans(fact: DataFrame) -> dict[str, int]:
    """Sales of the batch pointed at each dimension's unknown member."""
    sums = [
        F.sum((F.col(table.key) == UNKNOWN_KEY).cast("int")).alias(table.name)
        for table in KEYED_DIMENSIONS
    ]
    row = fact.agg(*sums).first()
    return {table.name: int(row[table.name] or 0) for table in KEYED_DIMENSIONS}


def publish_calendar(spark: SparkSession, settings: Settings, sales: DataFrame) -> None:
    """Rebuild ``date_dim`` over every day from the first to the last sale date seen so far.

    Written only when the batch widens that span.
    """
    url = settings.curated_url(DATE_DIM.name)
    batch = tuple(sales.agg(F.min("sale_date"), F.max("sale_date")).first())
    existing = read_table(spark, url)
    current = (None, None)
    if existing is not None:
        current = tuple(existing.agg(F.min("date_value"), F.max("date_value")).first())
    firsts = [day for day in (batch[0], current[0]) if day is not None]
    lasts = [day for day in (batch[1], current[1]) if day is not None]
    if firsts and (min(firsts), max(lasts)) != current:
        publish_overwrite(build_date_dim(spark, min(firsts), max(lasts)), DATE_DIM, url)
