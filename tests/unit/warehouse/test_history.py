"""Whether the curated zone still holds the warehouse's history, from each side's facts."""

import pytest

from lakehouse.errors import HistoryLostError
from lakehouse.warehouse.history import (
    KeyRange,
    Lineage,
    LostHistory,
    history_lost_error,
    judge_replaced,
    judge_snapshot,
    trace_lineage,
)
from lakehouse.warehouse.loaded_versions import DeltaVersion

TABLE_ID = "5f0c1e2a"
AT_3 = DeltaVersion(TABLE_ID, 3)
#: Two days of sales in the warehouse: keys 1 to 6.
HELD = KeyRange(6, 1, 6)


@pytest.mark.parametrize(
    ("loaded", "current", "lineage"),
    [
        # the table the warehouse loaded, at the loaded version: nothing more to read
        (AT_3, AT_3, Lineage.SAME),
        # later versions of the same table (a run whose load has not happened yet)
        (AT_3, DeltaVersion(TABLE_ID, 9), Lineage.SAME),
        # no curated table at all
        (AT_3, None, Lineage.MISSING),
        (None, None, Lineage.MISSING),
        # another table at the same path: deleted and written again
        (AT_3, DeltaVersion("9a8b7c6d", 0), Lineage.REPLACED),
        # the same id at an older version than the loaded one: the log was rewritten
        (AT_3, DeltaVersion(TABLE_ID, 2), Lineage.REPLACED),
        # rows but no version recorded (the aws profile's COPY records none)
        (None, AT_3, Lineage.REPLACED),
    ],
)
def test_trace_lineage_tells_the_loaded_table_from_a_missing_or_replaced_one(
    loaded: DeltaVersion | None, current: DeltaVersion | None, lineage: Lineage
) -> None:
    assert trace_lineage(loaded, current) is lineage


@pytest.mark.parametrize(
    ("curated", "lost"),
    [
        # rebuilt from every ingest date: the same rows and keys
        (KeyRange(6, 1, 6), False),
        # rebuilt, and a newer day on top (more rows, a wider range)
        (KeyRange(9, 1, 9), False),
        # re-created from one new day: fewer rows
        (KeyRange(2, 1, 2), True),
        # as many rows, but the keys start again from 1 below the warehouse's last key
        (KeyRange(6, 1, 5), True),
        # as many rows, but keys only above the warehouse's first key
        (KeyRange(6, 2, 7), True),
        # an empty curated table
        (KeyRange(0), True),
        # no curated table
        (None, True),
    ],
)
def test_judge_replaced_passes_a_curated_table_with_the_warehouses_rows_and_key_range(
    curated: KeyRange | None, lost: bool
) -> None:
    loss = judge_replaced("sales_fact", HELD, curated)

    assert (loss is not None) is lost
    if loss is not None:
        assert (loss.table, loss.warehouse, loss.curated) == ("sales_fact", HELD, curated)


def test_an_empty_warehouse_table_loses_nothing_whatever_the_curated_side() -> None:
    assert judge_replaced("customer_dim", KeyRange(0), KeyRange(0)) is None


def test_judge_snapshot_reports_warehouse_keys_missing_from_the_snapshot_by_natural_key() -> None:
    staged = KeyRange(3, -1, 2)

    assert judge_snapshot("customer_dim", "customer_id", HELD, staged, 0) is None
    assert judge_snapshot("customer_dim", "customer_id", HELD, staged, 4) == LostHistory(
        "customer_dim",
        "4 of the warehouse's keys are not in the curated snapshot with the same customer_id",
        HELD,
        staged,
    )
    calendar = judge_snapshot("date_dim", None, HELD, staged, 1)
    assert calendar.what == "1 of the warehouse's keys are not in the curated snapshot"


def test_the_error_names_every_table_the_counts_on_each_side_and_the_ways_out() -> None:
    losses = [
        judge_replaced("sales_fact", KeyRange(2_000, 1, 2_000), None),
        judge_replaced("customer_dim", KeyRange(201, -1, 200), KeyRange(51, -1, 50)),
    ]

    error = history_lost_error(losses, "s3://acme-curated", "the run stopped")

    assert isinstance(error, HistoryLostError)
    assert str(error).splitlines() == [
        "the curated zone s3://acme-curated/ lacks history that the warehouse holds;"
        " the run stopped:",
        "  - sales_fact: no curated table (warehouse: 2,000 rows, keys 1..2000; curated: none)",
        "  - customer_dim: the curated table was re-created with fewer rows or keys"
        " (warehouse: 201 rows, keys -1..200; curated: 51 rows, keys -1..50)",
        "Ways out: restore the curated zone from a backup, then run again; or"
        " `lakehouse rebuild --yes` to re-create it from every ingest date still in the raw"
        " zone, then run again; or `lakehouse reset --yes` to empty the lake and the warehouse"
        " and start over on purpose.",
    ]
