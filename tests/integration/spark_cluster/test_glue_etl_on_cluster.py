"""The Spark job on a standalone cluster (master + worker from pyspark's distribution).

A module-scoped cluster on ports of its own runs `run_glue_etl` in a driver subprocess with a
``spark://`` master; the same driver then builds the same batch into another lake on
``local[2]``, as the suite's runs do. Both must give the same star: same counts per entity, same
rows per table, same fact totals. The file needs no session of the suite's, so it runs beside
the tests that share it.
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

from lakehouse.config import Settings
from lakehouse.stack.manager import CLUSTER_SERVICES, bring_down, bring_up
from lakehouse.stack.spark_cluster import cluster_url, read_master_state

pytestmark = [pytest.mark.integration, pytest.mark.embedded_stack]

# Below Linux's ephemeral range (32768-60999), where an outgoing connection of this machine may
# hold one of them for a moment and the master's UI then moves to the next port.
OWN_MASTER_PORT, OWN_MASTER_UI_PORT, OWN_WORKER_UI_PORT = 27077, 28090, 28091
RUN_DATE = date(2024, 5, 2)
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


def batch_lake(cluster: Settings, run_id: str, master: str) -> tuple[Settings, dict]:
    """A fresh lake holding the batch, and the build of it that cluster_job.py reads."""
    lake = make_lake(cluster, threshold=0.5)
    locations = upload_batch(lake, RUN_DATE, BATCH)
    spec = {
        "run_id": run_id,
        "master": master,
        "raw_bucket": lake.raw_bucket,
        "curated_bucket": lake.curated_bucket,
        "locations": locations,
    }
    return lake, spec


@pytest.fixture(scope="module")
def builds(cluster: Settings, cli_env: dict[str, str]) -> Iterator[dict[str, dict]]:
    """The batch built on the cluster, then on local Spark, by one driver; keyed by run id."""
    lakes, specs = zip(
        batch_lake(cluster, "run-on-cluster", cluster_url(cluster)),
        batch_lake(cluster, "run-local", "local[2]"),
        strict=True,
    )
    env = {**cli_env, "LAKEHOUSE_QUARANTINE_THRESHOLD": "0.5"}
    job = Path(__file__).with_name("cluster_job.py")
    command = [sys.executable, str(job), str(RUN_DATE), json.dumps(specs)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    built = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    yield {build["run_id"]: build for build in built}
    for lake in lakes:
        drop_lake(lake)


def test_the_job_runs_on_the_cluster_as_an_application_of_its_master(
    cluster: Settings, builds: dict[str, dict]
) -> None:
    apps = (read_master_state(cluster) or {}).get("completedapps", [])

    assert builds["run-on-cluster"]["master"] == f"spark://127.0.0.1:{OWN_MASTER_PORT}"
    assert "run-on-cluster" in [app["name"] for app in apps]


def test_the_cluster_builds_the_same_star_and_counts_as_local_spark(
    builds: dict[str, dict],
) -> None:
    on_cluster, on_local = builds["run-on-cluster"], builds["run-local"]

    assert on_local["master"] == "local[2]"
    assert on_cluster["entities"] == on_local["entities"]
    assert on_cluster["star"] == on_local["star"]
    assert on_cluster["star"]["sales_fact"] == "3"
