import json

import pytest

from lakehouse.bench.measure import MemoryPeak
from lakehouse.bench.render import format_bytes, render_markdown
from lakehouse.bench.results import (
    COLD_DAY,
    DAY,
    DUCKDB,
    HISTORY,
    PSQL_COPY,
    BaselineResult,
    BenchReport,
    RunResult,
    StepResult,
    load_report,
    save_report,
)
from lakehouse.bench.targets import check_targets, throughput_ratio

GIB = 2**30


def _run(name: str, lines: int, before: int, seconds: float, etl: float, load: float) -> RunResult:
    peak = MemoryPeak(GIB // 4, GIB, 2 * GIB)
    steps = (
        StepResult("run_glue_etl", etl, lines, peak, spark_jobs=113),
        StepResult("create_schema", 0.5, None, peak, spark_jobs=0),
        StepResult("load_sales_fact", load, lines + before, peak),  # jobs not counted
    )
    return RunResult(name, lines, before, seconds, steps)


def _report(lines: int = 100_000, slowest_page: float = 1.5) -> BenchReport:
    return BenchReport(
        scale="100k",
        lines=lines,
        finished_at="2026-11-26 16:00 UTC",
        machine={"cores": "2"},
        data_rows={"customers": 5_000, "sales": lines},
        generate_seconds=3.0,
        stack_seconds=0.0,
        runs=(
            _run(HISTORY, lines, 0, 50.0, etl=30.0, load=2.0),
            _run(DAY, 100_000, lines, 45.0, etl=25.0, load=2.0),
            _run(COLD_DAY, 100_000, 0, 40.0, etl=20.0, load=1.0),
        ),
        baselines=(
            BaselineResult(DUCKDB, 5.0, lines, MemoryPeak(GIB, 0, 3 * GIB)),
            BaselineResult(PSQL_COPY, 1.0, lines, MemoryPeak(0, 0, GIB)),
        ),
        page_loads={"executive": 0.9, "geographic": slowest_page},
    )


def test_throughput_ratio_is_baseline_seconds_over_step_seconds():
    assert (throughput_ratio(30.0, 10.0), throughput_ratio(0.0, 1.0)) == (1 / 3, 0.0)


def test_targets_of_a_100k_bench_use_the_history_run_and_skip_the_10m_target():
    checks = {check.target: check for check in check_targets(_report())}
    small = checks["100,000 lines end to end (stack up) <= 60 s"]
    assert (small.measured, small.met) == ("50.0 s (history run, new JVM)", True)
    assert checks["10,000,000 lines end to end <= 10 min"].met is None
    transform = checks["transform throughput >= 1/3 of DuckDB's"]
    assert (transform.measured, transform.met) == ("0.17x", False)
    load = checks["warehouse load >= 0.8x psql \\copy"]
    assert (load.measured, load.met) == ("0.50x", False)
    incremental = checks["incremental day <= 1.5x the cold day run"]
    assert (incremental.measured, incremental.met) == ("1.12x (on 100,000 lines of history)", True)
    memory = checks["peak memory of the whole stack in the pipeline runs <= 6 GiB (target at 10 M)"]
    assert (memory.measured, memory.met) == ("2.00 GiB", True)  # not DuckDB's 3 GiB


def test_targets_of_a_larger_bench_time_100k_lines_on_the_cold_day_run():
    checks = check_targets(_report(lines=1_000_000))
    assert checks[0].measured == "40.0 s (cold day run, JVM already started)"


@pytest.mark.parametrize(
    ("lines", "slowest", "met"),
    [(1_000_000, 1.5, True), (1_000_000, 2.5, False), (100_000, 2.5, None)],
)
def test_the_page_load_target_counts_from_a_million_lines(lines, slowest, met):
    checks = {check.target: check for check in check_targets(_report(lines, slowest))}
    pages = checks["each dashboard page loads < 2 s (target at 1 M lines)"]
    assert pages.measured == f"slowest geographic: {slowest:.2f} s on {lines:,} lines"
    assert pages.met is met


def test_report_survives_a_round_trip_through_json(tmp_path):
    report = _report()
    save_report(report, tmp_path / "100k.json")
    assert load_report(tmp_path / "100k.json") == report


def test_markdown_has_a_section_per_scale_with_steps_baselines_and_ratios():
    page = render_markdown([_report(lines=1_000_000), _report()])
    assert page.index("## 100k: 100,000 sales lines") < page.index("## 100k: 1,000,000 sales")
    assert "| run_glue_etl | 30.0 | 100,000 | 3,333 | 113 | 256 MiB | 1.00 GiB | 2.00 GiB |" in page
    assert "0.17x DuckDB build |" in page
    assert "0.50x psql \\copy |" in page
    assert "| DuckDB build | run_glue_etl | 5.0 | 100,000 | 20,000 |" in page
    assert "| create_schema | 0.5 | - | - | 0 |" in page
    assert "| load_sales_fact | 2.0 | 100,000 | 50,000 | - |" in page
    assert "| **end to end** | **50.0** |  |  | 113 |" in page
    assert "| incremental day | 100,000 | 100,000 | 45.0 s | 1.12x |" in page
    assert "| geographic | 1.50 |" in page


def test_format_bytes_uses_mib_below_a_gib():
    assert (format_bytes(512 * 2**20), format_bytes(3 * GIB // 2)) == ("512 MiB", "1.50 GiB")


def test_the_spark_jobs_target_counts_the_cold_day_run_of_the_day_size():
    checks = {check.target: check for check in check_targets(_report())}
    jobs = checks["Spark jobs of a 100,000-line run <= 25"]
    assert (jobs.measured, jobs.met) == ("113 (100,000-line cold day run)", False)


def test_a_report_from_before_the_jobs_were_counted_reads_and_renders_with_dashes(tmp_path):
    save_report(_report(), tmp_path / "old.json")
    data = json.loads((tmp_path / "old.json").read_text())
    for run in data["runs"]:
        for step in run["steps"]:
            del step["spark_jobs"]
    (tmp_path / "old.json").write_text(json.dumps(data))

    old = load_report(tmp_path / "old.json")

    assert {step.spark_jobs for run in old.runs for step in run.steps} == {None}
    assert "| run_glue_etl | 30.0 | 100,000 | 3,333 | - |" in render_markdown([old])
