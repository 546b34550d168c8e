"""Turn the planned sales rows into bad rows of their kind: first as numbers, then as text.

Each bad row breaks exactly the rule its kind names; the other values stay those of a good row.
"""

from collections.abc import Callable
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lakehouse.generate.defect_plan import DefectPlan
from lakehouse.generate.randomness import count_epoch_days, pick_integers
from lakehouse.generate.sale_lines import SaleLines, SalesContext, draw_sale_lines, price_sale_lines
from lakehouse.generate.text import (
    blank_where,
    format_dates,
    format_integers,
    pick_texts,
    replace_where,
)
from lakehouse.schema import ColumnType
from lakehouse.schema.raw import SALES

LineDefect = Callable[[SalesContext, SaleLines, DefectPlan, int], None]
TextDefect = Callable[[dict[str, pa.Array], SaleLines, DefectPlan, int], None]

_REQUIRED = tuple(column.name for column in SALES.columns if column.required)
_NUMBERS = tuple(
    column.name
    for column in SALES.columns
    if column.required and column.type in {ColumnType.INTEGER, ColumnType.DECIMAL}
)
_DATE = next(column.name for column in SALES.columns if column.type is ColumnType.DATE)
_IMPOSSIBLE_MONTH_DAYS = ("02-30", "02-31", "04-31", "06-31", "09-31", "11-31", "13-01")
_LAST_DAY_BEFORE_2000 = count_epoch_days(date(1999, 12, 31))


def inject_line_defects(
    context: SalesContext, lines: SaleLines, plan: DefectPlan, start: int
) -> None:
    """Apply the numeric defects (dates, amounts, keys, duplicates) of ``plan`` to ``lines``.

    Args:
        context: The data set's sales context.
        lines: Lines of rows ``[start, start + len(lines))``, changed in place.
        plan: The file's defect plan, restricted to these rows.
        start: Row index of the first line.
    """
    for name, inject in _LINE_DEFECTS.items():
        inject(context, lines, plan.select_kind(name), start)


def inject_text_defects(
    columns: dict[str, pa.Array], lines: SaleLines, plan: DefectPlan, start: int
) -> None:
    """Apply the text defects (NULLs, unparsable values) of ``plan`` to formatted ``columns``."""
    for name, inject in _TEXT_DEFECTS.items():
        inject(columns, lines, plan.select_kind(name), start)


def _copy_sources(context: SalesContext, lines: SaleLines, plan: DefectPlan, start: int) -> None:
    lines.assign(plan.positions - start, draw_sale_lines(context, plan.sources))


def _copy_sources_with_other_quantity(
    context: SalesContext, lines: SaleLines, plan: DefectPlan, start: int
) -> None:
    copies = draw_sale_lines(context, plan.sources)
    copies.quantity = copies.quantity % 10 + 1
    price_sale_lines(copies)
    lines.assign(plan.positions - start, copies)


def _date_before_2000(
    context: SalesContext, lines: SaleLines, plan: DefectPlan, start: int
) -> None:
    lines.day[plan.positions - start] = _LAST_DAY_BEFORE_2000 - pick_integers(
        plan.variants, 0, 3650
    )


def _date_after_end(context: SalesContext, lines: SaleLines, plan: DefectPlan, start: int) -> None:
    lines.day[plan.positions - start] = context.end_day + 2 + pick_integers(plan.variants, 0, 60)


def _nonpositive_quantity(
    context: SalesContext, lines: SaleLines, plan: DefectPlan, start: int
) -> None:
    rows = plan.positions - start
    lines.quantity[rows] = -pick_integers(plan.variants, 0, 4)
    lines.discount_is_null[rows] = True
    lines.discount[rows] = 0
    lines.tax[rows] = 0


def _negative_tax(context: SalesContext, lines: SaleLines, plan: DefectPlan, start: int) -> None:
    rows = plan.positions - start
    lines.tax[rows] = -np.maximum(lines.tax[rows], 1)


def _discount_above_gross(
    context: SalesContext, lines: SaleLines, plan: DefectPlan, start: int
) -> None:
    rows = plan.positions - start
    gross = lines.quantity[rows] * lines.unit_price[rows]
    lines.discount[rows] = gross + 1 + pick_integers(plan.variants, 0, 1000)
    lines.discount_is_null[rows] = False


def _make_unknown_reference(column: str) -> LineDefect:
    def inject(context: SalesContext, lines: SaleLines, plan: DefectPlan, start: int) -> None:
        first_unknown = context.references[column].count + 1
        lines.references[column][plan.positions - start] = first_unknown + pick_integers(
            plan.variants, 0, 1000
        )

    return inject


def _make_missing_reference(column: str) -> LineDefect:
    def inject(context: SalesContext, lines: SaleLines, plan: DefectPlan, start: int) -> None:
        lines.references[column][plan.positions - start] = 0

    return inject


def _missing_required(
    columns: dict[str, pa.Array], lines: SaleLines, plan: DefectPlan, start: int
) -> None:
    for option, name in enumerate(_REQUIRED):
        mask = plan.mark_rows(start, len(lines.number), option, len(_REQUIRED))
        columns[name] = blank_where(columns[name], mask)


def _unparsable_number(
    columns: dict[str, pa.Array], lines: SaleLines, plan: DefectPlan, start: int
) -> None:
    for option, name in enumerate(_NUMBERS):
        mask = plan.mark_rows(start, len(lines.number), option, len(_NUMBERS))
        columns[name] = replace_where(columns[name], mask, "abc")


def _unparsable_date(
    columns: dict[str, pa.Array], lines: SaleLines, plan: DefectPlan, start: int
) -> None:
    mask = plan.mark_rows(start, len(lines.number))
    years = lines.day[mask].astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
    month_days = pick_integers(plan.variants, 0, len(_IMPOSSIBLE_MONTH_DAYS))
    impossible = pc.binary_join_element_wise(
        format_integers(years + 1970), pick_texts(_IMPOSSIBLE_MONTH_DAYS, month_days), "-"
    )
    columns[_DATE] = replace_where(columns[_DATE], mask, impossible)


def _wrong_date_format(
    columns: dict[str, pa.Array], lines: SaleLines, plan: DefectPlan, start: int
) -> None:
    mask = plan.mark_rows(start, len(lines.number))
    columns[_DATE] = replace_where(columns[_DATE], mask, format_dates(lines.day[mask], "%m/%d/%Y"))


_LINE_DEFECTS: dict[str, LineDefect] = {
    "sale_date_before_2000": _date_before_2000,
    "sale_date_after_end_date": _date_after_end,
    "nonpositive_quantity": _nonpositive_quantity,
    "negative_tax": _negative_tax,
    "discount_above_gross": _discount_above_gross,
    "exact_duplicate": _copy_sources,
    "conflicting_duplicate": _copy_sources_with_other_quantity,
    **{f"unknown_{column}": _make_unknown_reference(column) for column in SALES.foreign_keys},
    **{f"missing_{column}": _make_missing_reference(column) for column in SALES.foreign_keys},
}

_TEXT_DEFECTS: dict[str, TextDefect] = {
    "missing_required_value": _missing_required,
    "unparsable_number": _unparsable_number,
    "unparsable_date": _unparsable_date,
    "wrong_date_format": _wrong_date_format,
}
