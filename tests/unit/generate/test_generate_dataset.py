"""Behaviour of ``generate_dataset`` on defect-free data: files, format, determinism, shape."""

import csv
import gzip
import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from lakehouse.errors import ConfigError, SourceError
from lakehouse.generate import GeneratorSpec, generate_dataset
from lakehouse.generate.reference_data import CITIES, FIRST_NAMES, LAST_NAMES
from lakehouse.schema import RAW_ENTITIES

CENT = Decimal("0.01")
ID_PATTERNS = {
    "customer_id": r"C\d{6}",
    "product_id": r"P\d{5}",
    "location_id": r"L\d{3}",
    "sale_id": r"S\d{8}",
}


def read_bytes(summary_files: dict[str, tuple[Path, ...]]) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for paths in summary_files.values() for path in paths}


def test_same_spec_writes_byte_identical_files(tmp_path, small_spec):
    first = generate_dataset(tmp_path / "a", small_spec)
    second = generate_dataset(tmp_path / "b", small_spec)

    assert read_bytes(first.files) == read_bytes(second.files)


def test_another_seed_writes_different_files(tmp_path, small_spec):
    first = read_bytes(generate_dataset(tmp_path / "a", small_spec).files)
    second = read_bytes(generate_dataset(tmp_path / "b", replace(small_spec, seed=8)).files)

    assert {name: first[name] != second[name] for name in first} == dict.fromkeys(first, True)


def test_chunk_size_never_changes_the_output(tmp_path, small_spec):
    one_chunk = generate_dataset(tmp_path / "a", replace(small_spec, chunk_lines=10_000))
    tiny_chunks = generate_dataset(tmp_path / "b", replace(small_spec, chunk_lines=13))

    assert read_bytes(one_chunk.files) == read_bytes(tiny_chunks.files)


def test_gzip_output_holds_the_same_csv_as_plain_output(tmp_path, small_spec):
    plain = generate_dataset(tmp_path / "a", small_spec)
    compressed = generate_dataset(tmp_path / "b", replace(small_spec, gzip=True))

    unpacked = {
        path.name.removesuffix(".gz"): gzip.decompress(path.read_bytes())
        for paths in compressed.files.values()
        for path in paths
    }
    assert unpacked == read_bytes(plain.files)


def test_files_rows_and_headers_follow_the_contract(tmp_path, small_spec, read_rows):
    summary = generate_dataset(tmp_path, small_spec)

    names = {entity: [path.name for path in paths] for entity, paths in summary.files.items()}
    assert names == {
        "customers": ["customers.csv"],
        "products": ["products.csv"],
        "locations": ["locations.csv"],
        "sales": ["sales-0001.csv", "sales-0002.csv", "sales-0003.csv"],
    }
    assert summary.rows == {"customers": 120, "products": 40, "locations": 8, "sales": 3_000}
    for entity in RAW_ENTITIES:
        for path in summary.files[entity.name]:
            with path.open(encoding="utf-8", newline="") as handle:
                assert tuple(next(csv.reader(handle))) == entity.column_names
    sales_rows = [len(read_rows(path)) for path in summary.files["sales"]]
    assert sales_rows == [1_000, 1_000, 1_000]
    assert set(summary.defects.values()) == {0}


def test_one_sales_file_per_million_lines_by_default():
    assert [GeneratorSpec(sales_lines=n).sales_file_count for n in (1, 10**6, 10**6 + 1)] == [
        1,
        1,
        2,
    ]


def test_every_row_satisfies_the_contract_rules(tmp_path, small_spec, read_entities):
    rows = read_entities(generate_dataset(tmp_path, small_spec))

    assert_dimensions_are_valid(rows)
    assert_sales_are_valid(rows, small_spec)


