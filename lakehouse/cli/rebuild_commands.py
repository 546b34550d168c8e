"""`lakehouse rebuild`: re-create the curated zone from the raw zone, on purpose."""

from typing import TYPE_CHECKING

import typer
from rich.console import Console

from lakehouse.config import Profile, load_settings

if TYPE_CHECKING:
    from lakehouse.pipeline.rebuild_lake import RebuildReport, ReplayedDate

console = Console()


def rebuild(
    yes: bool = typer.Option(
        False, "--yes", help="Confirm: the curated star tables are removed before the rebuild."
    ),
) -> None:
    """Re-create the curated zone from every ingest date still in the raw zone, in date order.

    For a curated zone that was lost or damaged: `lakehouse run` then stops with "lacks history
    that the warehouse holds". The rebuild takes the run lock, removes the curated star tables,
    crawls the raw zone and runs the Spark build once per ingest date (s3://<raw>/<entity>/
    ingest_date=D/), with D as the run date, printing each date. Replayed in date order, the
    batches give every natural key the surrogate key its own run gave it. A date whose files fail
    a gate is skipped, as its own run was. The warehouse is left as it is: the next `lakehouse
    run` reloads it from the rebuilt tables once it has checked that they keep every key the
    warehouse holds. To start over instead, run `lakehouse reset --yes`.
    """
    if not yes:
        raise typer.BadParameter(
            "rebuild removes the curated star tables before re-creating them; pass --yes to confirm"
        )
    from lakehouse.pipeline.rebuild_lake import rebuild_lake
    from lakehouse.stack.manager import bring_up

    settings = load_settings()
    if settings.profile is Profile.LOCAL:
        started = bring_up(settings)
        if started:
            console.print(f"started the local stack: {', '.join(started)}")
    print_report(rebuild_lake(settings, print_date))


def print_date(replayed: "ReplayedDate") -> None:
    """One progress line per ingest date: building, rebuilt (with rows loaded) or skipped."""
    day = replayed.run_date.isoformat()
    if replayed.status == "building":
        console.print(f"[cyan]>[/] {day} building ...", highlight=False)
    elif replayed.build is not None:
        loaded = ", ".join(
            f"{name} {counts.rows_loaded:,}" for name, counts in replayed.build.entities.items()
        )
        console.print(
            f"[green]ok[/] {day} rebuilt ({replayed.seconds:.1f} s): rows loaded {loaded}",
            highlight=False,
        )
    else:
        console.print(f"[yellow]skipped[/] {day}: {replayed.reason}", highlight=False)


def print_report(report: "RebuildReport") -> None:
    """What the rebuild did, and what to run next."""
    rebuilt = [item for item in report.dates if item.build is not None]
    console.print(
        f"removed {report.removed_objects:,} objects of the old curated tables; rebuilt"
        f" {len(rebuilt)} of {len(report.dates)} ingest dates",
        highlight=False,
    )
    console.print("next: `lakehouse run` reloads the warehouse from the rebuilt curated zone")


def register(app: typer.Typer) -> None:
    """Add the rebuild command to ``app``."""
    app.command(rich_help_panel="Pipeline")(rebuild)
