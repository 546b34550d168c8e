"""End to end: `lakehouse run` on a defect-laden folder, then on a batch over the threshold.

The folder covers every reason code of the contract, exact and conflicting duplicates, unknown
and missing foreign keys, a gzip file, quoted fields with commas and quotes, and non-ASCII
names. What must happen to each line is written out here by hand; the expected star totals are
computed from the lines that must load, with Python's csv and decimal modules only.
"""

import gzip
import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psycopg
import pytest
from pyspark.sql import SparkSession

from lakehouse.config import Settings
from lakehouse.ingest.raw_zone import list_keys
from lakehouse.resources.aws import make_client
from lakehouse.resources.warehouse import read_credentials
from tests.helpers.cli import run_lakehouse
from tests.helpers.lake import drop_catalog_lake, lake_cli_env, make_catalog_lake
from tests.helpers.totals import expected_totals, warehouse_totals

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
RUN_DATE = date(2024, 6, 30)

CUSTOMERS = '''\
customer_id,first_name,last_name,email,city,state,signup_date
C1,José,Müller,Jose@Example.com,"Austin, Downtown",TX,2023-01-05
C2,"Anne ""Nan""",O'Brien,anne@example.com,Dallas,TX,2023-02-01
C3,Zoë,Łukasz,not-an-email,Paris,,2023-03-01
C4,,Smith,c4@example.com,,,
C5,Ann,Lee,c5@example.com,,,2023-13-01
C6,Bob,Ray,c6@example.com,,,01/02/2023
C7,Eve,Fox,eve@example.com,,,
C7,Eve,Fox,eve@new.example.com,,,
C2,"Anne ""Nan""",O'Brien,anne@example.com,Dallas,TX,2023-02-01
'''
PRODUCTS = '''\
product_id,product_name,category,subcategory,brand,unit_price
P1,Desk,Office,Furniture,Acme,199.99
P2,"Lamp, ""Brite""",Office,Lighting,Brite,20
P3,Chair,Office,Furniture,Acme,-5
,Nameless,Office,,,1
P4,Pen,Office,,,abc
'''
LOCATIONS = """\
location_id,store_name,city,state,region,country
L1,Zürich Hauptbahnhof,Zürich,ZH,Europe,CH
L2,Downtown,Austin,TX,South,US
L3,,Dallas,TX,South,US
"""
SALES_HEADER = (
    "sale_id,sale_date,customer_id,product_id,location_id,quantity,unit_price,"
    "discount_amount,tax_amount"
)
#: (line, what becomes of it): "loaded", "duplicate" or the reason codes it is quarantined with.
SALES_LINES = [
    ("S01,2024-06-01,C1,P1,L1,2,10.005,,", "loaded"),
    ("S02,2024-06-02,C2,P2,L2,1,20,1.50,1.65", "loaded"),
    ("S03,2024-06-03,C99,P1,L1,3,19.99,5,4.4950", "loaded"),  # unknown customer
    ("S04,2024-06-04,,P2,L2,1,20,,", "loaded"),  # missing customer
    ("S05,2024-06-05,C1,P99,L9,1,5,,", "loaded"),  # unknown product and location
    ("S06,2024-06-06,C1,,,1,5,,", "loaded"),  # missing product and location
    (",2024-06-07,C1,P1,L1,1,1,,", ["missing:sale_id"]),
    ("S08,2024-06-08,C1,P1,L1,x,1,,", ["unparsable:quantity"]),
    ("S09,2024-06-09,C1,P1,L1,1,1.2.3,,", ["unparsable:unit_price"]),
    ("S10,2024-02-30,C1,P1,L1,1,1,,", ["unparsable:sale_date"]),
    ("S11,06/11/2024,C1,P1,L1,1,1,,", ["bad_date_format:sale_date"]),
    ("S12,1999-12-31,C1,P1,L1,1,1,,", ["sale_date_out_of_window"]),
    ("S13,2024-07-02,C1,P1,L1,1,1,,", ["sale_date_out_of_window"]),  # run date + 2 days
    ("S14,2024-06-14,C1,P1,L1,0,1,,", ["below_minimum:quantity"]),
    ("S15,2024-06-15,C1,P1,L1,-2,1,,", ["below_minimum:quantity"]),
    ("S16,2024-06-16,C1,P1,L1,1,10,12,", ["discount_above_gross"]),
    ("S17,2024-06-17,C1,P1,L1,1,10,,-1", ["below_minimum:tax_amount"]),
    ("S18,2024-06-18,C1,P1,L1,1,10,-1,", ["below_minimum:discount_amount"]),
    ("S01,2024-06-01,C1,P1,L1,2,10.005,,", "duplicate"),  # exact copy of the first line
    ("S19,2024-06-19,C2,P1,L2,1,10,,", ["superseded_duplicate"]),
    ("S19,2024-06-19,C2,P1,L2,4,10,,0.40", "loaded"),  # the last S19 in file order wins
    ("S20,2024-07-01,C1,P1,L1,1,1,,", "loaded"),  # run date + 1 day is inside the window
    (
        "S21,1/2/2024,C1,P1,L1,0,abc,,",
        ["bad_date_format:sale_date", "below_minimum:quantity", "unparsable:unit_price"],
    ),
]
#: Every quarantined line: (entity, line number with the header as line 1, reason codes).
QUARANTINED = sorted(
    [
        ("customers", 4, ["malformed_email:email"]),
        ("customers", 5, ["missing:first_name"]),
        ("customers", 6, ["unparsable:signup_date"]),
        ("customers", 7, ["bad_date_format:signup_date"]),
        ("customers", 8, ["superseded_duplicate"]),
        ("products", 4, ["below_minimum:unit_price"]),
        ("products", 5, ["missing:product_id"]),
        ("products", 6, ["unparsable:unit_price"]),
        ("locations", 4, ["missing:store_name"]),
    ]
    + [
        ("sales", line, fate)
        for line, (_, fate) in enumerate(SALES_LINES, start=2)
        if isinstance(fate, list)
    ]
)
#: (entity, read, loaded, quarantined, duplicate) per entity.
COUNTS = [
    ("customers", 9, 3, 5, 1),
    ("locations", 3, 2, 1, 0),
    ("products", 5, 2, 3, 0),
    ("sales", 23, 8, 14, 1),
]
ORPHANS = {"customer_dim": 2, "product_dim": 2, "location_dim": 2}
LATEST_RUN = "select {columns} from audit.pipeline_runs order by started_at desc limit 1"
GATES = ["curated_suite", "quality_checks", "quarantine_threshold", "raw_schema", "reconciliation"]


