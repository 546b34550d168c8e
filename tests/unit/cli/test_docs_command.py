"""`lakehouse docs`: serves the Data Docs site, or says to run the pipeline when there is none."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from lakehouse.cli.app import app

runner = CliRunner()


def test_docs_help_explains_what_the_site_holds_and_the_options() -> None:
    result = runner.invoke(app, ["docs", "--help"], terminal_width=200)

    assert result.exit_code == 0
    assert "Data Docs" in result.output
    for option in ("--port", "--host", "--open"):
        assert option in result.output


def test_docs_without_a_site_says_to_run_the_pipeline_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAKEHOUSE_STATE_DIR", str(tmp_path))

    result = runner.invoke(app, ["docs"])

    assert result.exit_code == 1
    message = " ".join(result.stderr.split())  # rich wraps at 80 columns without a terminal
    assert "no Data Docs at" in message
    assert "run the pipeline first" in message
