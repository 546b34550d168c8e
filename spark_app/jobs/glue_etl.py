"""The Glue ETL job (step ``run_glue_etl``): one raw batch -> the star as curated Delta tables.

Reads each entity's partition for the run date, sorts every row into loaded, quarantined or
duplicate, writes the quarantine records to the raw zone, then builds the dimensions (stable
keys), the fact (upsert by sale_id) and the calendar, audits the star they make with the curated
suites, and only then publishes them. Returns the counts of every step.
"""

import logging
from dataclasses import dataclass
from datetime import date

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from lakehouse.config import Settings
from lakehouse.ingest.raw_zone import quarantine_prefix
from lakehouse.schema import RAW_ENTITIES, STAR_TABLES, RawEntity, raw_entity, star_table
from lakehouse.schema.star import DATE_DIM, DIMENSIONS, SALES_FACT, UNKNOWN_KEY
from spark_app.build_report import BuildReport, EntityCounts
from spark_app.collect_together import collect_together
from spark_app.delta_io import (
    commit_note,
    latest_commit_notes,
    note_latest_commits,
    publish_overwrite,
    publish_upsert,
    read_table,
)
from spark_app.extract import read_raw
from spark_app.schemas import spark_schema
from spark_app.transforms.date_dim import build_date_dim
from spark_app.transforms.dimensions import CHANGED, dimension_attributes, merged_members
from spark_app.transforms.fct_sales import (
    KEYED_DIMENSIONS,
    assign_sale_keys,
    attach_keys,
    repoint_orphans,
    sales_measures,
)
from spark_app.transforms.stage_rows import stage_rows
from spark_app.transforms.triage_rows import (
    DUPLICATE,
    LOADED,
    QUARANTINED,
    count_outcomes,
    quarantine_records,
    triage_rows,
)
from validation.curated_checks import audit_star
from validation.fact_changes import FactChanges
from validation.gates import check_quarantine_share, check_reconciliation
from validation.raw_schemas import check_typed_rows

log = logging.getLogger(__name__)
#: Where the frames that several steps read are kept: on local disk, not in the heap. A partition
#: of a 10,000,000-line batch is hundreds of MB, and Spark copying one that it had spilled back
#: into the heap ran the warm engine out of memory (`make bench SCALE=10m`, history run).
CACHE_LEVEL = StorageLevel.DISK_ONLY
#: The note of every Delta commit the job publishes: the table's new version passed the curated
#: suites. A table whose latest commit lacks it was written by something else.
AUDITED = "lakehouse: audited by curated_suite"


@dataclass
class StagedStar:
    """The star as a batch leaves it, computed and not yet published.

    Attributes:
        dimensions: Each dimension, whole, by table name (local checkpoints).
        changed_dimensions: The dimensions the batch adds members to or changes: only these
            are published (rewritten) again.
        fact_changes: The fact rows the batch adds or replaces, re-pointed orphans included.
        fact: The whole fact after the batch (the published rows the changes leave, and them).
        replaces_published: Whether a fact change replaces a published row (the publish then
            MERGEs; otherwise it appends).
        calendar: The new ``date_dim``; ``None`` when the batch does not widen it.
        published_calendar: The published ``date_dim``, if any.
        published_fact: The published fact, if any.
        published_audited: Whether every published star table is as an audited run of the job
            left it (:data:`AUDITED`).
    """

    dimensions: dict[str, DataFrame]
    changed_dimensions: frozenset[str]
    fact_changes: DataFrame
    fact: DataFrame
    replaces_published: bool
    calendar: DataFrame | None
    published_calendar: DataFrame | None
    published_fact: DataFrame | None
    published_audited: bool

    def audited_fact_changes(self) -> FactChanges | None:
        """The fact's changes, when its published rows passed the curated suite already."""
        if self.published_fact is None or not self.published_audited:
            return None
        return FactChanges(self.published_fact, self.fact_changes, self.replaces_published)

    def tables(self) -> dict[str, DataFrame]:
        """Every star table as it will be once published, by name."""
        calendar = self.calendar if self.calendar is not None else self.published_calendar
        if calendar is None:  # no sale yet: the audit finds the calendar empty
            calendar = self.fact.sparkSession.createDataFrame([], spark_schema(DATE_DIM))
        return {**self.dimensions, SALES_FACT.name: self.fact, DATE_DIM.name: calendar}


