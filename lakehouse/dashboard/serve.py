"""How the dashboard app is started: the ``streamlit run`` command line and its URL."""

import sys
from pathlib import Path

#: Where `lakehouse dashboard` listens unless told otherwise.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8501
APP_SCRIPT = Path(__file__).with_name("app.py")
#: The app's four pages: name -> URL path under the app's URL.
PAGES = {"executive": "", "product": "product", "customer": "customer", "geographic": "geographic"}
#: Where the app serves ``static/`` (relative to the page); Plotly loads its maps from there.
STATIC_URL = "app/static/"


def dashboard_url(port: int = DEFAULT_PORT, host: str = DEFAULT_HOST) -> str:
    """The URL of the app's home page."""
    return f"http://{host}:{port}/"


def streamlit_command(port: int = DEFAULT_PORT, host: str = DEFAULT_HOST) -> list[str]:
    """``streamlit run`` of the app on ``host:port``: headless, no telemetry, no file watcher.

    Static serving is on: the choropleth's map comes from the app's ``static/`` folder.
    """
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_SCRIPT),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
        "--server.enableStaticServing",
        "true",
    ]
