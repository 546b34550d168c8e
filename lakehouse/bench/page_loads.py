"""How fast the dashboards answer on the bench's warehouse: each page timed in headless Chromium.

The app is started on the bench stack; a first pass over the pages warms it (Python imports,
Streamlit's first session, the browser's copy of the app's scripts), the second pass, in the same
browser, is what the report shows: from navigation until the page's script has drawn everything.
The second pass waits until the app's query cache has expired, so every query of it reaches the
warehouse again.
"""

import tempfile
from collections.abc import Mapping
from pathlib import Path

from lakehouse.dashboard.browser import running_app, time_page_loads
from lakehouse.dashboard.serve import PAGES
from lakehouse.stack.endpoints import free_port

#: The bench app's query cache lifetime, short so that the timed pass need not wait long for it.
CACHE_SECONDS = 3


def measure_page_loads(app_env: Mapping[str, str]) -> dict[str, float]:
    """Seconds each dashboard page takes to load once the app is warm, its cache expired."""
    env = {**app_env, "LAKEHOUSE_DASHBOARD_CACHE_SECONDS": str(CACHE_SECONDS)}
    with (
        tempfile.TemporaryDirectory() as scratch,
        running_app(env, free_port(), Path(scratch) / "app.log") as url,
    ):
        return time_page_loads(url, PAGES, warm_up_wait=CACHE_SECONDS + 1)
