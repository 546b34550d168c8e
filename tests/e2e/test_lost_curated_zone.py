"""End to end: the curated zone lost behind the pipeline's back, the run stopped, the lake rebuilt.

Two days are loaded; then every object of the curated bucket is deleted with boto3. The third
day's run must stop before it changes the warehouse, naming each table and the counts on each
side; `lakehouse rebuild --yes` (the CLI, in this process) re-creates the curated zone from the
three ingest dates in the raw zone (the stopped run had landed the third); the third day's run
then succeeds and the warehouse holds all three days, every earlier key unchanged.

The scenario runs once (module fixture) in this process, sharing the suite's Spark session; each
test asserts on one part of it.
"""

import dataclasses
from collections.abc import Iterator
from datetime import date

import pytest
from pyspark.sql import SparkSession
from typer.testing import CliRunner, Result

from lakehouse.cli.app import app
from lakehouse.config import Settings
from lakehouse.errors import HistoryLostError
from lakehouse.ingest.raw_zone import list_keys
from lakehouse.pipeline.run_pipeline import run_pipeline
from lakehouse.resources.aws import make_client
from lakehouse.schema import STAR_TABLES
from tests.helpers.batches import csv_header, write_batch
from tests.helpers.lake import drop_catalog_lake, lake_cli_env, make_catalog_lake
from tests.helpers.star import execute, loaded_versions, star_state

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
CUSTOMERS, PRODUCTS = csv_header("customers"), csv_header("products")
LOCATIONS, SALES = csv_header("locations"), csv_header("sales")
DAYS = [
    (date(2024, 6, 28), {
        "customers": CUSTOMERS
        + "C2,Bob,Ray,bob@example.com,Seattle,WA,\n"
        + "C5,Eve,Moss,,Reno,NV,\n",
        "products": PRODUCTS
        + "P1,Desk,Office,Furniture,Acme,120.00\n"
        + "P2,Lamp,Lighting,,Brite,25.50\n",
        "locations": LOCATIONS + "L1,Downtown,Austin,TX,South,US\n",
        "sales": SALES
        + "S01,2024-06-27,C2,P1,L1,1,120.00,10.00,8.80\n"
        + "S02,2024-06-28,C5,P2,L1,2,25.50,0.00,4.08\n"
        + "S03,2024-06-28,C9,P1,L1,1,119.99,0.00,9.60\n",  # C9 arrives the next day
    }),
    (date(2024, 6, 29), {
        # C1 sorts before the known C2 and C5: it still gets the next key, after theirs
        "customers": CUSTOMERS
        + "C9,Cy,Dee,cy@example.com,Reno,NV,\n"
        + "C1,Ann,Lee,,Austin,TX,\n",
        "products": PRODUCTS + "P3,Chair,Office,Furniture,Acme,80.00\n",
        "locations": LOCATIONS + "L2,Harbor,Seattle,WA,West,US\n",
        "sales": SALES
        + "S04,2024-06-29,C1,P3,L2,2,80.00,0.00,12.80\n"
        + "S05,2024-06-29,C9,P2,L2,3,25.50,1.50,6.00\n",
    }),
    (date(2024, 6, 30), {
        "customers": CUSTOMERS + "C0,Dee,Fox,dee@example.com,Austin,TX,\n",
        "products": PRODUCTS + "P0,Shelf,Office,Furniture,Acme,40.00\n",
        "locations": LOCATIONS + "L1,Downtown,Austin,TX,South,US\n",
        "sales": SALES
        + "S06,2024-06-30,C0,P0,L1,1,40.00,0.00,3.20\n"
        + "S07,2024-06-30,C2,P3,L2,1,80.00,5.00,6.00\n",
    }),
]  # fmt: skip
#: Every key, as the first runs give them: new natural keys numbered after the largest key so
#: far, in natural-key order within each day.
KEYS = {
    **{("customer", nk): key for nk, key in (("C2", 1), ("C5", 2), ("C1", 3), ("C9", 4))},
    **{("product", nk): key for nk, key in (("P1", 1), ("P2", 2), ("P3", 3))},
    **{("location", nk): key for nk, key in (("L1", 1), ("L2", 2))},
    **{("sale", f"S0{n}"): n for n in range(1, 6)},
}
DAY_3_KEYS = {("customer", "C0"): 5, ("product", "P0"): 4, ("sale", "S06"): 6, ("sale", "S07"): 7}
KEYS_SQL = """
select 'customer', customer_id, customer_key from star.customer_dim where customer_key <> -1
union all select 'product', product_id, product_key from star.product_dim where product_key <> -1
union all select 'location', location_id, location_key from star.location_dim
where location_key <> -1
union all select 'sale', sale_id, sale_key from star.sales_fact
"""
SALE_LINES = """
select f.sale_id, c.customer_id, p.product_id, l.location_id, f.net_amount
from star.sales_fact as f
inner join star.customer_dim as c on f.customer_key = c.customer_key
inner join star.product_dim as p on f.product_key = p.product_key
inner join star.location_dim as l on f.location_key = l.location_key
order by f.sale_id
"""
LATEST_RUN = "select status, failed_step from audit.pipeline_runs order by started_at desc limit 1"


