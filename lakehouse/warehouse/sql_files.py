"""The SQL files of ``warehouse_sql/``, read in numeric/alphabetical order."""

from pathlib import Path

from lakehouse.config import PROJECT_ROOT

SQL_ROOT = PROJECT_ROOT / "warehouse_sql"


def read_sql_files(folder: str) -> list[tuple[str, str]]:
    """``(file name, SQL text)`` of every ``*.sql`` file in ``warehouse_sql/<folder>``, in order."""
    return [(path.name, path.read_text()) for path in sorted((SQL_ROOT / folder).glob("*.sql"))]


def read_sql(relative_path: str) -> str:
    """Text of one file under ``warehouse_sql/``."""
    return (SQL_ROOT / Path(relative_path)).read_text()
