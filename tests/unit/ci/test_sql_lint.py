"""SQL lint per dialect: the folder decides the dialect, and both dialects' DDL is checked."""

from pathlib import Path

from lakehouse.release.sql_lint import lint_dialect, main
from lakehouse.release.sql_scripts import dialect_of, sql_files_by_dialect
from lakehouse.warehouse.ddl import Dialect


def test_files_under_a_redshift_folder_are_redshift_and_others_postgres(tmp_path):
    assert dialect_of(tmp_path / "ddl" / "redshift" / "a.sql", tmp_path) is Dialect.REDSHIFT
    assert dialect_of(tmp_path / "redshift" / "copy" / "b.sql", tmp_path) is Dialect.REDSHIFT
    assert dialect_of(tmp_path / "marts" / "c.sql", tmp_path) is Dialect.POSTGRES
    assert dialect_of(tmp_path / "redshift.sql", tmp_path) is Dialect.POSTGRES


def test_grouping_finds_sql_files_by_dialect(tmp_path):
    (tmp_path / "ddl" / "redshift").mkdir(parents=True)
    (tmp_path / "ddl" / "redshift" / "a.sql").write_text("select 1;\n")
    (tmp_path / "ddl" / "b.sql").write_text("select 1;\n")
    grouped = sql_files_by_dialect(tmp_path)
    assert grouped[Dialect.REDSHIFT] == [tmp_path / "ddl" / "redshift" / "a.sql"]
    assert grouped[Dialect.POSTGRES] == [tmp_path / "ddl" / "b.sql"]
    assert sql_files_by_dialect(tmp_path / "missing") == {d: [] for d in Dialect}


def test_redshift_only_syntax_passes_as_redshift_and_fails_as_postgres(tmp_path):
    sql = tmp_path / "redshift" / "dist.sql"
    sql.parent.mkdir()
    sql.write_text("create table star.t (\n    id integer\n)\ndiststyle all;\n")
    assert lint_dialect(Dialect.REDSHIFT, [sql], root=tmp_path) == []
    findings = lint_dialect(Dialect.POSTGRES, [sql], root=tmp_path)
    assert findings
    assert {f.source for f in findings} == {str(Path("redshift") / "dist.sql")}


def test_generated_ddl_is_clean_in_both_dialects(tmp_path):
    for dialect in Dialect:
        assert lint_dialect(dialect, [], root=tmp_path) == []


def test_lint_command_passes_on_the_project_and_says_what_it_linted(capsys):
    assert main() == 0
    out = capsys.readouterr().out
    assert out.startswith("sqlfluff: 0 finding(s); files per dialect {'postgres': ")
