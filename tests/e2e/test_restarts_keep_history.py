"""End to end: restarts of the local stack lose nothing (issue 15).

Day 1 is loaded; the emulator is SIGKILLed and `lakehouse up` (``bring_up``) starts it again from
its journal; `lakehouse down` and `lakehouse up` restart the whole stack; day 2 is loaded. After
each day the warehouse holds every sale line of every day so far, with totals computed here from
the CSV text, and every (table, surrogate key, natural key) it held before. Either restart losing
the lake fails day 2. tests/integration/stack/test_durable_lake.py checks each restart on its own,
object by object. Before this issue, a restart emptied the lake and the next day replaced the
warehouse's history with that day alone, keys numbered from 1 again.

The stack is the module's own (the suite's serves the other tests); the runs share the suite's
Spark session, routed to it.
"""

import dataclasses
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from lakehouse.config import Settings
from lakehouse.pipeline.run_pipeline import run_pipeline
from lakehouse.schema import STAR_TABLES
from lakehouse.stack.manager import bring_down, bring_up
from tests.helpers.faults import kill_emulator, routed_to_emulator, second_stack
from tests.helpers.lake import make_catalog_lake
from tests.helpers.star import execute, warehouse_rows
from tests.helpers.totals import line_measures

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.embedded_stack]
SALES_COLUMNS = (
    "sale_id,sale_date,customer_id,product_id,location_id,quantity,unit_price,"
    "discount_amount,tax_amount"
)


def day_files(day: int) -> dict[str, str]:
    """Day ``day``'s batch: a new customer, product and store, a sale of each and one of day 1's."""
    sale_date = date(2024, 7, day)
    return {
        "customers": "customer_id,first_name,last_name,email,city,state,signup_date\n"
        f"C{day},Ann{day},Lee,ann{day}@example.com,Austin,TX,2024-01-0{day}\n",
        "products": "product_id,product_name,category,subcategory,brand,unit_price\n"
        f"P{day},Desk {day},Office,Furniture,Acme,1{day}0.00\n",
        "locations": "location_id,store_name,city,state,region,country\n"
        f"L{day},Store {day},Reno,NV,West,US\n",
        "sales": f"{SALES_COLUMNS}\n"
        f"S{day}A,{sale_date},C{day},P{day},L{day},{day},1{day}0.00,1.00,2.{day}0\n"
        f"S{day}B,{sale_date},C1,P1,L1,1,9.9{day},0.00,0.80\n",
    }


def write_day(folder: Path, day: int) -> Path:
    source = folder / f"day{day}"
    source.mkdir()
    for entity, text in day_files(day).items():
        (source / f"{entity}.csv").write_text(text)
    return source


def expected_sales(days: int) -> dict[str, Decimal]:
    """Net amount per sale_id of days 1..``days``, from the CSV text."""
    net = {}
    for day in range(1, days + 1):
        header, *lines = day_files(day)["sales"].splitlines()
        for line in lines:
            row = dict(zip(header.split(","), line.split(","), strict=True))
            net[row["sale_id"]] = line_measures(row)[3]
    return net


def key_pairs(lake: Settings) -> set[tuple[str, object, object]]:
    """(table, surrogate key, natural key) of every row of every warehouse star table."""
    return {
        (table.name, row[0], row[1])
        for table in STAR_TABLES
        for row in warehouse_rows(lake, table.name)
    }


@pytest.fixture(scope="module")
def lake(settings: Settings, spark: SparkSession) -> Iterator[Settings]:
    """A lake on a stack of the module's own, reached by the suite's Spark session."""
    stack = second_stack(settings)
    stack = dataclasses.replace(stack, state_dir=stack.state_dir.with_name("test-restarts"))
    bring_up(stack)
    try:
        lake = make_catalog_lake(stack)
        with routed_to_emulator(spark, lake):
            yield lake
    finally:
        bring_down(stack)


def load_day(lake: Settings, folder: Path, day: int) -> None:
    run_pipeline(lake, write_day(folder, day), date(2024, 7, day))


def assert_history(lake: Settings, days: int, earlier_keys: set) -> set:
    """The warehouse holds days 1..``days`` and every key pair it held before; returns them."""
    loaded = dict(execute(lake, "select sale_id, net_amount from star.sales_fact"))
    keys = key_pairs(lake)
    assert loaded == expected_sales(days)
    assert earlier_keys - keys == set()
    return keys


def test_a_sigkilled_emulator_and_a_restarted_stack_keep_every_day(lake, tmp_path):
    load_day(lake, tmp_path, 1)
    keys = assert_history(lake, 1, set())

    kill_emulator(lake)
    assert bring_up(lake) == ["emulator"]
    assert bring_down(lake) == ["postgres", "emulator", "s3proxy"]
    assert bring_up(lake) == ["s3proxy", "emulator", "postgres"]
    load_day(lake, tmp_path, 2)

    assert_history(lake, 2, keys)
    assert execute(lake, "select count(*) from star.customer_dim where customer_key > 0") == [(2,)]
