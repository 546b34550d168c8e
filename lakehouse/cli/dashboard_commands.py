"""`lakehouse dashboard`: the four dashboards (Streamlit) over the warehouse's bi views."""

import subprocess

import typer
from rich.console import Console

from lakehouse.config import load_settings
from lakehouse.dashboard.serve import DEFAULT_HOST, DEFAULT_PORT, dashboard_url, streamlit_command

console = Console()


def dashboard(
    port: int = typer.Option(DEFAULT_PORT, "--port", help="Port to listen on."),
    host: str = typer.Option(DEFAULT_HOST, "--host", help="Address to listen on."),
) -> None:
    """Serve the Executive, Product, Customer and Geographic dashboards (foreground; Ctrl-C stops).

    The app reads the active profile's warehouse; with no data yet it says to run the pipeline.
    """
    settings = load_settings()
    console.print(
        f"dashboard for the {settings.profile} profile: {dashboard_url(port, host)}  (Ctrl-C stops)"
    )
    try:
        completed = subprocess.run(streamlit_command(port, host), check=False)
    except KeyboardInterrupt:
        return
    if completed.returncode not in {0, -2, 130}:
        raise typer.Exit(completed.returncode)


def register(app: typer.Typer) -> None:
    """Add the dashboard command to ``app``."""
    app.command(rich_help_panel="Dashboards")(dashboard)
