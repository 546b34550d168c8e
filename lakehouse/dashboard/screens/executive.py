"""Executive: revenue, orders, AOV, units, discount rate and tax with growth; trend and mix."""

import plotly.express as px
import streamlit as st

from lakehouse.dashboard.filters import Filters
from lakehouse.dashboard.formatting import count, money, percent, signed_percent
from lakehouse.dashboard.screens.common import Query, bar, header, tiles

TILES = (
    ("Revenue", money, "revenue"),
    ("Orders", count, "orders"),
    ("Average order value", money, "aov"),
    ("Units", count, "units"),
    ("Discount rate", percent, "discount_rate"),
    ("Tax", money, "tax"),
)


def render(query: Query, filters: Filters) -> None:
    """Draw the Executive page."""
    header("Executive overview", filters)
    kpi = query("kpis", filters)
    tiles(
        [
            (label, fmt, kpi[name], signed_percent(kpi[f"{name}_growth"]))
            for label, fmt, name in TILES
        ]
    )
    st.caption("Deltas: growth against the period of the same length right before the range.")
    trend = query("grouped", "daily_sales", ("sale_date",), ("revenue", "orders"), filters)
    st.plotly_chart(
        px.line(trend, x="sale_date", y="revenue", title="Revenue by day", markers=True)
    )
    left, right = st.columns(2)
    with left:
        by_region = query(
            "grouped", "daily_sales", ("region",), ("revenue",), filters, order_by="revenue"
        )
        bar(by_region, "region", "revenue", "Revenue by region")
    with right:
        by_category = query(
            "grouped", "daily_sales", ("category",), ("revenue",), filters, order_by="revenue"
        )
        bar(by_category, "category", "revenue", "Revenue by category")
