"""The derived SQL (sale lines, daily tables, marts, bi) is created and refreshed in dependency
order."""

import re

from lakehouse.warehouse.create_schema import drop_changed_kinds_sql, warehouse_ddl
from lakehouse.warehouse.sql_files import (
    daily_tables,
    derived_kinds,
    materialized_views,
    read_derived_files,
)

CREATED = re.compile(
    r"create (?:materialized view if not exists|or replace view|table if not exists) ([\w.]+)"
)
READ = re.compile(r"\bfrom ((?:bi|star)\.\w+)")


def derived_objects() -> list[tuple[str, set[str]]]:
    """``(schema.name, relations it reads)`` of every derived object, in creation order."""
    return [(CREATED.search(sql)[1], set(READ.findall(sql))) for _, sql in read_derived_files()]


def test_each_derived_object_reads_only_star_tables_and_objects_created_before_it() -> None:
    objects = derived_objects()
    derived, created = {name for name, _ in objects}, []
    for name, reads in objects:
        derived_reads = reads & derived
        assert derived_reads <= set(created), f"{name} reads {derived_reads - set(created)}"
        created.append(name)


def test_the_sale_lines_are_a_view_the_daily_slices_tables_and_the_marts_materialized() -> None:
    assert derived_kinds() == {
        "bi.base_sales_lines": "v",
        "bi.customer_daily_totals": "r",
        "bi.customer_first_purchases": "r",
        "bi.product_daily_sales": "r",
        "bi.store_daily_sales": "r",
        "star.mv_daily_sales_summary": "m",
        "star.mv_product_performance": "m",
        "bi.customer_daily_sales": "v",
        "bi.daily_sales": "v",
        "bi.product_monthly_rank": "v",
    }
    assert materialized_views() == ["star.mv_daily_sales_summary", "star.mv_product_performance"]


def test_each_daily_table_holds_a_query_of_the_sale_lines_by_sale_date() -> None:
    for table in daily_tables():
        assert dict(derived_objects())[table.name] == {"bi.base_sales_lines"}
        assert table.query.startswith("with\n")
        assert "sale_date" in table.query
        assert "with no data" not in table.query


def test_the_marts_sum_the_daily_tables_instead_of_the_sale_lines() -> None:
    reads = dict(derived_objects())

    assert reads["star.mv_daily_sales_summary"] == {"bi.store_daily_sales"}
    assert reads["star.mv_product_performance"] == {"bi.product_daily_sales", "star.date_dim"}


def test_objects_of_another_kind_than_the_ddl_makes_are_dropped_before_the_derived_ddl() -> None:
    names = [name for name, _ in warehouse_ddl()]
    drop = drop_changed_kinds_sql()

    assert names.index("changed kinds (generated)") + 1 == names.index("base_sales_lines.sql")
    assert all(f"('{name}', '{kind}')" in drop for name, kind in derived_kinds().items())
    assert "classes.relkind <> wanted.relkind" in drop
