"""Row rules of the source contract as Spark column expressions (CONTRACT.md sections 1 and 2).

Every rule is derived from :mod:`lakehouse.schema.raw`; each yields a reason code such as
``missing:sale_id`` or ``discount_above_gross`` for a row that breaks it. The rules run as Spark
expressions over trimmed text columns, so they cost what a projection costs.
"""

from collections.abc import Callable
from datetime import date, timedelta

from pyspark.sql import Column
from pyspark.sql import functions as F

from lakehouse.schema import ColumnType, RawColumn, RawEntity
from lakehouse.schema.types import RAW_DECIMAL

EARLIEST_SALE_DATE = date(2000, 1, 1)
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
INTEGER_PATTERN = r"^[+-]?\d{1,9}$"
DECIMAL_PATTERN = r"^[+-]?(\d+(\.\d*)?|\.\d+)$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s.]+$"
DECIMAL_TYPE = f"decimal({RAW_DECIMAL[0]},{RAW_DECIMAL[1]})"


def parse_column(column: RawColumn, value: Column) -> Column:
    """Typed value of a trimmed text column; NULL when empty or unparsable."""
    match column.type:
        case ColumnType.DATE:
            return F.when(value.rlike(DATE_PATTERN), F.to_date(value, "yyyy-MM-dd"))
        case ColumnType.INTEGER:
            return F.when(value.rlike(INTEGER_PATTERN), value.cast("int"))
        case ColumnType.DECIMAL:
            return F.when(value.rlike(DECIMAL_PATTERN), value.cast(DECIMAL_TYPE))
        case _:
            return value


def value_rules(column: RawColumn, value: Column, typed: Column) -> dict[str, Column]:
    """The contract's rules on one column's value: reason code -> true on a row breaking it.

    Required, minimum and e-mail shape; shared by triage and the ``raw_schema`` gate.

    Args:
        column: The contract column.
        value: Its value as text, NULL when empty (a typed column: the column itself).
        typed: Its typed value.
    """
    rules = {}
    if column.required:
        rules["missing"] = value.isNull()
    if column.minimum is not None:
        rules["below_minimum"] = typed < F.lit(column.minimum)
    if column.is_email:
        rules["malformed_email"] = value.isNotNull() & ~value.rlike(EMAIL_PATTERN)
    return rules


def column_reasons(column: RawColumn, value: Column) -> list[Column]:
    """Reason-code expressions (NULL when the rule holds) for one contract column.

    A value breaks at most one of them: each format check needs a value, and a minimum a parsed
    one.
    """
    parsed = parse_column(column, value)
    present = value.isNotNull()
    checks = value_rules(column, value, parsed)
    if column.type is ColumnType.DATE:
        checks["bad_date_format"] = present & ~value.rlike(DATE_PATTERN)
        checks["unparsable"] = present & value.rlike(DATE_PATTERN) & parsed.isNull()
    elif column.type in (ColumnType.INTEGER, ColumnType.DECIMAL):
        checks["unparsable"] = present & parsed.isNull()
    return [F.when(failed, F.lit(f"{code}:{column.name}")) for code, failed in checks.items()]


def row_reasons(entity: RawEntity, run_date: date) -> list[Column]:
    """Reason-code expressions for the entity's multi-column rules, over its raw text columns."""
    broken = row_rule_violations(entity, run_date, lambda name: _parsed(entity, name))
    return [F.when(failed, F.lit(code)) for code, failed in broken.items()]


def row_rule_violations(
    entity: RawEntity, run_date: date, value: Callable[[str], Column] = F.col
) -> dict[str, Column]:
    """Per multi-column rule of the entity, an expression that is true on a row breaking it.

    Args:
        entity: The raw entity whose ``row_rules`` apply.
        run_date: The batch date (the end of the sale-date window).
        value: Typed value of a column by name; the default reads already typed columns.
    """
    rules = {
        "discount_above_gross": lambda: _discount_above_gross(value),
        "sale_date_out_of_window": lambda: _sale_date_out_of_window(value, run_date),
    }
    return {code: rules[code]() for code in entity.row_rules}


def reasons_column(entity: RawEntity, run_date: date) -> Column:
    """Array of every reason code a row breaks; empty for a valid row.

    Expects the entity's contract columns as trimmed text (NULL when empty).
    """
    expressions = [
        reason for column in entity.columns for reason in column_reasons(column, F.col(column.name))
    ] + row_reasons(entity, run_date)
    return F.filter(F.array(*expressions), lambda reason: reason.isNotNull())


def _parsed(entity: RawEntity, name: str) -> Column:
    return parse_column(entity.column(name), F.col(name))


def _discount_above_gross(value: Callable[[str], Column]) -> Column:
    return value("discount_amount") > value("quantity") * value("unit_price")


def _sale_date_out_of_window(value: Callable[[str], Column], run_date: date) -> Column:
    sale_date = value("sale_date")
    return (sale_date < F.lit(EARLIEST_SALE_DATE)) | (sale_date > F.lit(latest_sale_date(run_date)))


def latest_sale_date(run_date: date) -> date:
    """The last sale date a batch of ``run_date`` accepts (one day after the run date)."""
    return run_date + timedelta(days=1)
