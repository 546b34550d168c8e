"""`lakehouse generate | run | demo`: sample data and the whole pipeline."""

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from lakehouse.cli.render import print_next_steps, print_step, print_summary
from lakehouse.config import Profile, Settings, load_settings

if TYPE_CHECKING:
    from lakehouse.pipeline.run_pipeline import RunSummary

console = Console()
RUN_DATE_HELP = (
    "Batch date YYYY-MM-DD (the raw partition and the sale-date window); default today (UTC)."
)


def generate(
    out: Path = typer.Option(..., "--out", help="Folder to write the CSV files into."),
    sales_lines: int = typer.Option(100_000, help="Sales lines over all sales files."),
    customers: int = typer.Option(5_000, help="Customers."),
    products: int = typer.Option(500, help="Products."),
    locations: int = typer.Option(50, help="Stores."),
    days: int = typer.Option(90, help="Days of sales, ending on --end-date."),
    end_date: str = typer.Option(None, help="Last sale date YYYY-MM-DD; default today (UTC)."),
    seed: int = typer.Option(42, help="Random seed; the same options give the same bytes."),
    defect_rate: float = typer.Option(0.0, help="Share of rows replaced by each kind of bad row."),
    gzip: bool = typer.Option(False, "--gzip", help="Write .csv.gz files."),
) -> None:
    """Generate a seeded, realistic sample data set in the contract's CSV format."""
    from lakehouse.generate import GeneratorSpec, generate_dataset

    spec = GeneratorSpec(
        seed=seed,
        customers=customers,
        products=products,
        locations=locations,
        days=days,
        sales_lines=sales_lines,
        end_date=parse_run_date(end_date),
        defect_rate=defect_rate,
        gzip=gzip,
    )
    out.mkdir(parents=True, exist_ok=True)
    summary = generate_dataset(out, spec)
    for entity, rows in summary.rows.items():
        console.print(f"{entity}: {rows:,} rows")
    console.print(f"written to {out}")


def run(
    source: Path = typer.Option(..., "--source", help="Folder of <entity>*.csv[.gz] files."),
    run_date: str = typer.Option(None, "--run-date", help=RUN_DATE_HELP),
) -> None:
    """Run the whole pipeline on a CSV folder against the active profile.

    Exit code 0: loaded and every gate passed. Non-zero: a gate or step failed; the message names
    the gate, the entity and where the evidence is.
    """
    settings = load_settings()
    summary = run_with_progress(settings, source, parse_run_date(run_date))
    print_summary(console, summary)
    print_next_steps(console, settings)


def demo(
    sales_lines: int = typer.Option(100_000, help="Sales lines of the sample data set."),
) -> None:
    """Start the local stack, generate a sample data set and run the whole pipeline on it."""
    from lakehouse.generate import GeneratorSpec, generate_dataset

    settings = load_settings()
    run_date = parse_run_date(None)
    source = settings.state_dir / "sample" / f"{sales_lines}-{run_date}"
    if not source.exists():
        console.print(f"generating {sales_lines:,} sales lines into {source} ...")
        source.mkdir(parents=True)
        generate_dataset(source, GeneratorSpec(sales_lines=sales_lines, end_date=run_date))
    summary = run_with_progress(settings, source, run_date)
    print_summary(console, summary)
    print_next_steps(console, settings)


def run_with_progress(settings: Settings, source: Path, run_date: date) -> "RunSummary":
    """Bring the local stack up when needed, then run the pipeline printing each step."""
    from lakehouse.pipeline.run_pipeline import run_pipeline
    from lakehouse.stack.manager import bring_up

    if settings.profile is Profile.LOCAL:
        started = bring_up(settings)
        if started:
            console.print(f"started the local stack: {', '.join(started)}")
    return run_pipeline(settings, source, run_date, lambda *event: print_step(console, *event))


def parse_run_date(value: str | None) -> date:
    """Parse ``YYYY-MM-DD``; ``None`` means today in UTC."""
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def register(app: typer.Typer) -> None:
    """Add the pipeline commands to ``app``."""
    for command in (generate, run, demo):
        app.command(rich_help_panel="Pipeline")(command)