def run_glue_etl(
    spark: SparkSession,
    settings: Settings,
    run_id: str,
    run_date: date,
    locations: dict[str, str],
) -> BuildReport:
    """Build the star schema from the raw partitions at ``locations`` (entity -> URL), publish it.

    Write-audit-publish: every row is triaged, the batch gates run, and the star that the batch
    makes passes the curated suites (:func:`validation.curated_checks.audit_star`) before any
    curated table changes, so a failed gate leaves the curated zone as it was.

    Raises:
        DataQualityError: A gate failed (counts do not reconcile, too many rows quarantined,
            staged rows break their Pandera schema, or the star breaks a curated suite).
    """
    report = BuildReport(run_id=run_id, run_date=run_date)
    triaged = triage_batch(spark, settings, locations, report)
    staged = {name: stage_rows(rows, raw_entity(name)) for name, rows in triaged.items()}
    check_reconciliation(report.entities)
    quarantine_url = settings.raw_url(quarantine_prefix("{entity}", run_id))
    check_quarantine_share(report.entities, settings.quarantine_threshold, quarantine_url)
    check_typed_rows(staged, run_date)
    star = stage_star(spark, settings, staged, report)
    fact_changes = star.audited_fact_changes()
    report.curated_rows = audit_star(spark, settings, star.tables(), run_id, fact_changes)
    publish_star(spark, settings, star)
    spark.catalog.clearCache()
    return report


def stage_star(
    spark: SparkSession, settings: Settings, staged: dict[str, DataFrame], report: BuildReport
) -> StagedStar:
    """The star after the batch ``staged`` (entity -> staged rows); counts its orphan sales."""
    dimensions, changed_dimensions = merge_dimensions(spark, settings, staged)
    published_fact = read_table(spark, settings.curated_url(SALES_FACT.name))
    published_calendar = read_table(spark, settings.curated_url(DATE_DIM.name))
    fact = batch_fact(staged["sales"], dimensions, published_fact)
    # Summarized first: it fills the fact's cache, which the changes then read.
    batch = summarize_batch(fact)
    report.entities["sales"].orphans = batch.orphans
    changes = fact_changes(fact, dimensions, published_fact)
    published = published_bounds(published_fact, published_calendar)
    return StagedStar(
        dimensions=dimensions,
        changed_dimensions=changed_dimensions,
        fact_changes=changes,
        fact=fact_after(published_fact, changes),
        replaces_published=replaces_published_rows(changes, published.largest_sale_key),
        calendar=build_calendar(spark, batch.sale_span, published.calendar_span),
        published_calendar=published_calendar,
        published_fact=published_fact,
        published_audited=published_fact is not None and star_audited(spark, settings),
    )


def star_audited(spark: SparkSession, settings: Settings) -> bool:
    """Whether the latest commit of every published star table is an audited one of the job."""
    notes = latest_commit_notes(spark, star_urls(settings))
    return len(notes) == len(STAR_TABLES) and set(notes.values()) == {AUDITED}


def star_urls(settings: Settings) -> list[str]:
    """Where each star table's Delta table is, in :data:`STAR_TABLES` order."""
    return [settings.curated_url(table.name) for table in STAR_TABLES]


def publish_star(spark: SparkSession, settings: Settings, star: StagedStar) -> None:
    """Publish the audited star: the changed dimensions, the fact's changes, the grown calendar.

    A table the batch leaves as it was keeps its Delta version. Each commit is noted
    :data:`AUDITED`; after a full audit of a published star (some table was not as the job had
    left it), each table the batch left as it was gets a commit with the note too, which changes
    no row.
    """
    with commit_note(spark, AUDITED):
        for name, dimension in star.dimensions.items():
            if name not in star.changed_dimensions:
                log.info("%s unchanged: not written again", name)
                continue
            publish_overwrite(dimension, star_table(name), settings.curated_url(name))
            log.info("published %s", name)
        url = settings.curated_url(SALES_FACT.name)
        publish_upsert(spark, star.fact_changes, SALES_FACT, url, star.replaces_published)
        if star.calendar is not None:
            publish_overwrite(star.calendar, DATE_DIM, settings.curated_url(DATE_DIM.name))
    if star.published_fact is not None and not star.published_audited:
        log.info("noted audited: %s", note_latest_commits(spark, star_urls(settings), AUDITED))


