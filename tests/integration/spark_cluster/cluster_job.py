"""Run `run_glue_etl` in a Spark driver of its own, on the master the build names.

Usage: ``python cluster_job.py RUN_DATE BUILD_JSON``, where the build names its ``run_id``,
``master`` (``spark://...``), ``raw_bucket``, ``curated_bucket`` and ``locations``; the rest of
the settings come from the environment. Prints one JSON line: the build's run id, the session's
master, the report's counts and the star it published (rows per table, the fact's measure
totals). The suite's own Spark session is a process-wide singleton, hence the subprocess.
"""

import dataclasses
import json
import sys
from datetime import date
from typing import Any

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from lakehouse.config import Settings, load_settings
from lakehouse.schema import STAR_TABLES
from spark_app.delta_io import read_table
from spark_app.jobs.glue_etl import run_glue_etl
from spark_app.session import build_session

MEASURES = ("quantity", "gross_amount", "discount", "tax_amount", "net_amount")


def star_totals(spark: SparkSession, lake: Settings) -> dict[str, str]:
    """Rows per star table and the fact's measure totals, as text."""
    tables = {table.name: read_table(spark, lake.curated_url(table.name)) for table in STAR_TABLES}
    totals = tables["sales_fact"].agg(*(F.sum(name).alias(name) for name in MEASURES)).first()
    counts = {name: frame.count() for name, frame in tables.items()}
    return {name: str(value) for name, value in {**counts, **totals.asDict()}.items()}


def build(run_date: date, spec: dict[str, Any]) -> dict[str, Any]:
    """Build one batch in a session on the build's master; what the build published."""
    settings = dataclasses.replace(
        load_settings(),
        spark_master=spec["master"],
        raw_bucket=spec["raw_bucket"],
        curated_bucket=spec["curated_bucket"],
    )
    spark = build_session(
        settings, app_name=spec["run_id"], shuffle_partitions=2, driver_memory="1g"
    )
    try:
        report = run_glue_etl(spark, settings, spec["run_id"], run_date, spec["locations"])
        entities = {name: dataclasses.asdict(counts) for name, counts in report.entities.items()}
        return {
            "run_id": spec["run_id"],
            "master": spark.sparkContext.master,
            "entities": entities,
            "star": star_totals(spark, settings),
        }
    finally:
        spark.stop()


def main(run_date: str, spec: str) -> None:
    print(json.dumps(build(date.fromisoformat(run_date), json.loads(spec))), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
