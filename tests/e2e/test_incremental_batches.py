"""End to end: three batches through the pipeline, each applied to the warehouse incrementally.

Batch 1 loads new rows (one sale of a customer not known yet); batch 2 corrects two earlier
sale_ids, brings that late customer and a new product; batch 3 adds rows. The expected sale lines,
keys and totals are computed here from the CSV text, with Python's csv and decimal modules, and
batch 2 is run twice: the second run changes nothing.

Only batch 2 is re-run: its re-run is the one that could apply something twice (corrected sale_ids
and an orphan re-pointed by a late customer). A re-run after a first, full load is asserted by
tests/e2e/test_lakehouse_run.py, and a re-run of a plain batch by
tests/integration/spark_app/test_glue_etl_on_emulator.py.

The four runs call `lakehouse run`'s function in this process, so they share the suite's Spark
session instead of starting a JVM each; tests/e2e/test_lakehouse_run.py runs the CLI itself.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from lakehouse.config import Settings
from lakehouse.pipeline.run_pipeline import run_pipeline
from tests.helpers.batches import csv_header, write_batch
from tests.helpers.star import execute, loaded_versions, star_state
from tests.helpers.totals import line_measures

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
UNKNOWN = "UNKNOWN"
CUSTOMERS, PRODUCTS = csv_header("customers"), csv_header("products")
LOCATIONS, SALES = csv_header("locations"), csv_header("sales")
BATCHES = [
    (
        date(2024, 6, 28),
        {
            "customers": CUSTOMERS
            + "C1,Ann,Lee,ann@example.com,Austin,TX,2023-01-05\n"
            + "C2,Bob,Ray,bob@example.com,Seattle,WA,2023-02-11\n",
            "products": PRODUCTS
            + "P1,Desk,Office,Furniture,Acme,120.00\n"
            + "P2,Lamp,Lighting,Lamps,Brite,25.50\n",
            "locations": LOCATIONS
            + "L1,Downtown,Austin,TX,South,US\n"
            + "L2,Harbor,Seattle,WA,West,US\n",
            "sales": SALES
            + "S1,2024-06-27,C1,P1,L1,1,120.00,10.00,8.80\n"
            + "S2,2024-06-27,C2,P2,L2,2,25.50,0.00,4.08\n"
            + "S3,2024-06-28,C3,P2,L1,3,25.50,1.50,6.00\n"  # C3 arrives in batch 2
            + "S4,2024-06-28,C1,P1,L2,2,119.99,0.00,19.20\n",
        },
    ),
    (
        date(2024, 6, 29),
        {
            "customers": CUSTOMERS + "C3,Cy,Dee,cy@example.com,Reno,NV,2024-06-01\n",
            "products": PRODUCTS + "P3,Chair,Office,Furniture,Acme,80.00\n",
            "locations": LOCATIONS + "L1,Downtown,Austin,TX,South,US\n",
            "sales": SALES
            + "S2,2024-06-27,C2,P2,L2,3,25.50,2.00,6.12\n"  # corrected quantity and amounts
            + "S4,2024-06-28,C1,P1,L1,1,119.99,0.00,9.60\n"  # corrected store and quantity
            + "S5,2024-06-29,C3,P3,L2,2,80.00,0.00,12.80\n",
        },
    ),
    (
        date(2024, 6, 30),
        {
            "customers": CUSTOMERS + "C4,Dee,Fox,dee@example.com,Austin,TX,2024-06-20\n",
            "products": PRODUCTS + "P2,Lamp,Lighting,Lamps,Brite,25.50\n",
            "locations": LOCATIONS + "L3,Mall,Reno,NV,West,US\n",
            "sales": SALES
            + "S6,2024-06-30,C4,P3,L3,1,80.00,5.00,6.00\n"
            + "S7,2024-06-29,C1,P2,L1,4,25.50,0.00,8.16\n",
        },
    ),
]
#: Rows each batch applies per table: every row at first, then only what changed (batch 2:
#: C3, P3, one new day, and S2, S4, S5 plus S3 re-pointed from the unknown to C3). A table the
#: batch leaves as it was (batch 2's locations, batch 3's products) gets no new Delta version, so
#: the warehouse keeps the load before.
APPLIED = [
    {"customer_dim": 3, "product_dim": 3, "location_dim": 3, "date_dim": 2, "sales_fact": 4},
    {"customer_dim": 1, "product_dim": 1, "date_dim": 1, "sales_fact": 4},
    {"customer_dim": 1, "location_dim": 1, "date_dim": 1, "sales_fact": 2},
]
#: The batch run twice: corrections and a re-pointed orphan are what a re-run could apply twice.
RERUN_BATCH = 2
SALE_LINES = """
select f.sale_id, c.customer_id, p.product_id, l.location_id, f.quantity, f.gross_amount,
    f.discount, f.tax_amount, f.net_amount
