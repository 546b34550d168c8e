"""``docs/benchmarks.md``: one section per scale, rendered from the reports."""

from collections.abc import Iterable, Sequence

from lakehouse.bench.measure import MemoryPeak
from lakehouse.bench.results import (
    BASELINE_STEPS,
    COLD_DAY,
    HISTORY,
    BenchReport,
    RunResult,
    StepResult,
)
from lakehouse.bench.targets import check_targets, throughput_ratio

_MARKS = {True: "yes", False: "**no**", None: "-"}
_INTRO = """# Benchmarks

Written by `make bench SCALE=100k|1m|10m` (`lakehouse bench --scale ...`); each scale's figures
are from its latest run (JSON beside this file, in `docs/benchmarks/`). Each bench generates a
seeded data set, runs the whole pipeline on a stack of its own (stack already up), then the
baselines on the same data, then an incremental day on top of the history and the same day alone on
an empty lake. Targets are reported, never asserted.

- rows/s: rows the step reads (raw rows up to the transform, curated or warehouse rows after it)
  divided by its wall time.
- Spark jobs: jobs the step started in the pipeline's Spark session ("-" in runs from before the
  bench counted them).
- Memory: proportional set size (PSS, shared pages split between processes) of the bench's Python
  process, of the Spark driver JVM, and of the whole stack (Python, JVM, emulator, PostgreSQL),
  sampled every 0.5 s; the peak while the step ran.
- vs baseline: the step's throughput divided by its baseline's on the same data (baseline seconds
  / step seconds): DuckDB (SQL over the same CSV files, writing Parquet) for `run_glue_etl`, a raw
  `psql \\copy` of the same fact rows into a copy of the table for `load_sales_fact`.
"""


def render_markdown(reports: Iterable[BenchReport]) -> str:
    """The whole page: introduction, then one section per report, smallest scale first."""
    ordered = sorted(reports, key=lambda report: report.lines)
    return "\n".join([_INTRO, *(render_section(report) for report in ordered)])


def render_section(report: BenchReport) -> str:
    """One scale: machine, data set, targets, each run's steps, baselines."""
    data = ", ".join(f"{entity} {rows:,}" for entity, rows in report.data_rows.items())
    lines = [
        f"## {report.scale}: {report.lines:,} sales lines",
        "",
        f"Finished {report.finished_at}. Data set: {data} rows"
        f" (generated in {report.generate_seconds:.1f} s; 0 when reused)."
        f" Stack start: {report.stack_seconds:.1f} s (0 when it was up).",
        "",
        _table(["machine", ""], report.machine.items()),
        "",
        "### Targets",
        "",
        _table(
            ["target", "measured", "met"],
            [(c.target, c.measured, _MARKS[c.met]) for c in check_targets(report)],
        ),
        "",
        "### Runs",
        "",
        _table(
            ["run", "sales lines", "on top of", "end to end", "vs cold day"],
            [_run_row(run, report) for run in report.runs],
        ),
    ]
    for run in report.runs:
        lines += ["", f"#### {run.name}: steps", "", _steps_table(run, report)]
    lines += ["", "### Baselines", "", _baselines_table(report)]
    lines += [
        "",
        "### Dashboard pages (history's warehouse, warm app)",
        "",
        _pages_table(report),
        "",
    ]
    return "\n".join(lines)


def _run_row(run: RunResult, report: BenchReport) -> list[str]:
    cold = report.run(COLD_DAY)
    ratio = f"{run.seconds / cold.seconds:.2f}x" if cold and cold.seconds else "-"
    return [run.name, f"{run.lines:,}", f"{run.lines_before:,}", f"{run.seconds:.1f} s", ratio]


def _steps_table(run: RunResult, report: BenchReport) -> str:
    head = [
        "step",
        "seconds",
        "input rows",
        "rows/s",
        "Spark jobs",
        "python",
        "driver JVM",
        "stack",
    ]
    rows = [[*_step_row(step), _vs_baseline(step, run, report)] for step in run.steps]
    jobs = _count(run.spark_jobs)
    total = ["**end to end**", f"**{run.seconds:.1f}**", "", "", jobs, *_memory(run.peak), ""]
    return _table([*head, "vs baseline"], [*rows, total])


def _step_row(step: StepResult) -> list[str]:
    rows = _count(step.input_rows)
    rate = step.rows_per_second
    rate_text = "-" if rate is None else f"{rate:,.0f}"
    jobs = _count(step.spark_jobs)
    return [step.name, f"{step.seconds:.1f}", rows, rate_text, jobs, *_memory(step.peak)]


def _count(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _vs_baseline(step: StepResult, run: RunResult, report: BenchReport) -> str:
    if run.name != HISTORY:
        return ""
    for name, peer in BASELINE_STEPS.items():
        baseline = report.baseline(name)
        if peer == step.name and baseline is not None:
            return f"{throughput_ratio(step.seconds, baseline.seconds):.2f}x {name}"
    return ""


def _baselines_table(report: BenchReport) -> str:
    rows = [
        [
            b.name,
            b.step,
            f"{b.seconds:.1f}",
            f"{b.rows:,}",
            f"{b.rows / b.seconds:,.0f}",
            *_memory(b.peak),
        ]
        for b in report.baselines
        if b.seconds > 0
    ]
    head = ["baseline", "peer of", "seconds", "rows", "rows/s", "python", "driver JVM", "stack"]
    return _table(head, rows)


def _pages_table(report: BenchReport) -> str:
    rows = [[page, f"{seconds:.2f}"] for page, seconds in report.page_loads.items()]
    return _table(["page", "seconds to load"], rows or [["not measured", "-"]])


def _memory(peak: MemoryPeak) -> list[str]:
    return [format_bytes(peak.python), format_bytes(peak.driver), format_bytes(peak.stack)]


def format_bytes(count: int) -> str:
    """Bytes as MiB below 1 GiB, else GiB, with one or two decimals."""
    if count >= 2**30:
        return f"{count / 2**30:.2f} GiB"
    return f"{count / 2**20:.0f} MiB"


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
