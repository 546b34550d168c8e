"""Customer: customers by state, new vs returning, top customers, revenue per customer."""

import plotly.express as px
import streamlit as st

from lakehouse.dashboard.filters import Filters
from lakehouse.dashboard.formatting import count, money
from lakehouse.dashboard.screens.common import Query, bar, header, table, tiles

VIEW = "customer_daily_sales"
KNOWN = "is_known_customer"
TOP = 10


def render(query: Query, filters: Filters) -> None:
    """Draw the Customer page (known customers only; the unknown member -1 is left out)."""
    header("Customers", filters)
    kpi = query("customer_kpis", filters)
    tiles(
        [
            ("Customers", count, kpi["customers"], None),
            ("New customers", count, kpi["new_customers"], None),
            ("Returning customers", count, kpi["returning_customers"], None),
            ("Revenue per customer", money, kpi["revenue_per_customer"], None),
        ]
    )
    st.caption("New: first purchase ever falls in the range. Returning: bought before the range.")
    by_state = query(
        "grouped",
        VIEW,
        ("customer_state",),
        ("customers", "revenue"),
        filters,
        order_by="customers",
        where=KNOWN,
    )
    bar(by_state, "customer_state", "customers", "Customers by state", hover_data=["revenue"])
    left, right = st.columns(2)
    with left:
        st.subheader(f"Top {TOP} customers by revenue")
        top = query(
            "grouped",
            VIEW,
            ("customer_id", "full_name", "customer_state"),
            ("revenue", "orders"),
            filters,
            order_by="revenue",
            limit=TOP,
            where=KNOWN,
        )
        table(top, ("revenue",))
    with right:
        per_customer = query("grouped", VIEW, ("customer_key",), ("revenue",), filters, where=KNOWN)
        st.plotly_chart(
            px.histogram(
                per_customer, x="revenue", nbins=30, title="Revenue per customer (distribution)"
            )
        )
