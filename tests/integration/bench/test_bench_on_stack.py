"""`lakehouse bench` end to end at a tiny scale on the test stack; no timing is asserted.

Its runs use the stack's warm engine, as the bench's runs do on the stack it starts.
"""

import pytest

from lakehouse.bench.results import COLD_DAY, DAY, DUCKDB, HISTORY, PSQL_COPY, load_report
from lakehouse.bench.run_bench import in_own_process, run_bench
from lakehouse.bench.scales import BenchPlan
from lakehouse.bench.targets import check_targets
from lakehouse.dashboard.serve import PAGES

pytestmark = [pytest.mark.integration, pytest.mark.embedded_stack]


def test_bench_writes_every_run_step_and_baseline_to_the_json_and_the_page(engine_env, tmp_path):
    docs = tmp_path / "docs"
    # In a process of its own, as `lakehouse bench` runs: a Spark Connect session in this one
    # would turn the suite's later sessions in it into Spark Connect ones (with one worker).
    plan = BenchPlan(lines=400, day_lines=100)
    report = in_own_process(run_bench, engine_env, plan, docs, print)  # progress: captured

    assert [(run.name, run.lines, run.lines_before) for run in report.runs] == [
        (HISTORY, 400, 0),
        (DAY, 100, 400),
        (COLD_DAY, 100, 0),
    ]
    history = report.run(HISTORY)
    assert history.step("run_glue_etl").input_rows == sum(report.data_rows.values())
    assert history.step("load_sales_fact").input_rows == 400
    assert history.peak.driver > 0  # the Spark driver's JVM was sampled
    assert history.peak.stack > history.peak.driver
    assert [(b.name, b.rows) for b in report.baselines] == [(DUCKDB, 400), (PSQL_COPY, 400)]
    assert sorted(report.page_loads) == sorted(PAGES)
    assert len(check_targets(report)) == 8
    assert history.step("land_raw").spark_jobs == 0
    assert history.step("run_glue_etl").spark_jobs > 0
    assert all(run.spark_jobs > 0 for run in report.runs)  # counted in every run
    # Both build an empty lake; the engine's earlier jobs (other tests') are not the first's.
    cold_jobs = report.run(COLD_DAY).step("run_glue_etl").spark_jobs
    assert history.step("run_glue_etl").spark_jobs == cold_jobs
    assert load_report(docs / "benchmarks" / "400.json") == report
    page = (docs / "benchmarks.md").read_text()
    for heading in ("## 400: 400 sales lines", "### Targets", "### Baselines", "### Dashboard"):
        assert heading in page
