"""Drive headless Chromium (the system's, never a downloaded one) over the running app's pages.

Used by the browser test and by `make screenshots`. Needs the ``playwright`` package (dev group)
and a ``chromium`` executable on the PATH (Debian's package; ``scripts/setup.sh`` installs it).
"""

import dataclasses
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from lakehouse.dashboard.serve import dashboard_url, streamlit_command
from lakehouse.errors import ServiceError

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: What every page shows once it has rendered (its title), and what shows while a script runs.
RENDERED = '[data-testid="stMain"] h1'
RUNNING = '[data-testid="stStatusWidget"]'
TIMEOUT_MS = 60_000
#: One drawn region of a Plotly choropleth (drawn only once its map has loaded).
MAP_REGION = "path.choroplethlocation"


@dataclasses.dataclass(frozen=True)
class RenderedPage:
    """What a rendered page shows: its text, and how many map regions it drew."""

    text: str
    map_regions: int


@contextmanager
def running_app(env: Mapping[str, str], port: int, log: Path) -> Iterator[str]:
    """Start the app as a subprocess with ``env``; yield its URL once healthy; stop it after."""
    with log.open("w") as output:
        process = subprocess.Popen(
            streamlit_command(port), env=dict(env), stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_healthy(dashboard_url(port), process)
        yield dashboard_url(port)
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_healthy(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    """Wait until Streamlit's health endpoint answers.

    Raises:
        ServiceError: When the app exits or does not answer in time.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServiceError(f"the dashboard app exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}_stcore/health", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.5)
    raise ServiceError(f"the dashboard app at {url} did not answer within {seconds:.0f} s")


@contextmanager
def chromium_page() -> Iterator[Page]:
    """A page of headless Chromium (the system's executable), sized like a laptop screen."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser.new_page(viewport={"width": 1440, "height": 1800})
        finally:
            browser.close()


def open_page(page: Page, url: str) -> float:
    """Go to ``url`` and wait until the app's script has drawn it; returns the seconds taken."""
    started = time.perf_counter()
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_selector(RENDERED, timeout=TIMEOUT_MS)
    page.wait_for_selector(RUNNING, state="detached", timeout=TIMEOUT_MS)
    return time.perf_counter() - started


def capture_pages(url: str, paths: Mapping[str, str], out_dir: Path) -> dict[str, RenderedPage]:
    """Open each page, wait for it to render, save ``<name>.png``; returns what each page shows.

    Args:
        url: The app's base URL.
        paths: Page name -> URL path (``executive`` -> ``executive``).
        out_dir: Folder for the screenshots (created).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = {}
    with chromium_page() as page:
        for name, path in paths.items():
            open_page(page, f"{url}{path}")
            page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
            page.wait_for_timeout(1_500)  # let Plotly finish drawing its charts
            pages[name] = RenderedPage(page.inner_text("body"), page.locator(MAP_REGION).count())
            page.screenshot(path=out_dir / f"{name}.png", full_page=True)
    return pages


def time_page_loads(
    url: str, paths: Mapping[str, str], warm_up_wait: float | None = None
) -> dict[str, float]:
    """Seconds each page takes from navigation until its script has finished (for the bench).

    With ``warm_up_wait``, every page is opened once first in the same browser (the app's Python
    and the browser's copy of the app's scripts get warm), and timed that many seconds later.
    """
    with chromium_page() as page:
        if warm_up_wait is not None:
            for path in paths.values():
                open_page(page, f"{url}{path}")
            time.sleep(warm_up_wait)
        return {name: open_page(page, f"{url}{path}") for name, path in paths.items()}
