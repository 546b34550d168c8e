"""Suites derived from the star schema: the checks of each table, and one query computing them."""

import sqlite3
from decimal import Decimal

from lakehouse.schema import STAR_TABLES, star_table
from validation.suites import ROW_COUNT, SUMMED_COLUMNS, as_metrics, metrics_query, star_suite

FACT = star_table("sales_fact")


def test_every_table_checks_rows_and_unique_keys_and_non_null_key_columns() -> None:
    for table in STAR_TABLES:
        suite = {check.metric: check for check in star_suite(table, table.columns)}

        assert suite[ROW_COUNT].meaning == "the table has rows"
        assert (suite[ROW_COUNT].minimum, suite[ROW_COUNT].maximum) == (1, None)
        assert suite[f"duplicate_{table.key}"].meaning == f"{table.key} is unique"
        assert suite[f"null_{table.key}"].meaning == f"{table.key} is set"
        if table.natural_key:
            assert suite[f"duplicate_{table.natural_key}"].maximum == 0


def test_the_fact_suite_checks_measures_net_and_a_reference_to_each_dimension() -> None:
    suite = star_suite(FACT, FACT.warehouse_columns)
    meanings = [check.meaning for check in suite]

    assert [c.metric for c in suite if c.metric.startswith("negative_")] == [
        f"negative_{name}" for name in SUMMED_COLUMNS
    ]
    assert meanings[-5:] == [
        "net_amount = gross_amount - discount + tax_amount",
        "every customer_key is in customer_dim",
        "every product_key is in product_dim",
        "every location_key is in location_dim",
        "every date_key is in date_dim",
    ]
    assert "null_sale_month" not in {check.metric for check in suite}  # curated-only column


def test_given_curated_totals_the_suite_expects_the_same_rows_and_exact_sums() -> None:
    totals = {"rows": 3, **dict.fromkeys(SUMMED_COLUMNS, Decimal("12.30"))}

    suite = {check.metric: check for check in star_suite(FACT, FACT.warehouse_columns, totals)}

    assert (suite[ROW_COUNT].minimum, suite[ROW_COUNT].maximum) == (3, 3)
    assert suite[ROW_COUNT].expected() == "3"
    for name in SUMMED_COLUMNS:
        assert suite[f"{name}_difference"].aggregate == f"coalesce(sum(t.{name}), 0) - 12.30"
        assert suite[f"{name}_difference"].expected() == "0"


def test_one_query_finds_each_broken_row_of_the_fact() -> None:
    """Run on SQLite: the query is plain SQL, as in Spark and PostgreSQL."""
    database = sqlite3.connect(":memory:")
    for table in STAR_TABLES:
        columns = ", ".join(column.name for column in table.warehouse_columns)
        database.execute(f"create table {table.name} ({columns})")
    for dim in STAR_TABLES[:-1]:
        database.execute(f"insert into {dim.name} ({dim.key}) values (1), (1)")
    values = "?, " * (len(FACT.warehouse_columns) - 1) + "?"
    database.executemany(
        f"insert into sales_fact values ({values})",
        [
            (1, "S1", 1, 1, 1, 1, 2, 10, 1, 1, 10),  # sound
            (1, "S2", 1, 7, 1, 1, 2, 10, 1, 1, 99),  # duplicate key, unknown product, broken net
            (3, None, 1, 1, 1, 1, -1, 10, 1, 1, 10),  # no sale_id, negative quantity
        ],
    )
    suite = star_suite(FACT, FACT.warehouse_columns)

    cursor = database.execute(metrics_query(FACT, suite, str))
    names = [column[0] for column in cursor.description]
    metrics = as_metrics(dict(zip(names, cursor.fetchone(), strict=True)))

    assert {name: value for name, value in metrics.items() if value} == {
        ROW_COUNT: 3,  # the dimensions' duplicate keys do not multiply the fact's rows
        "duplicate_sale_key": 1,
        "null_sale_id": 1,
        "negative_quantity": 1,
        "broken_net_amount": 1,
        "orphan_product_key": 1,
    }


def test_a_sum_difference_becomes_a_plain_number() -> None:
    assert as_metrics({"row_count": 2, "net_amount_difference": Decimal("-0.01")}) == {
        "row_count": 2,
        "net_amount_difference": -0.01,
    }


def test_without_great_expectations_the_suites_bounds_judge_the_metrics_as_its_lines_say() -> None:
    from validation.run_suites import judge_table_suites

    table = star_table("location_dim")
    suite = star_suite(table, table.warehouse_columns, {"rows": 2})
    good = {check.metric: check.minimum for check in suite} | {ROW_COUNT: 2}
    bad = {**good, ROW_COUNT: 3}

    passed = judge_table_suites({table.name: suite}, {table.name: good})
    failed = judge_table_suites({table.name: suite}, {table.name: bad})

    assert (passed.failures, passed.rows) == ([], {table.name: 2})
    assert len(failed.failures) == 1
    assert failed.failures[0].startswith("location_dim: ")
    assert "found row_count = 3, expected 2" in failed.failures[0]
