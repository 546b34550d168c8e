"""How fast the dashboards answer on the bench's warehouse: each page timed in headless Chromium.

The app is started on the bench stack; a first pass over the pages warms it (Python imports,
Streamlit's first session), the second pass is what the report shows: from navigation until the
page's script has drawn everything.
"""

import tempfile
from collections.abc import Mapping
from pathlib import Path

from lakehouse.dashboard.browser import free_port, running_app, time_page_loads
from lakehouse.dashboard.serve import PAGES


def measure_page_loads(app_env: Mapping[str, str]) -> dict[str, float]:
    """Seconds each dashboard page takes to load once the app is warm."""
    with (
        tempfile.TemporaryDirectory() as scratch,
        running_app(app_env, free_port(), Path(scratch) / "app.log") as url,
    ):
        time_page_loads(url, PAGES)
        return time_page_loads(url, PAGES)
