"""Product: top and bottom products, category/subcategory/brand mix, price and discount effects."""

import plotly.express as px
import streamlit as st

from lakehouse.dashboard.filters import Filters
from lakehouse.dashboard.formatting import count, money, percent
from lakehouse.dashboard.screens.common import Query, header, table, tiles

PRODUCT = ("product_id", "product_name", "category", "brand")
MEASURES = ("revenue", "units", "orders", "discount_rate")
TILES = ("products", "units", "avg_unit_price", "discount_rate")
TOP = 10


def render(query: Query, filters: Filters) -> None:
    """Draw the Product page."""
    header("Products", filters)
    totals = query("grouped", "product_daily_sales", (), TILES, filters).iloc[0]
    tiles(
        [
            ("Products sold", count, totals["products"], None),
            ("Units", count, totals["units"], None),
            ("Average unit price", money, totals["avg_unit_price"], None),
            ("Discount rate", percent, totals["discount_rate"], None),
        ]
    )
    best, worst = st.columns(2)
    with best:
        st.subheader(f"Top {TOP} products by revenue")
        top = query(
            "grouped",
            "product_daily_sales",
            PRODUCT,
            MEASURES,
            filters,
            order_by="revenue",
            limit=TOP,
        )
        table(top, ("revenue",))
    with worst:
        st.subheader(f"Bottom {TOP} products by revenue")
        bottom = query(
            "grouped",
            "product_daily_sales",
            PRODUCT,
            MEASURES,
            filters,
            order_by="revenue",
            ascending=True,
            limit=TOP,
        )
        table(bottom, ("revenue",))
    mix = query(
        "grouped",
        "product_daily_sales",
        ("category", "subcategory", "brand"),
        ("revenue", "units"),
        filters,
    )
    mix = mix.fillna("(none)")
    st.plotly_chart(
        px.treemap(
            mix,
            path=["category", "subcategory", "brand"],
            values="revenue",
            title="Revenue by category, subcategory and brand",
        )
    )
    effects = query(
        "grouped",
        "product_daily_sales",
        ("product_name", "category"),
        ("avg_unit_price", "discount_rate", "units", "revenue"),
        filters,
    )
    price, discount = st.columns(2)
    price.plotly_chart(
        px.scatter(
            effects,
            x="avg_unit_price",
            y="units",
            color="category",
            hover_name="product_name",
            title="Units sold by average unit price",
        )
    )
    discount.plotly_chart(
        px.scatter(
            effects,
            x="discount_rate",
            y="units",
            color="category",
            hover_name="product_name",
            title="Units sold by discount rate",
        )
    )
    st.subheader("Category leaders by month (rank by net revenue, all regions)")
    table(query("category_leaders", filters), ("revenue",))