def assert_dimensions_are_valid(rows: dict[str, list[dict[str, str]]]) -> None:
    for entity in RAW_ENTITIES:
        required = [column.name for column in entity.columns if column.required]
        assert [name for row in rows[entity.name] for name in required if not row[name]] == []
    emails = [row["email"] for row in rows["customers"]]
    assert [email for email in emails if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", email)] == []
    city_table = {(city.name, city.state, city.region) for city in CITIES}
    stores = {(row["city"], row["state"], row["region"]) for row in rows["locations"]}
    assert stores <= city_table
    assert {row["country"] for row in rows["locations"]} == {"USA"}
    assert [
        r
        for r in rows["locations"]
        if r["store_name"] != f"Store {r['location_id'][1:]} - {r['city']}"
    ] == []
    assert [row for row in rows["products"] if Decimal(row["unit_price"]) <= 0] == []


def assert_sales_are_valid(rows: dict[str, list[dict[str, str]]], spec: GeneratorSpec) -> None:
    known = {
        "customer_id": {row["customer_id"] for row in rows["customers"]},
        "product_id": {row["product_id"] for row in rows["products"]},
        "location_id": {row["location_id"] for row in rows["locations"]},
    }
    first_day = spec.end_date - timedelta(days=spec.days - 1)
    broken = []
    for row in rows["sales"]:
        quantity, price = int(row["quantity"]), Decimal(row["unit_price"])
        discount, tax = Decimal(row["discount_amount"] or 0), Decimal(row["tax_amount"])
        checks = [
            re.fullmatch(ID_PATTERNS["sale_id"], row["sale_id"]),
            first_day <= date.fromisoformat(row["sale_date"]) <= spec.end_date,
            all(row[column] in ids for column, ids in known.items()),
            1 <= quantity <= 10,
            0 <= discount <= quantity * price,
            tax
            == ((quantity * price - discount) * Decimal("0.08")).quantize(CENT, "ROUND_HALF_UP"),
        ]
        if not all(checks):
            broken.append((row, checks))
    assert broken == []
    assert len({row["sale_id"] for row in rows["sales"]}) == len(rows["sales"])


def test_natural_keys_are_numbered_ids(tmp_path, small_spec, read_entities):
    rows = read_entities(generate_dataset(tmp_path, small_spec))

    for entity in RAW_ENTITIES:
        pattern = ID_PATTERNS[entity.natural_key]
        keys = [row[entity.natural_key] for row in rows[entity.name]]
        assert [key for key in keys if not re.fullmatch(pattern, key)] == []
        assert keys == sorted(keys)


def test_names_with_commas_quotes_and_accents_round_trip(tmp_path, small_spec, read_entities):
    summary = generate_dataset(tmp_path, replace(small_spec, customers=600))

    customers = read_entities(summary)["customers"]
    assert {row["first_name"] for row in customers} == set(FIRST_NAMES)
    assert {row["last_name"] for row in customers} == set(LAST_NAMES)
    text = summary.files["customers"][0].read_text(encoding="utf-8")
    quoted = ('"Robert ""Bob"""', '"King, Jr."', '"Zoë"')
    assert [field for field in quoted if field not in text] == []


def test_weekends_sell_more_than_weekdays(tmp_path, small_spec, read_entities):
    spec = replace(small_spec, sales_lines=6_000, days=28)
    sales = read_entities(generate_dataset(tmp_path, spec))["sales"]
    days = [date.fromisoformat(row["sale_date"]) for row in sales]

    per_weekday = [sum(day.weekday() == weekday for day in days) for weekday in range(7)]
    assert min(per_weekday[5:]) > max(per_weekday[:5])


def test_stale_entity_files_in_the_folder_are_refused(tmp_path, small_spec):
    (tmp_path / "sales-0009.csv").write_text("sale_id\n", encoding="utf-8")

    with pytest.raises(SourceError, match=re.escape("sales-0009.csv")):
        generate_dataset(tmp_path, small_spec)


@pytest.mark.parametrize(
    "change",
    [
        {"seed": -1},  # seeds are non-negative, as numpy's SeedSequence needs
        {"customers": 0},  # a dimension needs at least one row
        {"sales_lines": 0},  # an empty sales file is not a data set
        {"defect_rate": 0.6},  # above half, bad rows would have no good rows to copy
        {"defect_rate": -0.1},  # a rate cannot be negative
        {"files_per_sales": 4, "sales_lines": 3},  # a file would be empty
    ],
)
def test_impossible_specs_are_rejected(change):
    with pytest.raises(ConfigError, match="GeneratorSpec"):
        GeneratorSpec(**change)
