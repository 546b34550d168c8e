"""End to end: `lakehouse run` on a generated folder; warehouse totals equal those from the CSVs.

The expected totals are computed here, from the CSV files, with Python's csv and decimal modules,
independently of the pipeline's code.
"""

import csv
import subprocess
import sys
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import psycopg
import pytest

from lakehouse.generate import GeneratorSpec, generate_dataset
from lakehouse.resources.warehouse import read_credentials

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
RUN_DATE = date(2024, 6, 30)
CENT = Decimal("0.01")
LAKEHOUSE = str(Path(sys.executable).parent / "lakehouse")


def cents(value: str) -> Decimal:
    return Decimal(value or "0").quantize(CENT, rounding=ROUND_HALF_UP)


def expected_totals(source: Path) -> dict:
    """Row count, measure sums and net revenue per region, straight from the CSV files."""
    with (source / "locations.csv").open(newline="", encoding="utf-8") as handle:
        regions = {row["location_id"]: row["region"] for row in csv.DictReader(handle)}
    totals = defaultdict(Decimal)
    per_region = defaultdict(Decimal)
    with (source / "sales.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            gross = (int(row["quantity"]) * Decimal(row["unit_price"])).quantize(
                CENT, rounding=ROUND_HALF_UP
            )
            discount, tax = cents(row["discount_amount"]), cents(row["tax_amount"])
            net = gross - discount + tax
            totals["rows"] += 1
            totals["quantity"] += int(row["quantity"])
            totals["gross_amount"] += gross
            totals["discount"] += discount
            totals["tax_amount"] += tax
            totals["net_amount"] += net
            per_region[regions.get(row["location_id"], "Unknown")] += net
    return {"totals": dict(totals), "per_region": dict(per_region)}


def warehouse_totals(dsn: str) -> dict:
    with psycopg.connect(dsn) as connection:
        row = connection.execute(
            "select count(*), sum(quantity), sum(gross_amount), sum(discount), sum(tax_amount),"
            " sum(net_amount) from star.sales_fact"
        ).fetchone()
        regions = connection.execute(
            "select l.region, sum(f.net_amount) from star.sales_fact f"
            " join star.location_dim l using (location_key) group by l.region"
        ).fetchall()
    names = ["rows", "quantity", "gross_amount", "discount", "tax_amount", "net_amount"]
    return {"totals": dict(zip(names, row, strict=True)), "per_region": dict(regions)}


def run_cli(cli_env: dict[str, str], source: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LAKEHOUSE, "run", "--source", str(source), "--run-date", RUN_DATE.isoformat()],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_lakehouse_run_loads_totals_equal_to_the_csv_files_and_a_rerun_changes_nothing(
    stack, settings, cli_env, tmp_path
):
    source = tmp_path / "batch"
    source.mkdir()
    spec = GeneratorSpec(
        seed=7,
        customers=300,
        products=60,
        locations=12,
        days=30,
        sales_lines=5_000,
        end_date=RUN_DATE,
    )
    generate_dataset(source, spec)
    expected = expected_totals(source)
    dsn = read_credentials(settings).dsn

    first = run_cli(cli_env, source)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "succeeded" in first.stdout
    assert warehouse_totals(dsn) == expected

    second = run_cli(cli_env, source)
    assert second.returncode == 0, second.stdout + second.stderr
    assert warehouse_totals(dsn) == expected