def triage_batch(
    spark: SparkSession, settings: Settings, locations: dict[str, str], report: BuildReport
) -> dict[str, DataFrame]:
    """Each entity's triaged rows (cached), by name; counts them into ``report``.

    The counts of every entity come from one Spark job; quarantined rows go to the raw zone.
    """
    triaged = {
        entity.name: read_and_triage(spark, entity, locations[entity.name], report.run_date)
        for entity in RAW_ENTITIES
    }
    for name, (statuses, reasons) in count_outcomes(triaged).items():
        report.entities[name] = entity_counts(statuses, reasons)
        if statuses[QUARANTINED]:
            write_quarantine(settings, triaged[name], raw_entity(name), report.run_id)
    return triaged


def read_and_triage(
    spark: SparkSession, entity: RawEntity, location: str, run_date: date
) -> DataFrame:
    """The triaged rows of one entity's raw partition at ``location``, cached where first read."""
    return triage_rows(read_raw(spark, entity, location), entity, run_date).persist(CACHE_LEVEL)


def entity_counts(statuses: dict[str, int], reasons: dict[str, int]) -> EntityCounts:
    """An entity's counts from its rows per status and quarantined rows per reason."""
    return EntityCounts(
        rows_read=sum(statuses.values()),
        rows_loaded=statuses[LOADED],
        rows_quarantined=statuses[QUARANTINED],
        rows_duplicate=statuses[DUPLICATE],
        reasons=reasons,
    )


def write_quarantine(
    settings: Settings, triaged: DataFrame, entity: RawEntity, run_id: str
) -> None:
    """Write an entity's quarantined rows, with their reasons, to the raw zone's quarantine."""
    url = settings.raw_url(quarantine_prefix(entity.name, run_id))
    quarantine_records(triaged, entity, run_id).coalesce(1).write.mode("overwrite").json(url)


def merge_dimensions(
    spark: SparkSession, settings: Settings, staged: dict[str, DataFrame]
) -> tuple[dict[str, DataFrame], frozenset[str]]:
    """Merge each entity's batch into its published dimension.

    Returns the new dimensions by name, and the names of those the batch changed: those it
    adds a member to or changes one of (one Spark job for every published dimension, over the
    local checkpoints).

    Each new dimension is computed once into a local checkpoint, which the audit, its write and
    the fact's key lookups all read: no Delta read of a table just written, and a plan that names
    no path, so the overwrite does not re-plan it.
    """
    merged, published_names = {}, set()
    for table in DIMENSIONS:
        if table.source is None:
            continue
        incoming = dimension_attributes(staged[raw_entity(table.source).name], table)
        published = read_table(spark, settings.curated_url(table.name))
        merged[table.name] = merged_members(published, incoming, table).localCheckpoint()
        if published is not None:
            published_names.add(table.name)
    flags = collect_together(
        {name: merged[name].agg(F.bool_or(CHANGED).alias(CHANGED)) for name in published_names}
    )
    changed = {name for name in merged if name not in flags or flags[name][0][CHANGED]}
    dimensions = {name: members.drop(CHANGED) for name, members in merged.items()}
    return dimensions, frozenset(changed)


def batch_fact(
    sales: DataFrame, dimensions: dict[str, DataFrame], published: DataFrame | None
) -> DataFrame:
    """The batch's fact rows: measures, dimension keys and sale keys (kept for a known sale_id).

    Persisted: the orphan counts, the changes and the re-pointing all read it.

    Args:
        sales: The batch's staged sales.
        dimensions: The dimensions after the batch (:func:`merge_dimensions`).
        published: The curated ``sales_fact`` before this batch, ``None`` on the first run.
    """
    existing_keys = published.select("sale_id", "sale_key") if published is not None else None
    keyed = attach_keys(sales_measures(sales), dimensions)
    return assign_sale_keys(keyed, existing_keys).persist(CACHE_LEVEL)


def fact_changes(
    fact: DataFrame, dimensions: dict[str, DataFrame], published: DataFrame | None
) -> DataFrame:
    """The batch's fact rows and the earlier orphans of ``published`` that it re-points.

    Kept in a local checkpoint: the audit and the publish read it (the publish twice, to look for
    known sale_ids, then to write them), and each read would scan the published fact again for
    its orphans.
    """
    if published is None:
        return fact
    repointed = repoint_orphans(published, dimensions).join(
        fact.select("sale_id"), "sale_id", "left_anti"
    )
    return fact.unionByName(repointed.select(*fact.columns)).localCheckpoint()


