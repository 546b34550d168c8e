"""Run `run_glue_etl` in a Spark driver of its own, on the master the environment names.

Usage: ``python cluster_job.py RUN_ID RUN_DATE LOCATIONS_JSON``. Settings come from the
environment (``LAKEHOUSE_SPARK_MASTER=spark://...``); prints the master and the report's counts as
one JSON line. The suite's own Spark session is a process-wide singleton, hence the subprocess.
"""

import dataclasses
import json
import sys
from datetime import date

from lakehouse.config import load_settings
from spark_app.jobs.glue_etl import run_glue_etl
from spark_app.session import build_session


def main(run_id: str, run_date: str, locations: str) -> None:
    settings = load_settings()
    spark = build_session(settings, app_name=run_id, shuffle_partitions=2, driver_memory="1g")
    try:
        report = run_glue_etl(
            spark, settings, run_id, date.fromisoformat(run_date), json.loads(locations)
        )
        entities = {name: dataclasses.asdict(counts) for name, counts in report.entities.items()}
        print(json.dumps({"master": spark.sparkContext.master, "entities": entities}))
    finally:
        spark.stop()


if __name__ == "__main__":
    main(*sys.argv[1:])
