"""The change data feed as the warehouse load reads it, from Delta tables in local folders."""

from pathlib import Path

import pyarrow as pa
from deltalake import DeltaTable, write_deltalake

from lakehouse.warehouse.apply_changes import feed_enabled, read_changes

FEED_ON = {"delta.enableChangeDataFeed": "true"}


def items(ids: list[str], prices: list[int]) -> pa.Table:
    return pa.table({"item_id": ids, "price": pa.array(prices, pa.int32())})


def test_read_changes_streams_rows_after_each_commit_and_deletes_without_pre_images(
    tmp_path: Path,
) -> None:
    write_deltalake(tmp_path, items(["A", "B"], [1, 2]), configuration=FEED_ON)
    (
        DeltaTable(tmp_path)
        .merge(items(["B", "C"], [3, 4]), "t.item_id = s.item_id", "s", "t")
        .when_matched_update_all()
        .when_not_matched_insert_all()
        .execute()
    )
    DeltaTable(tmp_path).delete("item_id = 'A'")

    batches = list(read_changes(DeltaTable(tmp_path), 1, 2, ["item_id", "price"]))

    rows = pa.Table.from_batches(batches).to_pylist()
    assert sorted(tuple(row.values()) for row in rows) == [
        ("A", 1, "delete", 2),
        ("B", 3, "update_postimage", 1),
        ("C", 4, "insert", 1),
    ]
    assert {batch.schema.field("item_id").type for batch in batches} == {pa.string()}


def test_feed_enabled_reads_the_table_property_of_the_version(tmp_path: Path) -> None:
    write_deltalake(tmp_path / "on", items(["A"], [1]), configuration=FEED_ON)
    write_deltalake(tmp_path / "off", items(["A"], [1]))

    assert feed_enabled(DeltaTable(tmp_path / "on"))
    assert not feed_enabled(DeltaTable(tmp_path / "off"))
