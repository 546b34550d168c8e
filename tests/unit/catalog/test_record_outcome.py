"""Run outcomes as Glue table parameters, and a crawler that keeps them."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lakehouse.catalog.record_outcome import outcome_parameters
from lakehouse.catalog.table_definition import extract_definition


@dataclass
class Run:
    run_id: str = "20240630-010203-abcdef"
    run_date: date = date(2024, 6, 30)
    status: str = "succeeded"
    entities: dict[str, Any] = field(default_factory=dict)


@dataclass
class Counts:
    rows_read: int = 10
    rows_loaded: int = 7
    rows_quarantined: int = 2
    rows_duplicate: int = 1


def test_outcome_parameters_are_prefixed_strings_with_the_counts() -> None:
    assert outcome_parameters(Run(), Counts()) == {
        "lakehouse_last_run_id": "20240630-010203-abcdef",
        "lakehouse_last_run_date": "2024-06-30",
        "lakehouse_last_outcome": "succeeded",
        "lakehouse_rows_read": "10",
        "lakehouse_rows_loaded": "7",
        "lakehouse_rows_quarantined": "2",
        "lakehouse_rows_duplicate": "1",
    }


def test_a_failed_run_without_counts_records_only_its_id_date_and_outcome() -> None:
    parameters = outcome_parameters(Run(status="failed"), None)

    assert sorted(parameters) == [
        "lakehouse_last_outcome",
        "lakehouse_last_run_date",
        "lakehouse_last_run_id",
    ]


def test_the_crawler_sees_no_change_in_a_table_that_only_gained_run_parameters() -> None:
    crawled = {"Name": "sales", "Parameters": {"classification": "csv"}}
    recorded = {**crawled, "Parameters": {"classification": "csv", "lakehouse_last_run_id": "r1"}}

    assert extract_definition(recorded) == extract_definition(crawled)
