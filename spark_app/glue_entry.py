"""AWS Glue entry point of the star-schema job; runs locally too when the Glue libraries are absent.

Arguments (Glue job parameters, or the command line locally): ``--run-date YYYY-MM-DD``,
``--run-id``, ``--raw-bucket``, ``--curated-bucket``, ``--glue-database``; under Glue also
``--region``. Under Glue the Spark session is the GlueContext's (Delta from
``--datalake-formats delta`` and the ``--conf`` job parameter that ``lakehouse deploy`` sets) and
the settings are the aws profile's, with Great Expectations' folder in a temporary one (the job's
library is a zip); locally they are the active profile's and the project's session.

The job builds the star schema (:func:`spark_app.jobs.glue_etl.run_glue_etl`) from the catalogued
raw partitions of the run date, then writes one Redshift COPY manifest per star table and saves
its report (what happened to every row) for the DAG's audit.
"""

import argparse
import dataclasses
import logging
import sys
import tempfile
from datetime import date

from pyspark.sql import SparkSession

from lakehouse.catalog.register_tables import raw_table_location
from lakehouse.config import Settings, load_settings
from lakehouse.schema import RAW_ENTITIES
from spark_app.build_report import BuildReport, save_report
from spark_app.copy_manifests import write_copy_manifests
from spark_app.jobs.glue_etl import run_glue_etl

log = logging.getLogger(__name__)

JOB_ARGUMENTS = ("run-date", "run-id", "raw-bucket", "curated-bucket", "glue-database")
GLUE_ONLY_ARGUMENTS = ("region",)


def parse_local_arguments(argv: list[str]) -> dict[str, str]:
    """The job arguments from a local command line (``argv`` without the program name)."""
    parser = argparse.ArgumentParser(prog="glue_entry", description=__doc__.splitlines()[0])
    for name in JOB_ARGUMENTS:
        parser.add_argument(f"--{name}", required=True)
    arguments, _ = parser.parse_known_args(argv)
    return vars(arguments)


def with_job_buckets(settings: Settings, arguments: dict[str, str]) -> Settings:
    """``settings`` pointed at the buckets and the Glue database named by the job's arguments."""
    return dataclasses.replace(
        settings,
        raw_bucket=arguments["raw_bucket"],
        curated_bucket=arguments["curated_bucket"],
        glue_database=arguments["glue_database"],
    )


def run_job(spark: SparkSession, settings: Settings, run_id: str, run_date: date) -> BuildReport:
    """Build the star schema for ``run_date``, publish its COPY manifests and save its report."""
    locations = {e.name: raw_table_location(settings, e.name, run_date) for e in RAW_ENTITIES}
    report = run_glue_etl(spark, settings, run_id, run_date, locations)
    manifests = write_copy_manifests(spark, settings)
    key = save_report(settings, report)
    log.info(
        "run %s: %s; COPY manifests (files per table): %s; report: %s",
        run_id, report, manifests, settings.curated_url(key),
    )  # fmt: skip
    return report


def glue_runtime(argv: list[str]) -> tuple[dict[str, str], Settings, SparkSession]:
    """Arguments, settings and session under AWS Glue (raises ImportError elsewhere)."""
    from awsglue.context import GlueContext  # noqa: PLC0415 (only under Glue)
    from awsglue.utils import getResolvedOptions  # noqa: PLC0415
    from pyspark.context import SparkContext  # noqa: PLC0415

    resolved = getResolvedOptions(argv, [*JOB_ARGUMENTS, *GLUE_ONLY_ARGUMENTS])
    arguments = {key.replace("-", "_"): value for key, value in resolved.items()}
    base = load_settings(
        {
            "LAKEHOUSE_PROFILE": "aws",
            "AWS_REGION": arguments["region"],
            "LAKEHOUSE_GX_DIR": tempfile.mkdtemp(prefix="lakehouse-gx-"),
        }
    )
    spark = GlueContext(SparkContext.getOrCreate()).spark_session
    return arguments, with_job_buckets(base, arguments), spark


def local_runtime(argv: list[str]) -> tuple[dict[str, str], Settings, SparkSession]:
    """Arguments, settings (active profile) and the project's Spark session."""
    from spark_app.session import build_session  # noqa: PLC0415 (needs the local jars)

    arguments = parse_local_arguments(argv[1:])
    settings = with_job_buckets(load_settings(), arguments)
    return arguments, settings, build_session(settings, app_name="lakehouse-glue-entry")


def main(argv: list[str] | None = None) -> BuildReport:
    """Run the job with Glue's libraries when present, else locally."""
    argv = sys.argv if argv is None else argv
    try:
        arguments, settings, spark = glue_runtime(argv)
    except ImportError:
        arguments, settings, spark = local_runtime(argv)
    run_date = date.fromisoformat(arguments["run_date"])
    return run_job(spark, settings, arguments["run_id"], run_date)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    main()
