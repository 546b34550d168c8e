"""Star totals computed independently of the pipeline: from the CSV files, and from the warehouse.

The expected side uses only Python's csv and decimal modules, never the pipeline's code.
"""

import csv
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import psycopg

CENT = Decimal("0.01")


def cents(value: str) -> Decimal:
    return Decimal(value or "0").quantize(CENT, rounding=ROUND_HALF_UP)


def line_measures(row: dict[str, str]) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Gross, discount, tax and net amount of one sales CSV row, in cents as the contract says."""
    gross = (int(row["quantity"]) * Decimal(row["unit_price"])).quantize(
        CENT, rounding=ROUND_HALF_UP
    )
    discount, tax = cents(row["discount_amount"]), cents(row["tax_amount"])
    return gross, discount, tax, gross - discount + tax


def expected_totals(source: Path) -> dict:
    """Row count, measure sums and net revenue per region, straight from the CSV files."""
    with (source / "locations.csv").open(newline="", encoding="utf-8") as handle:
        regions = {row["location_id"]: row["region"] for row in csv.DictReader(handle)}
    totals = defaultdict(Decimal)
    per_region = defaultdict(Decimal)
    with (source / "sales.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            gross, discount, tax, net = line_measures(row)
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
