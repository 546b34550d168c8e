"""`lakehouse unlock`: free the lake from the lease of a run that crashed."""

import typer
from rich.console import Console

from lakehouse.config import load_settings

console = Console()


def unlock() -> None:
    """Remove the run lease from the curated bucket, whoever holds it.

    Runs take the lake one at a time (a lease in s3://<curated>/_locks/); a crashed run's lease
    expires by itself after two hours. Use this only when no run is going on.
    """
    from lakehouse.pipeline.run_lock import LOCK_KEY, force_release

    settings = load_settings()
    removed = force_release(settings)
    if removed is None:
        console.print(f"no run holds the lake (s3://{settings.curated_bucket}/{LOCK_KEY})")
        return
    console.print(
        f"removed the lease of run {removed.run_id} ({removed.holder}),"
        f" taken {removed.acquired_at:%Y-%m-%d %H:%M} UTC"
    )


def register(app: typer.Typer) -> None:
    """Add the lock command to ``app``."""
    app.command(rich_help_panel="Pipeline")(unlock)
