"""Checks of the star tables, as data derived from :mod:`lakehouse.schema.star`.

One suite per star table, the same for the curated zone and the warehouse except for where the
dimensions are read and what the row count is compared with: keys and natural keys unique and
not null, non-nullable columns not null, every fact key found in its dimension, measures
non-negative, ``net = gross - discount + tax``, and in the warehouse, totals equal to the curated
zone's.

Each check is one SQL aggregate, and :func:`metrics_query` puts every check of a table into one
query: a table's suite costs one pass over the table (joined to the keys of each dimension the
fact references), in Spark SQL and in PostgreSQL alike. :mod:`validation.run_suites` then runs a
Great Expectations suite over that query's one row, one expectation per check. This module does
not import GX, so reading the suites costs nothing.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from lakehouse.schema import ColumnType, StarColumn, StarTable
from lakehouse.schema.star import DIMENSIONS, SALES_FACT

#: Fact columns whose totals must match between the curated zone and the warehouse.
SUMMED_COLUMNS = tuple(
    column.name
    for column in SALES_FACT.warehouse_columns
    if column.type is ColumnType.MONEY or column.name == "quantity"
)
#: Metric of the row count, which every suite has.
ROW_COUNT = "row_count"
#: Name of a table (or view) in a suite's SQL, given the star table's name.
Relation = Callable[[str], str]
Totals = Mapping[str, Decimal | int]
#: A table's metrics: the value of each check's aggregate.
Metrics = Mapping[str, int | float]


@dataclass(frozen=True)
class Check:
    """One check: an SQL aggregate over a table, the bounds its value must lie in, its meaning.

    Attributes:
        metric: Column name of the aggregate in the table's metrics.
        aggregate: SQL over the table aliased ``t`` (and each referenced dimension's keys,
            aliased by the dimension's name).
        meaning: What holds when the check passes, for the failure message and the Data Docs.
        minimum: Lowest value allowed.
        maximum: Highest value allowed; ``None`` for no limit.
    """

    metric: str
    aggregate: str
    meaning: str
    minimum: int | float = 0
    maximum: int | float | None = 0

    def admits(self, value: int | float | None) -> bool:
        """Whether ``value`` lies within the bounds (an absent value does not)."""
        if value is None:
            return False
        return value >= self.minimum and (self.maximum is None or value <= self.maximum)

    def expected(self) -> str:
        """The allowed values, as the failure message states them."""
        if self.maximum is None:
            return f"at least {self.minimum}"
        if self.maximum == self.minimum:
            return str(self.minimum)
        return f"{self.minimum} to {self.maximum}"


def star_suite(
    table: StarTable, columns: tuple[StarColumn, ...], totals: Totals | None = None
) -> list[Check]:
    """The checks of one star table.

    Args:
        table: The star table.
        columns: The columns the validated copy has (curated: all; warehouse: its own).
        totals: The curated zone's row count (and fact sums) the table must equal; ``None``
            only asks for at least one row.
    """
    suite = [_row_count(totals)]
    suite += [
        Check(f"duplicate_{key}", f"count(t.{key}) - count(distinct t.{key})", f"{key} is unique")
        for key in (table.key, table.natural_key)
        if key
    ]
    suite += [
        Check(f"null_{column.name}", f"count(*) - count(t.{column.name})", f"{column.name} is set")
        for column in columns
        if not column.nullable
    ]
    if table is SALES_FACT:
        suite += _fact_rules(totals)
    return suite


def metrics_query(table: StarTable, suite: list[Check], relation: Relation) -> str:
    """One query computing every check of ``suite`` over ``table``, as one row.

    Args:
        table: The star table.
        suite: Its checks, from :func:`star_suite`.
        relation: Where the query finds a star table (the table itself, a dimension).
    """
    measures = ",\n  ".join(f"{check.aggregate} as {check.metric}" for check in suite)
    # Every name in the query comes from lakehouse.schema.star, none from input.
    joins = "".join(
        f"\nleft join (select distinct {dim.key} from {relation(dim.name)}) as {dim.name}"  # noqa: S608
        f" on t.{dim.key} = {dim.name}.{dim.key}"
        for dim in referenced_dimensions(table)
    )
    return f"select\n  {measures}\nfrom {relation(table.name)} as t{joins}"


def as_metrics(row: Mapping[str, Decimal | int]) -> dict[str, int | float]:
    """A metrics row as plain numbers (a sum's difference comes back as a ``Decimal``)."""
    return {
        name: float(value) if isinstance(value, Decimal) else value for name, value in row.items()
    }


def referenced_dimensions(table: StarTable) -> tuple[StarTable, ...]:
    """The dimensions whose key ``table`` holds (the fact's; none for a dimension)."""
    if table is not SALES_FACT:
        return ()
    return tuple(dim for dim in DIMENSIONS if dim.key in table.column_names)


def _row_count(totals: Totals | None) -> Check:
    if totals is None:
        return Check(ROW_COUNT, "count(*)", "the table has rows", minimum=1, maximum=None)
    rows = totals["rows"]
    return Check(ROW_COUNT, "count(*)", "rows equal the curated zone's", rows, rows)


def _fact_rules(totals: Totals | None) -> list[Check]:
    """Measures, the net formula, references to every dimension and totals of the fact."""
    rules = [
        _no_rows(f"negative_{name}", f"t.{name} < 0", f"{name} >= 0") for name in SUMMED_COLUMNS
    ]
    rules.append(
        _no_rows(
            "broken_net_amount",
            "t.net_amount <> t.gross_amount - t.discount + t.tax_amount",
            "net_amount = gross_amount - discount + tax_amount",
        )
    )
    rules += [
        _no_rows(
            f"orphan_{dim.key}",
            f"{dim.name}.{dim.key} is null",
            f"every {dim.key} is in {dim.name}",
        )
        for dim in referenced_dimensions(SALES_FACT)
    ]
    if totals is not None:
        rules += [_equal_sum(name, Decimal(totals[name])) for name in SUMMED_COLUMNS]
    return rules


def _equal_sum(name: str, total: Decimal) -> Check:
    """A check that the column's sum equals ``total``, compared exactly in SQL."""
    return Check(
        f"{name}_difference",
        f"coalesce(sum(t.{name}), 0) - {total:f}",
        f"the sum of {name} equals the curated zone's ({total:f})",
    )


def _no_rows(metric: str, broken: str, meaning: str) -> Check:
    """A check that no row satisfies the SQL condition ``broken``."""
    return Check(metric, f"coalesce(sum(case when {broken} then 1 else 0 end), 0)", meaning)
