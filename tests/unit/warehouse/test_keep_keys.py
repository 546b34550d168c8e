"""The load-time check's SQL and verdict: every warehouse key must be in the staged snapshot."""

from lakehouse.schema.star import DATE_DIM, PRODUCT_DIM
from lakehouse.warehouse.history import KeyRange
from lakehouse.warehouse.keep_keys import (
    KEPT_KEYS_COLUMNS,
    judge_kept_keys,
    kept_keys_sql,
    stage_name,
)


def test_the_anti_join_matches_each_key_with_its_natural_key_where_the_table_has_one() -> None:
    product = kept_keys_sql(PRODUCT_DIM, stage_name(PRODUCT_DIM))
    calendar = kept_keys_sql(DATE_DIM, stage_name(DATE_DIM))

    assert "from star.product_dim as t" in product
    assert "where s.product_key = t.product_key and s.product_id = t.product_id" in product
    assert "where s.date_key = t.date_key\n" in calendar
    assert product.endswith(
        f"select {', '.join(KEPT_KEYS_COLUMNS)}\nfrom held cross join staged cross join lost"
    )


def test_judge_kept_keys_reads_both_sides_and_the_missing_count_from_the_checks_row() -> None:
    assert judge_kept_keys(PRODUCT_DIM, (3, -1, 2, 3, -1, 2, 0)) is None
    loss = judge_kept_keys(PRODUCT_DIM, (3, -1, 2, 2, -1, 1, 1))
    assert (loss.table, loss.warehouse, loss.curated) == (
        "product_dim",
        KeyRange(3, -1, 2),
        KeyRange(2, -1, 1),
    )
