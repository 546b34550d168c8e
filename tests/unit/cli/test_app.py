import subprocess
import sys

from typer.testing import CliRunner

from lakehouse.cli.app import app
from lakehouse.schema import STAR_TABLES

runner = CliRunner()


def test_help_lists_the_stack_pipeline_and_step_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in (
        "up",
        "down",
        "status",
        "env",
        "reset",
        "generate",
        "run",
        "demo",
        "run-crawler",
    ):
        assert f" {command} " in result.output


def test_run_without_a_source_folder_is_a_usage_error():
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 2
    assert "--source" in result.output


def test_run_with_a_malformed_run_date_says_the_expected_form():
    result = runner.invoke(app, ["run", "--source", ".", "--run-date", "30/06/2024"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_reset_refuses_without_yes():
    result = runner.invoke(app, ["reset"])
    assert result.exit_code == 2
    assert "--yes" in result.output


def test_ddl_prints_a_create_table_for_every_star_table_in_both_dialects():
    for dialect in ("postgres", "redshift"):
        result = runner.invoke(app, ["ddl", "--dialect", dialect])
        assert result.exit_code == 0
        created = [line.split()[5] for line in result.output.splitlines() if "create table" in line]
        assert created == [f"star.{table.name}" for table in STAR_TABLES]


def test_rebuild_refuses_without_yes_and_its_help_says_what_it_replays():
    refused = runner.invoke(app, ["rebuild"])
    shown = runner.invoke(app, ["rebuild", "--help"], env={"COLUMNS": "200"})

    assert refused.exit_code == 2
    assert "--yes" in refused.output
    assert shown.exit_code == 0
    assert "every ingest date still in the raw zone, in date order" in shown.output
    assert "lakehouse reset --yes" in shown.output


def test_help_loads_no_engine_or_cloud_library():
    # Each command imports what it runs when it runs, so `lakehouse --help` and `env` stay fast.
    heavy = ("pyspark", "pandas", "pandera", "duckdb", "great_expectations", "boto3", "psycopg")
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from lakehouse.cli.app import app\n"
        "assert CliRunner().invoke(app, ['--help']).exit_code == 0\n"
        f"print(sorted(name for name in {heavy!r} if name in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )

    assert done.stdout.strip() == "[]"
