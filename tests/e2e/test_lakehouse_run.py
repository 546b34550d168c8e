"""End to end: `lakehouse run` on a generated folder; warehouse totals equal those from the CSVs.

The expected totals are computed here, from the CSV files, with Python's csv and decimal modules,
independently of the pipeline's code.
"""

from datetime import date

import pytest

from lakehouse.generate import GeneratorSpec, generate_dataset
from lakehouse.resources.warehouse import read_credentials
from tests.helpers.cli import run_lakehouse
from tests.helpers.totals import expected_totals, warehouse_totals

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
RUN_DATE = date(2024, 6, 30)


def test_lakehouse_run_loads_totals_equal_to_the_csv_files_and_a_rerun_changes_nothing(
    lake, lake_env, tmp_path
):
    source = tmp_path / "batch"
    source.mkdir()
    spec = GeneratorSpec(
        seed=7,
        customers=300,
        products=60,
        locations=12,
        days=30,
        sales_lines=5_000,
        end_date=RUN_DATE,
    )
    generate_dataset(source, spec)
    expected = expected_totals(source)
    credentials = read_credentials(lake)
    dsn = credentials.dsn

    # As a user runs it: Spark compiles each query (the suite's other runs interpret theirs).
    lake_env = {**lake_env, "LAKEHOUSE_SPARK_CODEGEN": "on"}
    first = run_lakehouse(lake_env, source, RUN_DATE)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "succeeded" in first.stdout
    # Only `lakehouse env` prints the password; the summary points at it.
    assert credentials.password not in first.stdout + first.stderr
    assert 'eval "$(lakehouse env)"' in first.stdout
    assert warehouse_totals(dsn) == expected

    second = run_lakehouse(lake_env, source, RUN_DATE)
    assert second.returncode == 0, second.stdout + second.stderr
    assert warehouse_totals(dsn) == expected