@dataclasses.dataclass
class Recovery:
    """What the scenario saw at each stage.

    Attributes:
        lake: The scenario's lake.
        loaded: Star rows and loaded versions after two days.
        first_keys: Every key after two days, by kind and natural key.
        stopped: The third day's error on the lost curated zone.
        after_stop: Star rows and loaded versions after that error.
        latest_run: Status and failed step of the stopped run in ``audit.pipeline_runs``.
        rebuilt: `lakehouse rebuild --yes`.
        final_keys: Every key after the third day's run that followed the rebuild.
        final_versions: ``audit.loaded_versions`` then.
        sale_lines: Every sale line then, with its natural keys.
    """

    lake: Settings
    loaded: tuple[dict, dict] | None = None
    first_keys: dict[tuple[str, str], int] | None = None
    stopped: HistoryLostError | None = None
    after_stop: tuple[dict, dict] | None = None
    latest_run: list[tuple] | None = None
    rebuilt: Result | None = None
    final_keys: dict[tuple[str, str], int] | None = None
    final_versions: dict[str, tuple] | None = None
    sale_lines: list[tuple] | None = None


def delete_curated_zone(lake: Settings) -> int:
    """Delete every object of the curated bucket, behind the pipeline's back."""
    s3 = make_client(lake, "s3")
    keys = list_keys(s3, lake.curated_bucket, "")
    for key in keys:
        s3.delete_object(Bucket=lake.curated_bucket, Key=key)
    return len(keys)


def warehouse_keys(lake: Settings) -> dict[tuple[str, str], int]:
    return {(kind, natural_id): key for kind, natural_id, key in execute(lake, KEYS_SQL)}


@pytest.fixture(scope="module")
def recovery(
    stack: Settings, test_env: dict[str, str], spark: SparkSession, tmp_path_factory
) -> Iterator[Recovery]:
    """Two days, the curated zone deleted, the third day stopped, a rebuild, the third again."""
    lake = make_catalog_lake(stack)
    root = tmp_path_factory.mktemp("days")
    sources = [write_batch(root / f"{day}", files) for day, files in DAYS]
    seen = Recovery(lake)
    for source, (day, _) in zip(sources[:2], DAYS, strict=False):
        run_pipeline(lake, source, day)
    seen.loaded, seen.first_keys = (star_state(lake), loaded_versions(lake)), warehouse_keys(lake)
    assert delete_curated_zone(lake) > 0
    try:
        run_pipeline(lake, sources[2], DAYS[2][0])
    except HistoryLostError as error:
        seen.stopped = error
    seen.after_stop = (star_state(lake), loaded_versions(lake))
    seen.latest_run = execute(lake, LATEST_RUN)
    env = lake_cli_env(test_env, lake)
    seen.rebuilt = CliRunner().invoke(app, ["rebuild", "--yes"], env=env | {"COLUMNS": "200"})
    run_pipeline(lake, sources[2], DAYS[2][0])
    seen.final_keys, seen.final_versions = warehouse_keys(lake), loaded_versions(lake)
    seen.sale_lines = execute(lake, SALE_LINES)
    yield seen
    drop_catalog_lake(lake)


def test_the_run_after_the_curated_zone_is_lost_stops_naming_each_table_and_its_counts(
    recovery: Recovery,
) -> None:
    assert recovery.stopped is not None, "the run on the lost curated zone did not stop"
    lines = str(recovery.stopped).splitlines()
    rows, _ = recovery.loaded
    assert lines[0] == (
        f"the curated zone s3://{recovery.lake.curated_bucket}/ lacks history that the warehouse"
        " holds; the run stopped before changing anything:"
    )
    assert lines[1:6] == [
        f"  - {table.name}: no curated table (warehouse: {len(rows[table.name])} rows, keys"
        f" {min(rows[table.name])[0]}..{max(rows[table.name])[0]}; curated: none)"
        for table in STAR_TABLES
    ]
    assert "`lakehouse rebuild --yes`" in lines[6]
    assert "`lakehouse reset --yes`" in lines[6]


def test_the_stopped_run_leaves_the_warehouse_row_for_row_as_it_was(recovery: Recovery) -> None:
    assert recovery.after_stop == recovery.loaded
    assert recovery.latest_run == [("failed", "run_glue_etl")]


def test_rebuild_replays_the_three_ingest_dates_in_order_and_prints_each(
    recovery: Recovery,
) -> None:
    result = recovery.rebuilt
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    rebuilt = [line.split()[1] for line in result.output.splitlines() if " rebuilt (" in line]
    assert rebuilt == [day.isoformat() for day, _ in DAYS]
    assert "rebuilt 3 of 3 ingest dates" in result.output


def test_the_next_run_loads_all_three_days_with_every_earlier_key_unchanged(
    recovery: Recovery,
) -> None:
    assert recovery.final_keys == KEYS | DAY_3_KEYS
    assert [line[:4] for line in recovery.sale_lines] == [
        ("S01", "C2", "P1", "L1"),
        ("S02", "C5", "P2", "L1"),
        ("S03", "C9", "P1", "L1"),  # re-pointed from the unknown member once C9 arrived
        ("S04", "C1", "P3", "L2"),
        ("S05", "C9", "P2", "L2"),
        ("S06", "C0", "P0", "L1"),
        ("S07", "C2", "P3", "L2"),
    ]
    # every table reloaded in full from the rebuilt zone, after the check that it keeps each key
    assert {mode for mode, _, _ in recovery.final_versions.values()} == {"full"}


def test_the_first_two_days_number_new_keys_after_the_largest_in_natural_key_order(
    recovery: Recovery,
) -> None:
    assert recovery.first_keys == KEYS
