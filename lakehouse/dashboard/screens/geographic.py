"""Geographic: revenue by region, state and store, and a choropleth of the states."""

import plotly.express as px
import streamlit as st

from lakehouse.dashboard.filters import Filters
from lakehouse.dashboard.formatting import count, money
from lakehouse.dashboard.screens.common import Query, bar, header, table, tiles
from lakehouse.dashboard.serve import STATIC_URL

VIEW = "store_daily_sales"
US_STATE_CODE_LENGTH = 2


def render(query: Query, filters: Filters) -> None:
    """Draw the Geographic page."""
    header("Geography", filters)
    totals = query("grouped", VIEW, (), ("revenue", "orders", "stores"), filters).iloc[0]
    tiles(
        [
            ("Revenue", money, totals["revenue"], None),
            ("Orders", count, totals["orders"], None),
            ("Stores with sales", count, totals["stores"], None),
        ]
    )
    by_state = query(
        "grouped", VIEW, ("state",), ("revenue", "orders"), filters, order_by="revenue"
    )
    if not by_state.empty and by_state["state"].str.len().eq(US_STATE_CODE_LENGTH).all():
        st.plotly_chart(
            px.choropleth(
                by_state,
                locations="state",
                locationmode="USA-states",
                color="revenue",
                scope="usa",
                title="Revenue by state",
            ),
            config={"topojsonURL": STATIC_URL},
        )
    left, right = st.columns(2)
    with left:
        by_region = query(
            "grouped", VIEW, ("region",), ("revenue", "orders"), filters, order_by="revenue"
        )
        bar(by_region, "region", "revenue", "Revenue by region")
    with right:
        bar(by_state, "state", "revenue", "Revenue by state")
    st.subheader("Revenue by store")
    stores = query(
        "grouped",
        VIEW,
        ("store_name", "city", "state", "region"),
        ("revenue", "orders", "units"),
        filters,
        order_by="revenue",
    )
    table(stores, ("revenue",))
