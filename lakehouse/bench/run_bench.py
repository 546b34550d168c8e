"""Run a whole bench: data sets, stack, the three pipeline runs, the baselines and the report."""

import multiprocessing
import shutil
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from lakehouse.bench.datasets import DataSet, ensure_day, ensure_history
from lakehouse.bench.duckdb_baseline import glue_etl_with_duckdb
from lakehouse.bench.machine import describe_machine
from lakehouse.bench.measure import PeakSampler
from lakehouse.bench.page_loads import measure_page_loads
from lakehouse.bench.pipeline_runs import measure_run
from lakehouse.bench.psql_baseline import copy_fact_with_psql
from lakehouse.bench.render import render_markdown
from lakehouse.bench.results import (
    COLD_DAY,
    DAY,
    DUCKDB,
    HISTORY,
    PSQL_COPY,
    BaselineResult,
    BenchReport,
    load_report,
    save_report,
)
from lakehouse.bench.scales import BenchPlan
from lakehouse.config import Settings, load_settings
from lakehouse.resources.aws import make_client
from lakehouse.stack.manager import ENGINE_SERVICES, SERVICES, Service, bring_down, bring_up
from lakehouse.stack.reset import delete_glue_tables, empty_bucket
from lakehouse.stack.spark_engine import close_engine_session
from lakehouse.warehouse.empty_star import empty_star

Progress = Callable[[str], None]
Result = TypeVar("Result")


def run_bench(
    app_env: Mapping[str, str], plan: BenchPlan, docs: Path, progress: Progress
) -> BenchReport:
    """Measure ``plan`` on the stack ``app_env`` points at and write the report into ``docs``.

    Starts the stack when it is down and stops what it started. Writes
    ``docs/benchmarks/<scale>.json`` and re-renders ``docs/benchmarks.md`` from every scale's JSON.
    """
    settings = load_settings(app_env)
    data_root, scratch = settings.state_dir / "bench-data", settings.state_dir / "bench-scratch"
    with bench_stack(settings) as stack_seconds:
        history = ensure_history(data_root, plan.lines, plan.run_date, plan.seed)
        day = ensure_day(data_root, plan.day_lines, plan.next_date, plan.seed, plan.lines + 1)
        progress(f"data sets ready in {history.folder.parent}")
        machine = describe_machine(settings)
        engine_pids = _pids(settings, ENGINE_SERVICES)
        stack_pids = _pids(settings, SERVICES) + engine_pids
        with PeakSampler(stack_pids, engine_pids=engine_pids) as sampler:
            clear_lake(settings)
            runs = [measure_run(settings, sampler, HISTORY, history, plan.run_date, 0, progress)]
            page_loads = measure_page_loads(app_env)
            progress(f"dashboard pages: slowest {max(page_loads.values()):.2f} s")
            baselines = measure_baselines(settings, sampler, history, scratch, progress)
            runs.append(
                measure_run(settings, sampler, DAY, day, plan.next_date, plan.lines, progress)
            )
            clear_lake(settings)
            runs.append(measure_run(settings, sampler, COLD_DAY, day, plan.next_date, 0, progress))
    report = BenchReport(
        scale=plan.scale,
        lines=plan.lines,
        finished_at=f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        machine=machine,
        data_rows=history.rows,
        generate_seconds=history.seconds + day.seconds,
        stack_seconds=stack_seconds,
        runs=tuple(runs),
        baselines=baselines,
        page_loads=page_loads,
    )
    write_report(report, docs)
    return report


def measure_baselines(
    settings: Settings, sampler: PeakSampler, data: DataSet, scratch: Path, progress: Progress
) -> tuple[BaselineResult, ...]:
    """DuckDB's build over the CSV files of ``data``, then psql's COPY of the curated fact.

    DuckDB runs in a process of its own: the memory it takes is given back when that process
    ends, and is not counted in the pipeline runs that follow in this one.
    """
    results = []
    for name, measure in (
        (DUCKDB, lambda: in_own_process(glue_etl_with_duckdb, data.folder, scratch / "duckdb")),
        (PSQL_COPY, lambda: copy_fact_with_psql(settings, scratch)),
    ):
        sampler.label(name)
        seconds, rows = measure()
        results.append(BaselineResult(name, seconds, rows, sampler.peaks[name]))
        progress(f"baseline {name}: {rows:,} rows in {seconds:.1f} s")
    shutil.rmtree(scratch, ignore_errors=True)
    return tuple(results)


def in_own_process(function: Callable[..., Result], *args: object) -> Result:
    """``function(*args)`` in a new Python process (spawned, not forked); its result."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def write_report(report: BenchReport, docs: Path) -> None:
    """Save the scale's JSON and render ``benchmarks.md`` from every scale's latest JSON."""
    folder = docs / "benchmarks"
    save_report(report, folder / f"{report.scale}.json")
    # Smallest scale first, not in the JSON files' name order (100k, 10m, 1m).
    reports = sorted((load_report(path) for path in folder.glob("*.json")), key=lambda r: r.lines)
    (docs / "benchmarks.md").write_text(render_markdown(reports))


def clear_lake(settings: Settings) -> None:
    """Empty the buckets, the Glue database and the star tables, so the next run starts cold.

    The warehouse's star goes too: a run on an empty lake stops while the warehouse holds rows.
    """
    s3 = make_client(settings, "s3")
    for bucket in (settings.raw_bucket, settings.curated_bucket):
        empty_bucket(s3, bucket)
    delete_glue_tables(make_client(settings, "glue"), settings.glue_database)
    empty_star(settings)


@contextmanager
def bench_stack(settings: Settings) -> Iterator[float]:
    """Bring the stack up (yields the seconds it took, 0 when it was up); stop what it started."""
    started_at = time.perf_counter()
    started = bring_up(settings)
    seconds = time.perf_counter() - started_at if started else 0.0
    try:
        yield seconds
    finally:
        close_engine_session()
        if started:
            services = SERVICES + ENGINE_SERVICES
            bring_down(settings, [service for service in services if service.name in started])


def _pids(settings: Settings, services: Sequence[Service]) -> list[int]:
    pids = [service.find_pid(settings) for service in services]
    return [pid for pid in pids if pid is not None]
