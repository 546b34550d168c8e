"""The warehouse SQL scripts of a release, per dialect, in the order they run.

PostgreSQL gets exactly what ``lakehouse create-schema`` applies (schemas, generated star tables,
audit tables, sale lines, marts, bi views, grants) as numbered files, plus the quality checks.
Redshift gets what ``lakehouse deploy`` applies through the Data API (schemas, star and audit
tables, sale lines, marts, bi views), in one script.
"""

import re
from pathlib import Path

from lakehouse.warehouse.ddl import Dialect
from lakehouse.warehouse.redshift_ddl import redshift_warehouse_ddl

#: A folder of ``warehouse_sql/`` with this name holds SQL of that dialect; others are PostgreSQL.
DIALECT_FOLDERS = {dialect.value: dialect for dialect in Dialect}


def dialect_of(path: Path, root: Path) -> Dialect:
    """Dialect of a SQL file under ``root``: nearest folder named after one, else postgres."""
    for part in reversed(path.relative_to(root).parts[:-1]):
        if part in DIALECT_FOLDERS:
            return DIALECT_FOLDERS[part]
    return Dialect.POSTGRES


def sql_files_by_dialect(root: Path) -> dict[Dialect, list[Path]]:
    """Every ``*.sql`` file under ``root`` grouped by :func:`dialect_of`, sorted."""
    grouped: dict[Dialect, list[Path]] = {dialect: [] for dialect in Dialect}
    if root.is_dir():
        for path in sorted(root.rglob("*.sql")):
            grouped[dialect_of(path, root)].append(path)
    return grouped


def _slug(name: str) -> str:
    """File-name form of a script name: ``star tables (generated)`` -> ``star_tables_generated``."""
    stem = re.sub(r"^\d+_", "", name.removesuffix(".sql"))
    return re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_")


def postgres_scripts(root: Path) -> list[tuple[str, str]]:
    """``(file name, SQL)`` for PostgreSQL: the create-schema sequence, then the checks."""
    from lakehouse.warehouse.create_schema import warehouse_ddl  # noqa: PLC0415 (needs psycopg)

    scripts = [
        (f"{index:03d}_{_slug(name)}.sql", sql)
        for index, (name, sql) in enumerate(warehouse_ddl(), start=1)
    ]
    scripts += [
        (f"checks/{path.name}", path.read_text(encoding="utf-8"))
        for path in sorted((root / "checks").glob("*.sql"))
    ]
    return scripts


def redshift_scripts() -> list[tuple[str, str]]:
    """``(file name, SQL)`` for Redshift: the whole warehouse DDL, one statement after another."""
    return [("001_warehouse_ddl.sql", "".join(f"{sql};\n\n" for sql in redshift_warehouse_ddl()))]


def write_sql_scripts(root: Path, target: Path) -> dict[Dialect, list[Path]]:
    """Write both dialects' scripts under ``target/<dialect>/``; returns the files per dialect."""
    written: dict[Dialect, list[Path]] = {}
    for dialect, scripts in (
        (Dialect.POSTGRES, postgres_scripts(root)),
        (Dialect.REDSHIFT, redshift_scripts()),
    ):
        paths = []
        for name, sql in scripts:
            path = target / dialect.value / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(sql if sql.endswith("\n") else sql + "\n", encoding="utf-8")
            paths.append(path)
        written[dialect] = paths
    return written
