"""The derived SQL (sale lines, marts, bi) is created and refreshed in dependency order."""

import re

from lakehouse.warehouse.create_schema import drop_replaced_views_sql, warehouse_ddl
from lakehouse.warehouse.sql_files import materialized_views, read_derived_files

CREATED = re.compile(r"create (?:materialized view if not exists|or replace view) ([\w.]+)")
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


def test_materialized_views_are_the_sale_lines_the_marts_and_the_daily_bi_views_in_order() -> None:
    assert materialized_views() == [
        "bi.base_sales_lines",
        "star.mv_daily_sales_summary",
        "star.mv_product_performance",
        "bi.customer_daily_sales",
        "bi.product_daily_sales",
        "bi.store_daily_sales",
    ]


def test_the_daily_summary_aggregates_the_sale_lines_instead_of_joining_the_star() -> None:
    reads = dict(derived_objects())["star.mv_daily_sales_summary"]

    assert reads == {"bi.base_sales_lines"}


def test_plain_views_of_the_materialized_views_names_are_dropped_before_the_derived_ddl() -> None:
    names = [name for name, _ in warehouse_ddl()]
    drop = drop_replaced_views_sql()

    assert names.index("replaced views (generated)") + 1 == names.index("base_sales_lines.sql")
    assert all(f"'{name}'" in drop for name in materialized_views())
    assert "pg_catalog.pg_views" in drop  # plain views only, never a materialized view
