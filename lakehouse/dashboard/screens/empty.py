"""What the app shows when there is nothing to show yet: no trace, one thing to do."""

import streamlit as st

from lakehouse.dashboard.queries import WarehouseState

RUN_FIRST = """
The dashboards read the warehouse's `bi` views, and {reason}.

Run the pipeline first, then reload this page:

```bash
make demo                                   # sample data, the whole pipeline
.venv/bin/lakehouse run --source DIR        # or your own CSV folder
```
"""
REASONS = {
    WarehouseState.MISSING: "they are not there yet (or the marts were never refreshed)",
    WarehouseState.EMPTY: "they hold no sales yet",
}


def render(state: WarehouseState) -> None:
    """The friendly "run the pipeline first" page."""
    st.title("Retail analytics")
    st.info("No sales to show yet: run the pipeline first.", icon=":material/info:")
    st.markdown(RUN_FIRST.format(reason=REASONS[state]))


def render_unreachable(message: str) -> None:
    """The page shown when the warehouse cannot be reached."""
    st.title("Retail analytics")
    st.warning("The warehouse cannot be reached.", icon=":material/cloud_off:")
    st.markdown(f"{message}\n\nStart the stack with `lakehouse up` (or `make up`), then reload.")
