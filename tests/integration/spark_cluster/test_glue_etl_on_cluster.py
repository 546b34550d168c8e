"""The Spark job on a standalone cluster (master + worker from pyspark's distribution).

A module-scoped cluster on ports of its own runs `run_glue_etl` in a driver subprocess with a
``spark://`` master. The star it publishes must be the one the batch makes, as local Spark
builds it in the other tests: every count and total below follows from the batch by the
contract. The file needs no session of the suite's, so it runs beside the tests that share it.
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
RUN_ID = "run-on-cluster"
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


@pytest.fixture(scope="module")
def build(cluster: Settings, cli_env: dict[str, str]) -> Iterator[dict]:
    """The batch built into a fresh lake by a driver on the cluster: what cluster_job.py prints."""
    lake = make_lake(cluster, threshold=0.5)
    spec = {
        "run_id": RUN_ID,
        "master": cluster_url(cluster),
        "raw_bucket": lake.raw_bucket,
        "curated_bucket": lake.curated_bucket,
        "locations": upload_batch(lake, RUN_DATE, BATCH),
    }
    env = {**cli_env, "LAKEHOUSE_QUARANTINE_THRESHOLD": "0.5"}
    job = Path(__file__).with_name("cluster_job.py")
    command = [sys.executable, str(job), str(RUN_DATE), json.dumps(spec)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    [built] = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    yield built
    drop_lake(lake)


def test_the_job_runs_on_the_cluster_as_an_application_of_its_master(
    cluster: Settings, build: dict
) -> None:
    apps = (read_master_state(cluster) or {}).get("completedapps", [])

    assert build["master"] == f"spark://127.0.0.1:{OWN_MASTER_PORT}"
    assert RUN_ID in [app["name"] for app in apps]


def test_the_cluster_counts_every_row_of_the_batch(build: dict) -> None:
    loaded = {name: counts["rows_loaded"] for name, counts in build["entities"].items()}
    sales = build["entities"]["sales"]

    assert loaded == {"customers": 2, "products": 2, "locations": 1, "sales": 3}
    # S4 sells 0 items; S3's customer C9 is not in the batch
    assert (sales["rows_quarantined"], sales["reasons"]) == (1, {"below_minimum:quantity": 1})
    assert sales["orphans"] == {"customer_dim": 1, "product_dim": 0, "location_dim": 0}


def test_the_cluster_publishes_the_star_of_the_batch(build: dict) -> None:
    assert build["star"] == {
        # each dimension's members and its unknown member; the days of the loaded sales
        "customer_dim": "3",
        "product_dim": "3",
        "location_dim": "2",
        "date_dim": "2",
        "sales_fact": "3",
        # S1, S2, S3: 2 x 199.99 + 5 x 20 + 1 x 20, less 10 + 0.50, plus 3.25 + 1.50 of tax
        "quantity": "8",
        "gross_amount": "519.98",
        "discount": "10.50",
        "tax_amount": "4.75",
        "net_amount": "514.23",
    }
