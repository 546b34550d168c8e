"""Warehouse quality checks: SQL rules that return no rows, totals equal to the curated zone."""

from dataclasses import dataclass, field
from decimal import Decimal

import pyarrow as pa
from deltalake import QueryBuilder

from lakehouse.config import Settings
from lakehouse.errors import DataQualityError
from lakehouse.resources.object_store import open_delta
from lakehouse.schema import STAR_TABLES, StarTable
from lakehouse.schema.star import SALES_FACT
from lakehouse.warehouse.ddl import SCHEMA
from lakehouse.warehouse.sql_files import read_sql_files
from lakehouse.warehouse.warehouse_rows import Rows, warehouse_rows
from validation.suites import SUMMED_COLUMNS
from validation.warehouse_checks import GATE as SUITES
from validation.warehouse_checks import validate_warehouse


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one check: its name, whether it passed, and what it found."""

    name: str
    passed: bool
    detail: str
    totals: dict[str, Decimal | int] = field(default_factory=dict)


def run_quality_checks(settings: Settings, run_id: str = "adhoc") -> list[CheckResult]:
    """Run the SQL rules, the totals and the warehouse's expectation suites.

    On the stack's PostgreSQL, or on the Redshift the settings name, through the Data API
    (:func:`lakehouse.warehouse.warehouse_rows.warehouse_rows`).

    Raises:
        DataQualityError: One error, one line per failed check (``<check>: ...``) and per failed
            expectation (``warehouse_suite: <table>: ...``).
    """
    curated = {table.name: curated_totals(settings, table) for table in STAR_TABLES}
    with warehouse_rows(settings) as rows:
        results = [_rule_check(rows, name, text) for name, text in read_sql_files("checks")]
        warehouse = {table.name: _warehouse_totals(rows, table) for table in STAR_TABLES}
        suites = validate_warehouse(settings, rows, curated, run_id)
    results += [
        CheckResult(
            f"{name} equals curated zone",
            warehouse[name] == curated[name],
            f"warehouse {warehouse[name]} vs curated {curated[name]}",
            warehouse[name] if name == SALES_FACT.name else {},
        )
        for name in warehouse
    ]
    failures = [f"{result.name}: {result.detail}" for result in results if not result.passed]
    failures += [f"{SUITES}: {line}" for line in suites.failures]
    if failures:
        lines = "\n".join(f"  - {failure}" for failure in failures)
        raise DataQualityError(
            f"gate quality_checks failed in the warehouse: (Data Docs: {suites.docs})\n{lines}",
            gate="quality_checks",
        )
    return results


def curated_totals(settings: Settings, table: StarTable) -> dict[str, Decimal | int]:
    """Row count (and, for the fact, column sums) of the curated Delta snapshot.

    Counted and summed by deltalake's own query engine (DataFusion), file by file: the fact's
    columns were read whole into Python before, 1.5 GiB at 10 M lines, the pipeline's peak.
    """
    columns = list(SUMMED_COLUMNS) if table is SALES_FACT else []
    sums = "".join(f", coalesce(sum({name}), 0) as {name}" for name in columns)
    # Names come from the schema module, never from input.
    query = f"select count(*) as rows{sums} from {table.name}"  # noqa: S608
    snapshot = open_delta(settings, table.name)
    (totals,) = pa.table(QueryBuilder().register(table.name, snapshot).execute(query)).to_pylist()
    return totals


def _warehouse_totals(rows: Rows, table: StarTable) -> dict[str, Decimal | int]:
    """Row count (and, for the fact, column sums) of ``star.<table>``."""
    columns = list(SUMMED_COLUMNS) if table is SALES_FACT else []
    aggregates = ", ".join(["count(*)", *(f"coalesce(sum({name}), 0)" for name in columns)])
    # Names come from the schema module, never from input.
    (values,) = rows(f"select {aggregates} from {SCHEMA}.{table.name}")  # noqa: S608
    return dict(zip(["rows", *columns], values, strict=True))


def _rule_check(rows: Rows, name: str, text: str) -> CheckResult:
    """A rule passes when its query returns no row."""
    offending = rows(text)
    return CheckResult(
        name.removesuffix(".sql"),
        not offending,
        f"{len(offending)} offending rows: {offending[:3]}",
    )
