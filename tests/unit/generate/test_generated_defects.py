"""Bad rows: every defect kind lands in its entity, once per row, as often as the summary says."""

import re
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

import pytest

from lakehouse.generate import DEFECT_KINDS, GeneratorSpec, generate_dataset

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
SALE_REQUIRED = ("sale_id", "sale_date", "quantity", "unit_price")
FOREIGN_KEYS = {"customer_id": "customers", "product_id": "products", "location_id": "locations"}


@pytest.fixture
def defect_spec(small_spec: GeneratorSpec) -> GeneratorSpec:
    """The small spec with enough bad rows for several of each kind."""
    return replace(small_spec, customers=200, products=60, locations=20, defect_rate=0.2)


def classify_dimension_row(entity: str, row: dict[str, str]) -> str:
    """Name the defect kind of a dimension row, or "good"."""
    if entity == "customers" and not (row["first_name"] and row["last_name"]):
        return "missing_customer_name"
    if entity == "customers" and not EMAIL.fullmatch(row["email"]):
        return "malformed_email"
    if entity == "products" and not row["product_name"]:
        return "missing_product_name"
    if entity == "locations" and not row["store_name"]:
        return "missing_store_name"
    return "good"


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def classify_rule_break(row: dict[str, str], end_date: date) -> str | None:
    """Name the contract rule a sales row breaks, or None."""
    if not all(row[column] for column in SALE_REQUIRED):
        return "missing_required_value"
    try:
        quantity, price = int(row["quantity"]), Decimal(row["unit_price"])
    except (ValueError, InvalidOperation):
        return "unparsable_number"
    sale_date = parse_date(row["sale_date"])
    if sale_date is None:
        is_us_format = re.fullmatch(r"\d{2}/\d{2}/\d{4}", row["sale_date"])
        return "wrong_date_format" if is_us_format else "unparsable_date"
    breaks = {
        "sale_date_before_2000": sale_date < date(2000, 1, 1),
        "sale_date_after_end_date": sale_date > end_date + timedelta(days=1),
        "nonpositive_quantity": quantity < 1,
        "negative_tax": Decimal(row["tax_amount"] or 0) < 0,
        "discount_above_gross": Decimal(row["discount_amount"] or 0) > quantity * price,
    }
    return next((kind for kind, broken in breaks.items() if broken), None)


def classify_sales(
    rows: list[dict[str, str]], known: dict[str, set[str]], end_date: date
) -> Counter:
    """Count sales rows per defect kind (or "good"), in file order as the pipeline sees them."""
    seen: dict[str, tuple[str, ...]] = {}
    kinds: Counter[str] = Counter()
    for row in rows:
        content = tuple(row.values())
        kind = classify_rule_break(row, end_date)
        if kind is None and row["sale_id"] in seen:
            kind = "exact_duplicate" if seen[row["sale_id"]] == content else "conflicting_duplicate"
        if kind is None:
            missing = [f"missing_{column}" for column in FOREIGN_KEYS if not row[column]]
            unknown = [
                f"unknown_{column}"
                for column in FOREIGN_KEYS
                if row[column] and row[column] not in known[column]
            ]
            kind = next(iter(missing + unknown), "good")
        seen.setdefault(row["sale_id"], content)
        kinds[kind] += 1
    return kinds


def test_every_defect_kind_is_written_as_often_as_the_summary_says(
    tmp_path, defect_spec, read_entities
):
    summary = generate_dataset(tmp_path, defect_spec)
    rows = read_entities(summary)

    found: Counter[str] = Counter()
    for entity in ("customers", "products", "locations"):
        found.update(classify_dimension_row(entity, row) for row in rows[entity])
    known = {
        column: {row[column] for row in rows[entity]} for column, entity in FOREIGN_KEYS.items()
    }
    found.update(classify_sales(rows["sales"], known, defect_spec.end_date))

    assert set(summary.defects) == {kind.name for kind in DEFECT_KINDS}
    assert min(summary.defects.values()) >= 2
    assert found == Counter(
        {**summary.defects, "good": sum(summary.rows.values()) - sum(summary.defects.values())}
    )


def test_defect_rows_replace_good_rows_spread_evenly_over_kinds(tmp_path, defect_spec):
    summary = generate_dataset(tmp_path, defect_spec)

    per_entity: dict[str, list[int]] = {}
    for kind in DEFECT_KINDS:
        per_entity.setdefault(kind.entity, []).append(summary.defects[kind.name])
    assert summary.rows == {"customers": 200, "products": 60, "locations": 20, "sales": 3_000}
    assert {entity: sum(counts) for entity, counts in per_entity.items()} == {
        "customers": 40,
        "products": 12,
        "locations": 4,
        "sales": 600,
    }
    assert {entity: max(counts) - min(counts) for entity, counts in per_entity.items()} == {
        "customers": 0,
        "products": 0,
        "locations": 0,
        "sales": 1,
    }


def test_sales_reference_only_dimension_rows_that_load(tmp_path, defect_spec, read_entities):
    rows = read_entities(generate_dataset(tmp_path, defect_spec))

    bad = {
        column: {
            row[column] for row in rows[entity] if classify_dimension_row(entity, row) != "good"
        }
        for column, entity in FOREIGN_KEYS.items()
    }
    referenced_bad = {
        column: {row[column] for row in rows["sales"]} & ids for column, ids in bad.items()
    }
    assert [len(ids) for ids in bad.values()] == [40, 12, 4]
    assert referenced_bad == {"customer_id": set(), "product_id": set(), "location_id": set()}


def test_duplicates_copy_an_earlier_line_of_the_same_file(tmp_path, defect_spec, read_rows):
    summary = generate_dataset(tmp_path, defect_spec)

    duplicated = 0
    for path in summary.files["sales"]:
        counts = Counter(row["sale_id"] for row in read_rows(path) if row["sale_id"])
        duplicated += sum(count - 1 for count in counts.values())
    assert (
        duplicated == summary.defects["exact_duplicate"] + summary.defects["conflicting_duplicate"]
    )