@dataclass
class DefectRun:
    lake: Settings
    env: dict[str, str]
    dsn: str
    result: subprocess.CompletedProcess
    run_id: str
    expected: dict


def write_source(folder: Path, sales_lines: list[str]) -> None:
    """The four entities' files; products gzip-compressed."""
    folder.mkdir(parents=True)
    (folder / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    (folder / "products.csv.gz").write_bytes(gzip.compress(PRODUCTS.encode()))
    (folder / "locations.csv").write_text(LOCATIONS, encoding="utf-8")
    (folder / "sales.csv").write_text("\n".join([SALES_HEADER, *sales_lines]) + "\n")


def query(dsn: str, sql: str, *params: object) -> list[tuple]:
    with psycopg.connect(dsn) as connection:
        return connection.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def defect_run(
    stack: Settings, cli_env: dict[str, str], spark: SparkSession, tmp_path_factory
) -> Iterator[DefectRun]:
    """One run on the defect folder, in a lake of its own, with a threshold its share passes.

    The CLI runs in this process, on the suite's Spark session.
    """
    lake = make_catalog_lake(stack)
    # COLUMNS: rich wraps the CLI's messages at the terminal width, 80 without a terminal
    env = lake_cli_env(cli_env, lake) | {"LAKEHOUSE_QUARANTINE_THRESHOLD": "0.75", "COLUMNS": "400"}
    root = tmp_path_factory.mktemp("defects")
    write_source(root / "batch", [line for line, _ in SALES_LINES])
    expected = root / "expected"
    expected.mkdir()
    (expected / "locations.csv").write_text(LOCATIONS, encoding="utf-8")
    loaded = [line for line, fate in SALES_LINES if fate == "loaded"]
    (expected / "sales.csv").write_text("\n".join([SALES_HEADER, *loaded]) + "\n")
    dsn = read_credentials(lake).dsn
    result = run_lakehouse(env, root / "batch", RUN_DATE)
    [(run_id,)] = query(dsn, LATEST_RUN.format(columns="run_id"))
    yield DefectRun(lake, env, dsn, result, run_id, expected_totals(expected))
    drop_catalog_lake(lake)


def test_a_defect_laden_folder_loads_every_valid_row_and_the_run_succeeds(
    defect_run: DefectRun,
) -> None:
    assert defect_run.result.returncode == 0, defect_run.result.stdout + defect_run.result.stderr
    assert f"Run {defect_run.run_id} for {RUN_DATE}: succeeded" in defect_run.result.stdout
    assert warehouse_totals(defect_run.dsn) == defect_run.expected


def test_every_invalid_row_is_in_audit_quarantine_whole_with_its_reasons(
    defect_run: DefectRun,
) -> None:
    rows = query(
        defect_run.dsn,
        "select entity, line_number, reasons, source_file, record from audit.quarantine"
        " where run_id = %s order by entity, line_number",
        defect_run.run_id,
    )

    assert [(entity, line, reasons) for entity, line, reasons, *_ in rows] == QUARANTINED
    files = {entity: source.rsplit("/", 1)[-1] for entity, _, _, source, _ in rows}
    assert files == {
        "customers": "customers.csv",
        "products": "products.csv.gz",
        "locations": "locations.csv",
        "sales": "sales.csv",
    }
    zoe = next(record for entity, line, *_, record in rows if (entity, line) == ("customers", 4))
    assert zoe == {
        "customer_id": "C3",
        "first_name": "Zoë",
        "last_name": "Łukasz",
        "email": "not-an-email",
        "city": "Paris",
        "state": None,
        "signup_date": "2023-03-01",
    }


def test_quarantined_rows_are_also_json_lines_in_the_raw_zone(defect_run: DefectRun) -> None:
    s3 = make_client(defect_run.lake, "s3")
    lines = 0
    for entity in ("customers", "products", "locations", "sales"):
        prefix = f"_quarantine/{entity}/run_id={defect_run.run_id}/"
        for key in list_keys(s3, defect_run.lake.raw_bucket, prefix):
            if key.endswith(".json"):
                body = s3.get_object(Bucket=defect_run.lake.raw_bucket, Key=key)["Body"].read()
                lines += sum(1 for line in body.splitlines() if json.loads(line)["reasons"])
    assert lines == len(QUARANTINED)


def test_audit_tables_reconcile_count_orphans_and_record_every_gate_as_passed(
    defect_run: DefectRun,
) -> None:
    counts = query(
        defect_run.dsn,
        "select entity, rows_read, rows_loaded, rows_quarantined, rows_duplicate, orphans"
        " from audit.entity_counts where run_id = %s order by entity",
        defect_run.run_id,
    )
    gates = query(
        defect_run.dsn,
        "select gate, outcome from audit.gate_outcomes where run_id = %s order by gate",
        defect_run.run_id,
    )

    assert [row[:5] for row in counts] == COUNTS
    assert counts[-1][5] == ORPHANS
    assert gates == [(gate, "passed") for gate in GATES]


def test_dimensions_keep_quoted_and_non_ascii_text_and_the_last_conflicting_row(
    defect_run: DefectRun,
) -> None:
    customers = query(
        defect_run.dsn,
        "select customer_id, full_name, email, city from star.customer_dim"
        " where customer_key <> -1 order by customer_id",
    )
    products = query(
        defect_run.dsn,
        "select product_id, product_name from star.product_dim"
        " where product_key <> -1 order by product_id",
    )

    assert customers == [
        ("C1", "José Müller", "jose@example.com", "Austin, Downtown"),
        ("C2", 'Anne "Nan" O\'Brien', "anne@example.com", "Dallas"),
        ("C7", "Eve Fox", "eve@new.example.com", None),
    ]
    assert products == [("P1", "Desk"), ("P2", 'Lamp, "Brite"')]


def test_the_catalog_tables_carry_the_latest_run_and_its_counts(defect_run: DefectRun) -> None:
    glue = make_client(defect_run.lake, "glue")
    table = glue.get_table(DatabaseName=defect_run.lake.glue_database, Name="sales")["Table"]

    assert {k: v for k, v in table["Parameters"].items() if k.startswith("lakehouse_")} == {
        "lakehouse_last_run_id": defect_run.run_id,
        "lakehouse_last_run_date": RUN_DATE.isoformat(),
        "lakehouse_last_outcome": "succeeded",
        "lakehouse_rows_read": "23",
        "lakehouse_rows_loaded": "8",
        "lakehouse_rows_quarantined": "14",
        "lakehouse_rows_duplicate": "1",
    }
    assert table["Parameters"]["classification"] == "csv"


def test_the_data_docs_are_published_to_the_curated_bucket(defect_run: DefectRun) -> None:
    s3 = make_client(defect_run.lake, "s3")
    keys = list_keys(s3, defect_run.lake.curated_bucket, "_data_docs/")

    assert "_data_docs/index.html" in keys
    assert any(f"/{defect_run.run_id}/" in key for key in keys)


def test_a_batch_over_the_threshold_fails_clearly_and_leaves_the_warehouse_as_it_was(
    defect_run: DefectRun, tmp_path: Path
) -> None:
    before = warehouse_totals(defect_run.dsn)
    good = [line for line, fate in SALES_LINES if fate == "loaded"]
    write_source(tmp_path / "over", [*good, ",2024-06-07,C1,P1,L1,1,1,,"])
    env = {**defect_run.env, "LAKEHOUSE_QUARANTINE_THRESHOLD": "0.05"}

    result = run_lakehouse(env, tmp_path / "over", RUN_DATE)

    assert result.returncode == 1
    message = " ".join(result.stderr.split())
    assert "gate quarantine_threshold failed (threshold 5.0%)" in message
    assert "sales: 1 of 9 rows quarantined (11.1%); top reasons: missing:sale_id (1)" in message
    assert f"s3://{defect_run.lake.raw_bucket}/_quarantine/sales/run_id=" in message
    assert warehouse_totals(defect_run.dsn) == before
    [(status, step)] = query(defect_run.dsn, LATEST_RUN.format(columns="status, failed_step"))
    assert (status, step) == ("failed", "run_glue_etl")
