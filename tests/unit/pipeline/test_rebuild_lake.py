"""Which ingest dates a rebuild replays, read from the raw zone's folder names."""

from datetime import date

from lakehouse.pipeline.rebuild_lake import parse_ingest_dates


def test_ingest_dates_come_sorted_and_once_each_and_other_folders_are_ignored() -> None:
    folders = [
        "ingest_date=2024-06-30",
        "ingest_date=2024-06-28",
        "ingest_date=2024-06-30",  # the same date under another entity
        "ingest_date=2024-6-29",  # not YYYY-MM-DD
        "run_id=20240628-1",
        "_manifests",
    ]

    assert parse_ingest_dates(folders) == [date(2024, 6, 28), date(2024, 6, 30)]


def test_no_folders_give_no_dates() -> None:
    assert parse_ingest_dates([]) == []
