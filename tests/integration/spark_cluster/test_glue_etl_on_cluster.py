"""The Spark job on a standalone cluster (master + worker from pyspark's distribution).

A module-scoped cluster on ports of its own runs `run_glue_etl` in a driver subprocess with a
``spark://`` master; the same batch built by the suite's ``local[2]`` session into another lake
must give the same star: same counts per entity, same rows per table, same fact totals.
"""

import dataclasses
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from helpers.lake import drop_lake, make_lake, upload_batch
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from lakehouse.config import Settings
from lakehouse.schema import STAR_TABLES
from lakehouse.stack.manager import CLUSTER_SERVICES, bring_down, bring_up
from lakehouse.stack.spark_cluster import cluster_url, read_master_state
from spark_app.delta_io import read_table
from spark_app.jobs.glue_etl import run_glue_etl

pytestmark = [pytest.mark.integration, pytest.mark.embedded_stack]

# Below Linux's ephemeral range (32768-60999), where an outgoing connection of this machine may
# hold one of them for a moment and the master's UI then moves to the next port.
OWN_MASTER_PORT, OWN_MASTER_UI_PORT, OWN_WORKER_UI_PORT = 27077, 28090, 28091
RUN_DATE = date(2024, 5, 2)
MEASURES = ("quantity", "gross_amount", "discount", "tax_amount", "net_amount")
BATCH = {
    "customers": "customer_id,first_name,last_name,email\nC1,Ann,Lee,a@x.com\nC2,Bob,Ray,\n",
    "products": "product_id,product_name,unit_price\nP1,Desk,199.99\nP2,Lamp,20\n",
    "locations": "location_id,store_name,region\nL1,Downtown,South\n",
    "sales": """\
sale_id,sale_date,customer_id,product_id,location_id,quantity,unit_price,discount_amount,tax_amount
S1,2024-04-30,C1,P1,L1,2,199.99,10,3.25
S2,2024-05-01,C2,P2,L1,5,20,,1.5
S3,2024-05-01,C9,P2,L1,1,20,0.5,
S4,2024-05-02,C1,P1,L1,0,1,,
""",
}


@pytest.fixture(scope="module")
def cluster(stack: Settings) -> Iterator[Settings]:
    """A Spark master and worker of this module's own, stopped at the end."""
    settings = dataclasses.replace(
        stack,
        spark_cluster=True,
        spark_master_port=OWN_MASTER_PORT,
        spark_master_ui_port=OWN_MASTER_UI_PORT,
        spark_worker_ui_port=OWN_WORKER_UI_PORT,
    )
    bring_up(settings)
    yield settings
    bring_down(settings, CLUSTER_SERVICES)


def star_totals(spark: SparkSession, lake: Settings) -> dict[str, object]:
    """Rows per star table and the fact's measure totals."""
    tables = {table.name: read_table(spark, lake.curated_url(table.name)) for table in STAR_TABLES}
    totals = tables["sales_fact"].agg(*(F.sum(name).alias(name) for name in MEASURES)).first()
    return {**{name: frame.count() for name, frame in tables.items()}, **totals.asDict()}


def build_on_cluster(cluster: Settings, cli_env: dict[str, str], run_id: str) -> dict:
    """Build the batch into a fresh lake with a driver subprocess on the cluster."""
    lake = make_lake(cluster, threshold=0.5)
    locations = upload_batch(lake, RUN_DATE, BATCH)
    env = {
        **cli_env,
        "LAKEHOUSE_SPARK_MASTER": cluster_url(cluster),
        "LAKEHOUSE_RAW_BUCKET": lake.raw_bucket,
        "LAKEHOUSE_CURATED_BUCKET": lake.curated_bucket,
        "LAKEHOUSE_QUARANTINE_THRESHOLD": str(lake.quarantine_threshold),
    }
    job = Path(__file__).with_name("cluster_job.py")
    command = [sys.executable, str(job), run_id, str(RUN_DATE), json.dumps(locations)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return {"lake": lake, **json.loads(result.stdout.strip().splitlines()[-1])}


@pytest.fixture(scope="module")
def on_cluster(cluster: Settings, cli_env: dict[str, str]) -> Iterator[dict]:
    built = build_on_cluster(cluster, cli_env, "run-on-cluster")
    yield built
    drop_lake(built["lake"])


@pytest.fixture(scope="module")
def on_local(stack: Settings, spark: SparkSession) -> Iterator[dict]:
    lake = make_lake(stack, threshold=0.5)
    report = run_glue_etl(spark, lake, "run-local", RUN_DATE, upload_batch(lake, RUN_DATE, BATCH))
    entities = {name: dataclasses.asdict(counts) for name, counts in report.entities.items()}
    yield {"lake": lake, "entities": entities}
    drop_lake(lake)


def test_the_job_runs_on_the_cluster_as_an_application_of_its_master(
    cluster: Settings, on_cluster: dict
) -> None:
    apps = (read_master_state(cluster) or {}).get("completedapps", [])

    assert on_cluster["master"] == f"spark://127.0.0.1:{OWN_MASTER_PORT}"
    assert "run-on-cluster" in [app["name"] for app in apps]


def test_the_cluster_builds_the_same_star_and_counts_as_local_spark(
    spark: SparkSession, on_cluster: dict, on_local: dict
) -> None:
    cluster_totals = star_totals(spark, on_cluster["lake"])

    assert on_cluster["entities"] == on_local["entities"]
    assert cluster_totals == star_totals(spark, on_local["lake"])
    assert cluster_totals["sales_fact"] == 3
