"""How a load brings a warehouse table up to its curated table: skip, incremental or full."""

import pytest

from lakehouse.warehouse.loaded_versions import DeltaVersion, LoadMode, plan_load

TABLE_ID = "5f0c1e2a"
AT_3 = DeltaVersion(TABLE_ID, 3)


@pytest.mark.parametrize(
    ("loaded", "current", "warehouse_empty", "mode"),
    [
        # nothing recorded yet: the first load copies the snapshot
        (None, AT_3, False, LoadMode.FULL),
        # the warehouse table was emptied: the feed since the loaded version would not refill it
        (AT_3, DeltaVersion(TABLE_ID, 5), True, LoadMode.FULL),
        # another table at the same path (deleted and written again)
        (AT_3, DeltaVersion("9a8b7c6d", 5), False, LoadMode.FULL),
        # the same id but an older version than the loaded one: the log was rewritten
        (DeltaVersion(TABLE_ID, 7), AT_3, False, LoadMode.FULL),
        # the warehouse holds the current version already
        (AT_3, AT_3, False, LoadMode.SKIP),
        # newer versions of the same table: apply their changes
        (AT_3, DeltaVersion(TABLE_ID, 4), False, LoadMode.INCREMENTAL),
        (AT_3, DeltaVersion(TABLE_ID, 40), False, LoadMode.INCREMENTAL),
    ],
)
def test_plan_load_picks_a_full_reload_unless_the_feed_since_the_loaded_version_is_the_tables(
    loaded: DeltaVersion | None, current: DeltaVersion, warehouse_empty: bool, mode: LoadMode
) -> None:
    assert plan_load(loaded, current, warehouse_empty) is mode


def test_plan_load_reloads_an_empty_warehouse_table_even_at_the_loaded_version() -> None:
    assert plan_load(AT_3, AT_3, warehouse_empty=True) is LoadMode.FULL
