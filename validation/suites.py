"""Expectation suites of the star tables, as data derived from :mod:`lakehouse.schema.star`.

One suite per star table, the same for the curated zone and the warehouse except for where the
dimensions are read and what the row count is compared with: keys and natural keys unique and
not null, non-nullable columns not null, every fact key found in its dimension, measures
non-negative, ``net = gross - discount + tax``, and in the warehouse, totals equal to the curated
zone's. :mod:`validation.run_suites` turns each :class:`Expectation` into a Great Expectations
object; this module does not import GX, so reading the suites costs nothing.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lakehouse.schema import ColumnType, StarColumn, StarTable
from lakehouse.schema.star import DIMENSIONS, SALES_FACT

#: Fact columns whose totals must match between the curated zone and the warehouse.
SUMMED_COLUMNS = tuple(
    column.name
    for column in SALES_FACT.warehouse_columns
    if column.type is ColumnType.MONEY or column.name == "quantity"
)
#: Name of a table (or view) in a suite's SQL, given the star table's name.
Relation = Callable[[str], str]
Totals = Mapping[str, Decimal | int]


@dataclass(frozen=True)
class Expectation:
    """One expectation: a Great Expectations class name, its arguments and what it means.

    Attributes:
        kind: Class name in ``great_expectations.expectations``.
        kwargs: Arguments of the class.
        meaning: One line for the failure message and the Data Docs.
    """

    kind: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    meaning: str = ""


def star_suite(
    table: StarTable,
    columns: tuple[StarColumn, ...],
    relation: Relation,
    totals: Totals | None = None,
) -> list[Expectation]:
    """The suite of one star table.

    Args:
        table: The star table.
        columns: The columns the validated copy has (curated: all; warehouse: its own).
        relation: Where the suite's SQL finds another star table (a dimension).
        totals: The curated zone's row count (and fact sums) the table must equal; ``None``
            only asks for at least one row.
    """
    suite = [_row_count(totals)]
    for key in (table.key, table.natural_key):
        if key:
            suite.append(Expectation("ExpectColumnValuesToBeUnique", {"column": key}))
    suite += [
        Expectation("ExpectColumnValuesToNotBeNull", {"column": column.name})
        for column in columns
        if not column.nullable
    ]
    if table is SALES_FACT:
        suite += _fact_rules(relation, totals)
    return suite


def _row_count(totals: Totals | None) -> Expectation:
    if totals is None:
        return Expectation("ExpectTableRowCountToBeBetween", {"min_value": 1}, "not empty")
    return Expectation(
        "ExpectTableRowCountToEqual", {"value": totals["rows"]}, "rows equal the curated zone's"
    )


def _fact_rules(relation: Relation, totals: Totals | None) -> list[Expectation]:
    """Measures, the net formula, references to every dimension and totals of the fact."""
    rules = [
        Expectation("ExpectColumnValuesToBeBetween", {"column": name, "min_value": 0})
        for name in SUMMED_COLUMNS
    ]
    rules.append(
        _no_rows(
            "select * from {batch} where net_amount <> gross_amount - discount + tax_amount",
            "net_amount = gross_amount - discount + tax_amount",
        )
    )
    rules += [
        _no_rows(
            f"select f.* from {{batch}} as f left join {relation(dim.name)} as d "  # noqa: S608
            f"on f.{dim.key} = d.{dim.key} where d.{dim.key} is null",
            f"every {dim.key} is in {dim.name}",
        )
        for dim in DIMENSIONS
        if dim.key in SALES_FACT.column_names
    ]
    if totals is not None:
        rules.append(_equal_totals(totals))
    return rules


def _equal_totals(totals: Totals) -> Expectation:
    """Sums of the fact's measures equal the curated zone's, compared exactly in SQL."""
    sums = ", ".join(f"sum({name}) as {name}" for name in SUMMED_COLUMNS)
    differs = " or ".join(f"coalesce({name}, 0) <> {totals[name]}" for name in SUMMED_COLUMNS)
    return _no_rows(
        f"select * from (select {sums} from {{batch}}) as t where {differs}",  # noqa: S608
        "totals of " + ", ".join(SUMMED_COLUMNS) + " equal the curated zone's",
    )


def _no_rows(query: str, meaning: str) -> Expectation:
    return Expectation(
        "UnexpectedRowsExpectation",
        {"unexpected_rows_query": query, "description": meaning},
        meaning,
    )
