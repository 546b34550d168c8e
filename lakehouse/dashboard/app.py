"""The Streamlit app: warehouse connection, common filters and the four pages.

Started by `lakehouse dashboard` (``streamlit run`` on this file). Settings are read when the
script runs, never at import time; every number comes from :mod:`lakehouse.dashboard.queries`.
"""

from collections.abc import Callable
from functools import partial
from typing import Any

import psycopg
import streamlit as st

from lakehouse.config import load_settings
from lakehouse.dashboard import queries
from lakehouse.dashboard.filters import Filters
from lakehouse.dashboard.screens import customer, empty, executive, geographic, product
from lakehouse.errors import LakehouseError
from lakehouse.resources.warehouse import connect

#: url path -> (title, icon, render function) of each page.
PAGES = {
    "executive": ("Executive", ":material/monitoring:", executive.render),
    "product": ("Product", ":material/inventory_2:", product.render),
    "customer": ("Customer", ":material/groups:", customer.render),
    "geographic": ("Geographic", ":material/public:", geographic.render),
}


@st.cache_resource
def warehouse_connection() -> psycopg.Connection:
    """One autocommit connection per app process, with the active profile's credentials."""
    return connect(load_settings(), autocommit=True)


@st.cache_data(ttl=load_settings().dashboard_cache_seconds, show_spinner=False)
def run_query(name: str, *args: Any, **kwargs: Any) -> Any:
    """Result of ``queries.<name>(connection, *args, **kwargs)``, cached (a minute by default)."""
    return getattr(queries, name)(warehouse_connection(), *args, **kwargs)


def sidebar_filters(options: queries.FilterOptions) -> Filters:
    """Date range, region and category pickers in the sidebar."""
    sidebar = st.sidebar
    sidebar.header("Filters")
    picked = sidebar.date_input(
        "Date range",
        value=(options.first_date, options.last_date),
        min_value=options.first_date,
        max_value=options.last_date,
    )
    chosen = picked if isinstance(picked, tuple) and picked else (options.first_date,)
    regions = sidebar.multiselect("Region", options.regions, placeholder="All regions")
    categories = sidebar.multiselect("Category", options.categories, placeholder="All categories")
    return Filters(chosen[0], chosen[-1], tuple(regions), tuple(categories))


def page_content() -> Callable[[Callable[..., None]], Callable[[], None]]:
    """How every page draws: its own render with the filters, or the page saying what to do."""
    try:
        state = run_query("warehouse_state")
    except LakehouseError as error:
        warehouse_connection.clear()
        message = str(error)
        return lambda _render: partial(empty.render_unreachable, message)
    if state is not queries.WarehouseState.READY:
        run_query.clear()
        return lambda _render: partial(empty.render, state)
    filters = sidebar_filters(run_query("filter_options"))
    return lambda render: partial(render, run_query, filters)


def main() -> None:
    """Entry point of the Streamlit script: the same four pages whatever the warehouse holds."""
    st.set_page_config(page_title="Retail analytics", page_icon=":bar_chart:", layout="wide")
    content = page_content()
    pages = [
        st.Page(content(render), title=title, icon=icon, url_path=path)
        for path, (title, icon, render) in PAGES.items()
    ]
    st.navigation(pages).run()


main()
