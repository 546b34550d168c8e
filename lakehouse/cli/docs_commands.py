"""`lakehouse docs`: the Great Expectations Data Docs of the latest runs, served or opened."""

import functools
import http.server
import webbrowser

import typer
from rich.console import Console

from lakehouse.config import load_settings
from lakehouse.errors import ConfigError

console = Console()
DEFAULT_PORT = 8502


def docs(
    port: int = typer.Option(DEFAULT_PORT, "--port", help="Port to serve the site on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    open_browser: bool = typer.Option(
        False, "--open", help="Open the site's index.html in a browser instead of serving it."
    ),
) -> None:
    """Serve the data-quality Data Docs (static HTML) of the active profile (Ctrl-C stops).

    Every `lakehouse run` validates the curated star tables and the warehouse with Great
    Expectations suites and rebuilds this site (also uploaded to s3://<curated-bucket>/_data_docs/).
    The site lists each run's validation results: which expectations passed or failed, and why.
    """
    from validation.run_suites import site_dir

    site = site_dir(load_settings())
    index = site / "index.html"
    if not index.exists():
        raise ConfigError(f"no Data Docs at {site}: run the pipeline first (`lakehouse run`)")
    if open_browser:
        webbrowser.open(index.as_uri())
        console.print(f"opened {index.as_uri()}")
        return
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    with http.server.ThreadingHTTPServer((host, port), handler) as server:
        console.print(f"Data Docs on http://{host}:{port}/  (Ctrl-C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            return


def register(app: typer.Typer) -> None:
    """Add the docs command to ``app``."""
    app.command(rich_help_panel="Data quality")(docs)
