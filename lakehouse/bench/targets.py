"""The issue's targets, checked against a report (reported in the table, never asserted)."""

from collections.abc import Callable
from dataclasses import dataclass

from lakehouse.bench.results import COLD_DAY, DAY, DUCKDB, HISTORY, PSQL_COPY, BenchReport
from lakehouse.bench.scales import DAY_LINES, SCALES

GIB = 2**30
_LARGEST, _ONE_MILLION = SCALES["10m"], SCALES["1m"]


@dataclass(frozen=True)
class TargetCheck:
    """One target: its wording, the measured figure and whether it is met (``None``: not here)."""

    target: str
    measured: str
    met: bool | None


def throughput_ratio(step_seconds: float, baseline_seconds: float) -> float:
    """Throughput of a step relative to its baseline on the same data (2.0: twice as fast)."""
    return baseline_seconds / step_seconds if step_seconds > 0 else 0.0


def baseline_ratio(report: BenchReport, baseline_name: str) -> float | None:
    """Throughput of the history run's step relative to the named baseline, when both ran."""
    history, baseline = report.run(HISTORY), report.baseline(baseline_name)
    step = history.step(baseline.step) if history and baseline else None
    if step is None or baseline is None:
        return None
    return throughput_ratio(step.seconds, baseline.seconds)


def check_targets(report: BenchReport) -> list[TargetCheck]:
    """Every target of the issue, as far as this report's scale measures it."""
    checks: list[Callable[[BenchReport], TargetCheck]] = [
        _check_small_run,
        _check_largest_run,
        _check_transform,
        _check_load,
        _check_incremental,
        _check_memory,
        _check_page_loads,
        _check_spark_jobs,
    ]
    return [check(report) for check in checks]


def _check_small_run(report: BenchReport) -> TargetCheck:
    target = f"{DAY_LINES:,} lines end to end (stack up) <= 60 s"
    name = HISTORY if report.lines == DAY_LINES else COLD_DAY
    run = report.run(name)
    if run is None:
        return TargetCheck(target, "not run", None)
    where = "new JVM" if name == HISTORY else "JVM already started"
    return TargetCheck(target, f"{run.seconds:.1f} s ({name} run, {where})", run.seconds <= 60)


def _check_largest_run(report: BenchReport) -> TargetCheck:
    target = f"{_LARGEST:,} lines end to end <= 10 min"
    run = report.run(HISTORY)
    if report.lines != _LARGEST or run is None:
        return TargetCheck(target, f"not measured at {report.scale}", None)
    return TargetCheck(target, f"{run.seconds / 60:.1f} min", run.seconds <= 600)


def _check_transform(report: BenchReport) -> TargetCheck:
    return _ratio_check(report, DUCKDB, "transform throughput >= 1/3 of DuckDB's", 1 / 3)


def _check_load(report: BenchReport) -> TargetCheck:
    return _ratio_check(report, PSQL_COPY, "warehouse load >= 0.8x psql \\copy", 0.8)


def _ratio_check(report: BenchReport, baseline: str, target: str, floor: float) -> TargetCheck:
    ratio = baseline_ratio(report, baseline)
    if ratio is None:
        return TargetCheck(target, "not run", None)
    return TargetCheck(target, f"{ratio:.2f}x", ratio >= floor)


def _check_incremental(report: BenchReport) -> TargetCheck:
    day, cold = report.run(DAY), report.run(COLD_DAY)
    target = "incremental day <= 1.5x the cold day run"
    if day is None or cold is None:
        return TargetCheck(target, "not run", None)
    ratio = day.seconds / cold.seconds
    history = f"on {day.lines_before:,} lines of history"
    return TargetCheck(target, f"{ratio:.2f}x ({history})", ratio <= 1.5)


def _check_memory(report: BenchReport) -> TargetCheck:
    """The stack's peak over the pipeline runs; the baselines' own peaks are not the pipeline's."""
    target = "peak memory of the whole stack in the pipeline runs <= 6 GiB (target at 10 M)"
    peak = max((run.peak.stack for run in report.runs), default=0)
    return TargetCheck(target, f"{peak / GIB:.2f} GiB", peak <= 6 * GIB)


def _check_page_loads(report: BenchReport) -> TargetCheck:
    target = "each dashboard page loads < 2 s (target at 1 M lines)"
    if not report.page_loads:
        return TargetCheck(target, "not run", None)
    page, seconds = max(report.page_loads.items(), key=lambda item: item[1])
    measured = f"slowest {page}: {seconds:.2f} s on {report.lines:,} lines"
    return TargetCheck(target, measured, seconds < 2 if report.lines >= _ONE_MILLION else None)


def _check_spark_jobs(report: BenchReport) -> TargetCheck:
    target = f"Spark jobs of a {DAY_LINES:,}-line run <= 25"
    cold = report.run(COLD_DAY)
    jobs = cold.spark_jobs if cold else None
    if cold is None or jobs is None:
        return TargetCheck(target, "not counted", None)
    measured = f"{jobs} ({cold.lines:,}-line cold day run)"
    return TargetCheck(target, measured, jobs <= 25 if cold.lines == DAY_LINES else None)
