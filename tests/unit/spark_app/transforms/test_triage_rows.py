"""Every raw row ends loaded, quarantined or dropped as an exact duplicate (CONTRACT.md 2)."""

from datetime import date

import pytest
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import types as T

from lakehouse.schema import raw_entity
from spark_app.extract import LINE_NUMBER, RECORD, SOURCE_FILE
from spark_app.transforms.triage_rows import (
    REASONS,
    STATUS,
    count_outcomes,
    quarantine_records,
    triage_rows,
)
from tests.helpers.frames import local_frame

CUSTOMERS = raw_entity("customers")
RUN_DATE = date(2024, 3, 1)
RAW_SCHEMA = T.StructType(
    [T.StructField(name, T.StringType()) for name in CUSTOMERS.column_names]
    + [
        T.StructField(SOURCE_FILE, T.StringType()),
        T.StructField(LINE_NUMBER, T.IntegerType()),
        T.StructField(RECORD, T.MapType(T.StringType(), T.StringType())),
    ]
)


def sorted_rows(frame: DataFrame, *columns: str) -> list[tuple]:
    return sorted(tuple(row) for row in frame.select(*columns).collect())


def raw_frame(spark: SparkSession, rows: list[tuple[str, int, dict[str, str | None]]]) -> DataFrame:
    """Raw customer rows from (file, line, values); the record holds the values as read."""
    data = []
    for source_file, line, values in rows:
        full = {name: values.get(name) for name in CUSTOMERS.column_names}
        data.append((*full.values(), source_file, line, full))
    return local_frame(spark, data, RAW_SCHEMA)


def customer(customer_id: str | None, first_name: str | None, **extra: str) -> dict:
    return {"customer_id": customer_id, "first_name": first_name, "last_name": "Lee", **extra}


@pytest.fixture(scope="module")
def triaged(spark: SparkSession) -> DataFrame:
    rows = [
        ("a.csv", 2, customer("C1", "Ann")),
        ("a.csv", 3, customer("C1", "Ann")),  # exact duplicate of line 2
        ("a.csv", 4, customer("C2", "Bob")),
        ("a.csv", 5, customer("C2", "Robert")),  # conflicts with line 4
        ("a.csv", 6, customer("C3", None)),  # missing first name
        ("a.csv", 7, customer("C4", "Dee", email="not-an-email")),
        ("b.csv", 2, customer("C2", "Bobby")),  # a later file: the last C2 in file order
        ("b.csv", 3, customer("C1", "Ann")),  # exact duplicate across files
        ("b.csv", 4, customer("C5", "Eve")),
    ]
    return triage_rows(raw_frame(spark, rows), CUSTOMERS, RUN_DATE).cache()


def test_triage_keeps_the_first_exact_duplicate_and_lets_the_last_conflicting_row_win(
    triaged: DataFrame,
) -> None:
    assert sorted_rows(triaged, SOURCE_FILE, LINE_NUMBER, "customer_id", STATUS, REASONS) == [
        ("a.csv", 2, "C1", "loaded", []),
        ("a.csv", 3, "C1", "duplicate", []),
        ("a.csv", 4, "C2", "quarantined", ["superseded_duplicate"]),
        ("a.csv", 5, "C2", "quarantined", ["superseded_duplicate"]),
        ("a.csv", 6, "C3", "quarantined", ["missing:first_name"]),
        ("a.csv", 7, "C4", "quarantined", ["malformed_email:email"]),
        ("b.csv", 2, "C2", "loaded", []),
        ("b.csv", 3, "C1", "duplicate", []),
        ("b.csv", 4, "C5", "loaded", []),
    ]


def test_triage_keeps_the_record_as_read_of_quarantined_rows_only(triaged: DataFrame) -> None:
    records = sorted_rows(triaged, SOURCE_FILE, LINE_NUMBER, STATUS, RECORD)

    assert [(file, line) for file, line, status, record in records if record] == [
        (file, line) for file, line, status, _ in records if status == "quarantined"
    ]
    assert ("a.csv", 7, "quarantined", customer("C4", "Dee", email="not-an-email")) in [
        (file, line, status, {k: v for k, v in record.items() if v is not None})
        for file, line, status, record in records
        if record
    ]


def test_triage_counts_reconcile_with_the_rows_read(triaged: DataFrame) -> None:
    [(statuses, reasons)] = count_outcomes({"customers": triaged}).values()

    assert statuses == {"loaded": 3, "quarantined": 4, "duplicate": 2}
    assert sum(statuses.values()) == triaged.count()
    assert reasons == {
        "superseded_duplicate": 2,
        "missing:first_name": 1,
        "malformed_email:email": 1,
    }


def test_triage_keeps_the_earlier_valid_row_when_the_later_one_breaks_a_rule(
    spark: SparkSession,
) -> None:
    rows = [
        ("a.csv", 2, customer("C1", "Ann")),
        ("a.csv", 3, customer("C1", "Ann", email="broken")),
    ]

    result = triage_rows(raw_frame(spark, rows), CUSTOMERS, RUN_DATE)

    assert sorted_rows(result, LINE_NUMBER, STATUS, REASONS) == [
        (2, "loaded", []),
        (3, "quarantined", ["malformed_email:email"]),
    ]


def test_count_outcomes_lists_every_status_and_counts_a_row_under_each_of_its_reasons(
    spark: SparkSession,
) -> None:
    rows = [
        ("a.csv", 2, customer("C1", None, email="broken")),  # two reasons
        ("a.csv", 3, customer("C2", None)),
    ]

    triaged = triage_rows(raw_frame(spark, rows), CUSTOMERS, RUN_DATE)
    [(statuses, reasons)] = count_outcomes({"customers": triaged}).values()

    assert statuses == {"loaded": 0, "quarantined": 2, "duplicate": 0}
    assert reasons == {"missing:first_name": 2, "malformed_email:email": 1}


def test_triage_treats_every_row_without_a_natural_key_as_quarantined_not_as_duplicates(
    spark: SparkSession,
) -> None:
    rows = [
        ("a.csv", 2, customer(None, "Ann")),
        ("a.csv", 3, customer(None, "Bob")),
    ]

    result = triage_rows(raw_frame(spark, rows), CUSTOMERS, RUN_DATE)

    assert sorted_rows(result, LINE_NUMBER, STATUS, REASONS) == [
        (2, "quarantined", ["missing:customer_id"]),
        (3, "quarantined", ["missing:customer_id"]),
    ]


def test_quarantine_records_hold_the_whole_row_with_run_file_line_and_reasons(
    triaged: DataFrame,
) -> None:
    records = quarantine_records(triaged, CUSTOMERS, "run-1")
    rows = [
        (r.run_id, r.entity, r.source_file, r.line_number, r.reasons, r.record)
        for r in records.collect()
    ]

    assert records.columns == [
        "run_id",
        "entity",
        "source_file",
        "line_number",
        "reasons",
        "record",
    ]
    assert sorted(rows, key=lambda row: (row[2], row[3])) == [
        (
            "run-1",
            "customers",
            "a.csv",
            line,
            reasons,
            {name: customer(cid, first, **extra).get(name) for name in CUSTOMERS.column_names},
        )
        for line, cid, first, extra, reasons in [
            (4, "C2", "Bob", {}, ["superseded_duplicate"]),
            (5, "C2", "Robert", {}, ["superseded_duplicate"]),
            (6, "C3", None, {}, ["missing:first_name"]),
            (7, "C4", "Dee", {"email": "not-an-email"}, ["malformed_email:email"]),
        ]
    ]
