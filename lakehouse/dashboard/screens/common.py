"""Pieces the four pages share: the query function's type, KPI tiles and chart helpers."""

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import plotly.express as px
import streamlit as st

from lakehouse.dashboard.filters import Filters

#: ``query(name, *args)`` runs ``lakehouse.dashboard.queries.<name>(connection, *args)``.
Query = Callable[..., Any]
#: label, formatter and value of one KPI tile, and its delta text (or None).
Tile = tuple[str, Callable[[Any], str], Any, str | None]
#: Tiles side by side; more would cut values like ``$27,412,345.67`` short at common widths.
TILES_PER_ROW = 3


def header(title: str, filters: Filters) -> None:
    """Page title and a caption naming the filters in force."""
    st.title(title)
    regions = ", ".join(filters.regions) or "all regions"
    categories = ", ".join(filters.categories) or "all categories"
    st.caption(f"{filters.start} to {filters.end} · {regions} · {categories}")


def tiles(specs: Sequence[Tile]) -> None:
    """KPI tiles (``st.metric``) in rows of three, wide enough for millions of dollars."""
    for start in range(0, len(specs), TILES_PER_ROW):
        row = specs[start : start + TILES_PER_ROW]
        for column, (label, fmt, value, delta) in zip(st.columns(TILES_PER_ROW), row, strict=False):
            column.metric(label, fmt(value), delta, border=True, help=f"{label}, filters applied")


def bar(frame: pd.DataFrame, x: str, y: str, title: str, **options: Any) -> None:
    """A bar chart across the page's column."""
    st.plotly_chart(px.bar(frame, x=x, y=y, title=title, **options))


def table(frame: pd.DataFrame, money_columns: Sequence[str] = ()) -> None:
    """A data table with money columns printed as dollars."""
    config = {name: st.column_config.NumberColumn(format="dollar") for name in money_columns}
    st.dataframe(frame, hide_index=True, column_config=config)
