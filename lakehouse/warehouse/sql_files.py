"""The SQL files of ``warehouse_sql/``, read in numeric/alphabetical order."""

import re
from pathlib import Path

from lakehouse.config import PROJECT_ROOT

SQL_ROOT = PROJECT_ROOT / "warehouse_sql"
#: Folders of what is derived from the star tables, in dependency order: the sale lines, the
#: marts that aggregate them, the bi views and materialized views the dashboards read.
DERIVED_FOLDERS = ("base", "marts", "bi")
MATERIALIZED_VIEW = re.compile(r"create materialized view if not exists ([\w.]+)", re.I)


def read_sql_files(folder: str) -> list[tuple[str, str]]:
    """``(file name, SQL text)`` of every ``*.sql`` file in ``warehouse_sql/<folder>``, in order."""
    return [(path.name, path.read_text()) for path in sorted((SQL_ROOT / folder).glob("*.sql"))]


def read_derived_files() -> list[tuple[str, str]]:
    """:func:`read_sql_files` of every folder of :data:`DERIVED_FOLDERS`, in that order."""
    return [script for folder in DERIVED_FOLDERS for script in read_sql_files(folder)]


def materialized_views() -> list[str]:
    """``schema.name`` of every materialized view the DDL creates, in dependency order."""
    return [
        match[1] for _, sql in read_derived_files() for match in MATERIALIZED_VIEW.finditer(sql)
    ]


def read_sql(relative_path: str) -> str:
    """Text of one file under ``warehouse_sql/``."""
    return (SQL_ROOT / Path(relative_path)).read_text()
