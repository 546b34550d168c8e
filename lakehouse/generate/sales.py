"""Generate the ``sales`` entity chunk by chunk, so that no more than one chunk is in memory."""

from collections.abc import Iterator

import numpy as np
import pyarrow as pa

from lakehouse.generate.defect_plan import DefectPlan
from lakehouse.generate.sale_lines import SaleLines, SalesContext, draw_sale_lines
from lakehouse.generate.sales_defects import inject_line_defects, inject_text_defects
from lakehouse.generate.text import (
    blank_where,
    format_cents,
    format_dates,
    format_ids,
    format_integers,
)
from lakehouse.generate.write_csv import assemble_table
from lakehouse.schema.raw import SALES


def build_sales_chunk(context: SalesContext, plan: DefectPlan, start: int, stop: int) -> pa.Table:
    """Build sales rows ``[start, stop)``, bad ones included, in contract column order.

    A row's content depends only on the data set and its index, never on the chunk bounds.

    Args:
        context: The data set's sales context.
        plan: Defect plan of the file the rows belong to.
        start: Index of the first row.
        stop: Index after the last row.
    """
    chunk_plan = plan.select_rows(start, stop)
    lines = draw_sale_lines(context, np.arange(start, stop, dtype=np.int64))
    inject_line_defects(context, lines, chunk_plan, start)
    columns = format_sale_lines(lines)
    inject_text_defects(columns, lines, chunk_plan, start)
    return assemble_table(SALES, columns)


def iterate_sales_chunks(
    context: SalesContext, plan: DefectPlan, start: int, stop: int, chunk_lines: int
) -> Iterator[pa.Table]:
    """Yield the sales rows ``[start, stop)`` as tables of at most ``chunk_lines`` rows."""
    for chunk_start in range(start, stop, chunk_lines):
        yield build_sales_chunk(context, plan, chunk_start, min(chunk_start + chunk_lines, stop))


def format_sale_lines(lines: SaleLines) -> dict[str, pa.Array]:
    """Format sale lines as the contract's text columns (amounts with two decimals)."""
    references = {
        column: format_ids(entity, lines.references[column])
        for column, entity in SALES.foreign_keys.items()
    }
    return {
        "sale_id": format_ids(SALES.name, lines.number),
        "sale_date": format_dates(lines.day),
        **references,
        "quantity": format_integers(lines.quantity),
        "unit_price": format_cents(lines.unit_price),
        "discount_amount": blank_where(format_cents(lines.discount), lines.discount_is_null),
        "tax_amount": format_cents(lines.tax),
    }
