"""`lakehouse bench`: speed and memory of the pipeline at a scale, against baselines."""

import os
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from lakehouse.bench.scales import DAY_LINES, SCALES, BenchPlan, parse_scale
from lakehouse.bench.stack_env import bench_env
from lakehouse.bench.targets import check_targets
from lakehouse.config import PROJECT_ROOT

console = Console()


def bench(
    scale: str = typer.Option(
        "100k", "--scale", help=f"Sales lines of the history: {' | '.join(SCALES)}."
    ),
    docs: Path = typer.Option(
        PROJECT_ROOT / "docs", "--docs", help="Folder of benchmarks.md and benchmarks/*.json."
    ),
    lines: int = typer.Option(None, "--lines", hidden=True, help="Any number of sales lines."),
    day_lines: int = typer.Option(DAY_LINES, "--day-lines", hidden=True),
) -> None:
    """Measure the pipeline at a scale with baselines on the same data; write benchmarks.md.

    Runs on a stack of its own, started and stopped here: ports 4577, 5449 and 15012 (its Spark
    engine), state in .lakehouse/bench. Override with LAKEHOUSE_BENCH_EMULATOR_PORT,
    LAKEHOUSE_BENCH_WAREHOUSE_PORT and LAKEHOUSE_BENCH_ENGINE_PORT.
    """
    from lakehouse.bench.run_bench import run_bench

    plan = BenchPlan(lines=lines or parse_scale(scale), day_lines=day_lines)
    report = run_bench(
        bench_env(os.environ, plan.lines),
        plan,
        docs,
        lambda message: console.print(message, highlight=False),
    )
    table = Table("target", "measured", "met", title=f"bench {report.scale}")
    for check in check_targets(report):
        table.add_row(check.target, check.measured, {True: "yes", False: "no"}.get(check.met, "-"))
    console.print(table)
    console.print(f"written: {docs / 'benchmarks.md'}")


def register(app: typer.Typer) -> None:
    """Add the bench command to ``app``."""
    app.command(rich_help_panel="Pipeline")(bench)