def replaces_published_rows(changes: DataFrame, largest_published_key: int | None) -> bool:
    """Whether a change of the fact replaces a published row, found without reading the table.

    A sale keeps the key it was given and a new sale gets a key above the largest given so far
    (:func:`assign_sale_keys`): a change keyed above the published fact's largest key is a new
    sale, and any other is taken to replace a row (a MERGE, right either way). The one Spark job
    reads the changes alone, where a join with the table's keys read the whole fact.

    Args:
        changes: The fact's changes.
        largest_published_key: The published fact's largest key (:func:`published_bounds`);
            ``None`` when nothing is published.
    """
    if largest_published_key is None:
        return False
    return not changes.where(F.col("sale_key") <= largest_published_key).isEmpty()


def fact_after(published: DataFrame | None, changes: DataFrame) -> DataFrame:
    """The whole fact once ``changes`` are upserted into ``published`` by sale_id."""
    if published is None:
        return changes
    kept = published.join(changes.select("sale_id"), "sale_id", "left_anti")
    return kept.unionByName(changes.select(*kept.columns))


@dataclass(frozen=True)
class BatchSummary:
    """What one Spark job over the batch's fact rows tells.

    Attributes:
        orphans: Sales of the batch pointed at each dimension's unknown member, by dimension.
        sale_span: The batch's first and last sale date; ``None`` when it has no sale.
    """

    orphans: dict[str, int]
    sale_span: tuple[date, date] | None


def summarize_batch(fact: DataFrame) -> BatchSummary:
    """The batch's orphan sales per dimension and the span of its sale dates, in one Spark job."""
    sums = [
        F.sum((F.col(table.key) == UNKNOWN_KEY).cast("int")).alias(table.name)
        for table in KEYED_DIMENSIONS
    ]
    # The fact's rows keep the sale date as its date_key (yyyymmdd).
    sale_date = F.to_date(F.col("date_key").cast("string"), "yyyyMMdd")
    span = [F.min(sale_date).alias("_first"), F.max(sale_date).alias("_last")]
    row = fact.agg(*sums, *span).first()
    orphans = {table.name: int(row[table.name] or 0) for table in KEYED_DIMENSIONS}
    return BatchSummary(orphans, None if row["_first"] is None else (row["_first"], row["_last"]))


@dataclass(frozen=True)
class PublishedBounds:
    """What the job needs to know of the published fact and calendar.

    Attributes:
        largest_sale_key: The published fact's largest key; ``None`` when it has no row.
        calendar_span: The published calendar's first and last day; ``None`` when it has none.
    """

    largest_sale_key: int | None
    calendar_span: tuple[date, date] | None


def published_bounds(fact: DataFrame | None, calendar: DataFrame | None) -> PublishedBounds:
    """The published fact's largest key and the calendar's span, collected together."""
    frames = {}
    if fact is not None:
        frames[SALES_FACT.name] = fact.agg(F.max("sale_key").alias("largest"))
    if calendar is not None:
        frames[DATE_DIM.name] = calendar.agg(
            F.min("date_value").alias("first"), F.max("date_value").alias("last")
        )
    rows = {name: found[0] for name, found in collect_together(frames).items()}
    largest = rows.get(SALES_FACT.name, {}).get("largest")
    days = rows.get(DATE_DIM.name, {})
    if days.get("first") is None:
        return PublishedBounds(largest, None)
    return PublishedBounds(
        largest, (date.fromisoformat(days["first"]), date.fromisoformat(days["last"]))
    )


def build_calendar(
    spark: SparkSession,
    sale_span: tuple[date, date] | None,
    published_span: tuple[date, date] | None,
) -> DataFrame | None:
    """``date_dim`` over every day from the first to the last sale date seen so far.

    ``None`` when the batch's sales (``sale_span``) fall within the published calendar's span:
    no Spark job decides it.
    """
    spans = [span for span in (sale_span, published_span) if span is not None]
    if not spans:
        return None
    first, last = min(span[0] for span in spans), max(span[1] for span in spans)
    if (first, last) == published_span:
        return None
    return build_date_dim(spark, first, last)