from star.sales_fact as f
inner join star.customer_dim as c on f.customer_key = c.customer_key
inner join star.product_dim as p on f.product_key = p.product_key
inner join star.location_dim as l on f.location_key = l.location_key
order by f.sale_id
"""
KEYS = """
select 'customer', customer_id, customer_key from star.customer_dim
union all select 'product', product_id, product_key from star.product_dim
union all select 'location', location_id, location_key from star.location_dim
union all select 'sale', sale_id, sale_key from star.sales_fact
"""


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@dataclass
class ExpectedStar:
    """The star the batches so far should give, from the CSV text alone."""

    ids: dict[str, set[str]] = field(
        default_factory=lambda: {"customer": set(), "product": set(), "location": set()}
    )
    sales: dict[str, dict[str, str]] = field(default_factory=dict)

    def add(self, files: dict[str, str]) -> None:
        for entity in self.ids:
            self.ids[entity] |= {row[f"{entity}_id"] for row in read_csv(files[f"{entity}s"])}
        self.sales |= {row["sale_id"]: row for row in read_csv(files["sales"])}

    def sale_lines(self) -> list[tuple]:
        return [
            (
                sale_id,
                *(self._known(entity, row[f"{entity}_id"]) for entity in self.ids),
                int(row["quantity"]),
                *line_measures(row),
            )
            for sale_id, row in sorted(self.sales.items())
        ]

    def _known(self, entity: str, natural_id: str) -> str:
        return natural_id if natural_id in self.ids[entity] else UNKNOWN


def totals(lines: list[tuple]) -> list:
    return [len(lines), *(sum(line[index] for line in lines) for index in range(4, 9))]


def keys_by_id(lake: Settings) -> dict[tuple[str, str], int]:
    return {(kind, natural_id): key for kind, natural_id, key in execute(lake, KEYS)}


def test_three_batches_apply_only_their_changes_and_rerunning_the_corrections_changes_nothing(
    lake: Settings, spark: SparkSession, tmp_path: Path
) -> None:
    expected, keys, loads = ExpectedStar(), {}, {}
    for number, (run_date, files) in enumerate(BATCHES, start=1):
        source = write_batch(tmp_path / f"batch{number}", files)
        expected.add(files)

        run_pipeline(lake, source, run_date)

        lines = execute(lake, SALE_LINES)
        assert lines == expected.sale_lines()
        assert totals(lines) == totals(expected.sale_lines())
        new_keys = keys_by_id(lake)
        assert {k: new_keys.get(k) for k in keys} == keys  # keys never change once given
        keys = new_keys
        mode = "full" if number == 1 else "incremental"
        loads |= {name: (mode, rows) for name, rows in APPLIED[number - 1].items()}
        applied = loaded_versions(lake)
        assert {name: (m, rows) for name, (m, _, rows) in applied.items()} == loads
        if number != RERUN_BATCH:
            continue
        state = star_state(lake)

        run_pipeline(lake, source, run_date)

        assert star_state(lake) == state
        for name, (m, version, rows) in loaded_versions(lake).items():
            assert (m, version, rows) == applied[name] or (m, rows) == ("incremental", 0)
