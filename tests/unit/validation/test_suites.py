"""Expectation suites derived from the star schema: what each table's suite checks."""

from decimal import Decimal

from lakehouse.schema import STAR_TABLES, star_table
from validation.suites import SUMMED_COLUMNS, Expectation, star_suite


def kinds(suite: list[Expectation]) -> list[tuple[str, str]]:
    return [(e.kind, e.kwargs.get("column") or e.meaning) for e in suite]


def test_every_table_expects_rows_and_unique_keys_and_non_null_key_columns() -> None:
    for table in STAR_TABLES:
        suite = kinds(star_suite(table, table.columns, str))

        assert suite[0] == ("ExpectTableRowCountToBeBetween", "not empty")
        assert ("ExpectColumnValuesToBeUnique", table.key) in suite
        assert ("ExpectColumnValuesToNotBeNull", table.key) in suite
        if table.natural_key:
            assert ("ExpectColumnValuesToBeUnique", table.natural_key) in suite


def test_the_fact_suite_checks_measures_net_and_a_reference_to_each_dimension() -> None:
    fact = star_table("sales_fact")
    suite = star_suite(fact, fact.warehouse_columns, lambda name: f"star.{name}")
    meanings = [e.meaning for e in suite if e.kind == "UnexpectedRowsExpectation"]

    assert [e.kwargs["column"] for e in suite if e.kind == "ExpectColumnValuesToBeBetween"] == [
        *SUMMED_COLUMNS
    ]
    assert meanings == [
        "net_amount = gross_amount - discount + tax_amount",
        "every customer_key is in customer_dim",
        "every product_key is in product_dim",
        "every location_key is in location_dim",
        "every date_key is in date_dim",
    ]
    reference = next(e for e in suite if e.meaning == "every date_key is in date_dim")
    assert reference.kwargs["unexpected_rows_query"] == (
        "select f.* from {batch} as f left join star.date_dim as d "
        "on f.date_key = d.date_key where d.date_key is null"
    )


def test_given_curated_totals_the_suite_expects_the_same_rows_and_exact_sums() -> None:
    fact = star_table("sales_fact")
    totals = {"rows": 3, **dict.fromkeys(SUMMED_COLUMNS, Decimal("12.30"))}

    suite = star_suite(fact, fact.warehouse_columns, str, totals)

    assert suite[0].kind == "ExpectTableRowCountToEqual"
    assert suite[0].kwargs == {"value": 3}
    query = suite[-1].kwargs["unexpected_rows_query"]
    assert query.startswith("select * from (select sum(quantity) as quantity, ")
    assert query.endswith(
        "where coalesce(quantity, 0) <> 12.30 or "
        + " or ".join(f"coalesce({name}, 0) <> 12.30" for name in SUMMED_COLUMNS[1:])
    )
