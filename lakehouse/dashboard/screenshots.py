"""`make screenshots`: start the app on the active profile's warehouse and save each page as PNG.

Run after `make demo` (a demo-sized warehouse); writes ``docs/images/dashboard-<page>.png``.
"""

import os
import sys
import tempfile
from pathlib import Path

from lakehouse.config import PROJECT_ROOT, load_settings
from lakehouse.dashboard.browser import capture_pages, running_app
from lakehouse.dashboard.serve import PAGES
from lakehouse.stack.endpoints import free_port

OUT_DIR = PROJECT_ROOT / "docs" / "images"


def main() -> None:
    """Capture the four pages into ``docs/images``."""
    settings = load_settings()
    with tempfile.TemporaryDirectory() as scratch:
        with running_app(os.environ, free_port(), Path(scratch) / "app.log") as url:
            capture_pages(url, PAGES, Path(scratch))
        for page in PAGES:
            target = OUT_DIR / f"dashboard-{page}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((Path(scratch) / f"{page}.png").read_bytes())
            sys.stdout.write(f"{settings.profile}: wrote {target.relative_to(PROJECT_ROOT)}\n")


if __name__ == "__main__":
    main()
