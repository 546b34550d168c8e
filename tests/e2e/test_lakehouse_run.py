"""End to end: `lakehouse run` on a generated folder; warehouse totals equal those from the CSVs.

Run as users run it after `lakehouse up`: a process of its own whose Spark work runs on the
stack's warm engine (Spark Connect). The expected totals are computed here, from the CSV files,
with Python's csv and decimal modules, independently of the pipeline's code.
"""

import subprocess
from datetime import date

import pytest

from lakehouse.generate import GeneratorSpec, generate_dataset
from lakehouse.resources.warehouse import read_credentials
from lakehouse.stack.spark_engine import engine_url
from tests.helpers.cli import run_command
from tests.helpers.totals import expected_totals, warehouse_totals

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.embedded_stack]
RUN_DATE = date(2024, 6, 30)


def test_lakehouse_run_on_the_engine_loads_the_totals_of_the_csv_files_and_a_rerun_changes_nothing(
    engine, engine_env, lake, tmp_path
):
    source = tmp_path / "batch"
    source.mkdir()
    spec = GeneratorSpec(
        seed=7,
        customers=300,
        products=60,
        locations=12,
        days=30,
        sales_lines=2_000,
        end_date=RUN_DATE,
    )
    generate_dataset(source, spec)
    expected = expected_totals(source)
    credentials = read_credentials(lake)
    dsn = credentials.dsn
    # No Spark jars on the client: a run that started a Spark of its own would fail.
    no_jars = tmp_path / "no-jars"
    no_jars.mkdir()
    env = {**engine_env, "LAKEHOUSE_JARS_DIR": str(no_jars)}

    first = subprocess.run(
        run_command(source, RUN_DATE), env=env, capture_output=True, text=True, check=False
    )
    assert first.returncode == 0, first.stdout + first.stderr
    assert "succeeded" in first.stdout
    assert f"spark:       {engine_url(engine)}" in first.stdout
    # Only `lakehouse env` prints the password; the summary points at it.
    assert credentials.password not in first.stdout + first.stderr
    assert 'eval "$(lakehouse env)"' in first.stdout
    assert warehouse_totals(dsn) == expected

    second = subprocess.run(
        run_command(source, RUN_DATE), env=env, capture_output=True, text=True, check=False
    )
    assert second.returncode == 0, second.stdout + second.stderr
    assert warehouse_totals(dsn) == expected
