"""Rich renderings of a run: step progress, the run summary and where to look next."""

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from lakehouse.config import Settings
from lakehouse.dashboard.serve import dashboard_url

if TYPE_CHECKING:
    from lakehouse.pipeline.run_pipeline import RunSummary


def print_step(console: Console, name: str, event: str, seconds: float) -> None:
    """One progress line per step event."""
    if event == "start":
        console.print(f"[cyan]>[/] {name} ...", highlight=False)
    elif event == "done":
        console.print(f"[green]ok[/] {name} ({seconds:.1f} s)", highlight=False)
    else:
        console.print(f"[red]FAILED[/] {name} ({seconds:.1f} s)", highlight=False)


def print_summary(console: Console, summary: "RunSummary") -> None:
    """Rows per entity, star table row counts, revenue totals and time per step."""
    record, build = summary.record, summary.build
    console.print(f"\n[bold]Run {record.run_id}[/] for {record.run_date}: {record.status}")
    if build:
        console.print(_entity_table(summary))
        console.print(_table_rows(summary))
        console.print(_revenue(summary))
    steps = Table("step", "seconds", title="Time per step")
    for step, seconds in record.step_seconds.items():
        steps.add_row(step, f"{seconds:.1f}")
    steps.add_row("[bold]total[/]", f"{sum(record.step_seconds.values()):.1f}")
    console.print(steps)


def print_next_steps(console: Console, settings: Settings) -> None:
    """Where to look after a run: the warehouse DSN (without its password) and the lake."""
    from lakehouse.resources.warehouse import read_credentials
    from lakehouse.stack.spark_engine import engine_runs, engine_ui_url, engine_url

    dsn = read_credentials(settings).redacted_dsn
    console.print("\n[bold]Where to look next[/]")
    console.print(f"  warehouse:   psql '{dsn}'  (or: eval \"$(lakehouse env)\")")
    console.print("               select * from star.mv_daily_sales_summary limit 10;")
    console.print(f"  raw zone:    {settings.raw_url()}/  (quarantine under _quarantine/)")
    console.print(f"  curated:     {settings.curated_url()}/  (Delta tables)")
    if settings.aws_endpoint_url:
        console.print(f"  S3 emulator: {settings.aws_endpoint_url}  (aws --endpoint-url ...)")
    console.print(f"  dashboards:  .venv/bin/lakehouse dashboard  ->  {dashboard_url()}")
    if engine_runs(settings):
        console.print(f"  spark:       {engine_url(settings)}  (web UI {engine_ui_url(settings)})")


def _entity_table(summary: "RunSummary") -> Table:
    table = Table("entity", "read", "loaded", "quarantined", "duplicate", "orphans", title="Rows")
    for entity, counts in summary.build.entities.items():
        orphans = ", ".join(f"{k}={v}" for k, v in counts.orphans.items() if v) or "-"
        table.add_row(
            entity,
            f"{counts.rows_read:,}",
            f"{counts.rows_loaded:,}",
            f"{counts.rows_quarantined:,}",
            f"{counts.rows_duplicate:,}",
            orphans,
        )
    return table


def _table_rows(summary: "RunSummary") -> Table:
    table = Table(
        "star table", "curated rows", "rows applied to the warehouse", title="Star schema"
    )
    for name, rows in summary.curated_rows.items():
        table.add_row(name, f"{rows:,}", f"{summary.rows_applied.get(name, 0):,}")
    return table


def _revenue(summary: "RunSummary") -> Table:
    table = Table("measure", "total", title="sales_fact totals (warehouse)")
    totals = next((c.totals for c in summary.checks if c.totals), {})
    for measure, value in totals.items():
        table.add_row(measure, f"{value:,}")
    return table
