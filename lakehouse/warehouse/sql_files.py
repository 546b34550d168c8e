"""The SQL files of ``warehouse_sql/``, read in numeric/alphabetical order."""

import re
from dataclasses import dataclass
from pathlib import Path

from lakehouse.config import PROJECT_ROOT

SQL_ROOT = PROJECT_ROOT / "warehouse_sql"
#: Folders of what is derived from the star tables, in dependency order: the sale lines, the
#: daily tables kept from them, the marts that sum those, the bi views the dashboards read.
DERIVED_FOLDERS = ("base", "daily", "marts", "bi")
MATERIALIZED_VIEW = re.compile(r"create materialized view if not exists ([\w.]+)", re.I)
#: A derived table's DDL: its name, and the query whose rows it holds.
DAILY_TABLE = re.compile(
    r"create table if not exists ([\w.]+) as\s+(.*?)\s+with no data", re.I | re.S
)
#: What each kind of derived object is created with, by PostgreSQL's ``pg_class.relkind``.
_CREATED_KINDS = (
    ("r", DAILY_TABLE),
    ("r", re.compile(r"create table if not exists ([\w.]+) \(", re.I)),
    ("m", MATERIALIZED_VIEW),
    ("v", re.compile(r"create or replace view ([\w.]+)", re.I)),
)


#: The first sale date of each customer, over the rows of :data:`CUSTOMER_TOTALS`.
FIRST_PURCHASES = "bi.customer_first_purchases"
CUSTOMER_TOTALS = "bi.customer_daily_totals"


@dataclass(frozen=True)
class DailyTable:
    """A derived table kept by day (``warehouse_sql/daily``): its name and the query it holds."""

    name: str
    query: str


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


def daily_tables() -> list[DailyTable]:
    """Every table of ``warehouse_sql/daily``, in file order."""
    return [
        DailyTable(match[1], match[2])
        for _, sql in read_sql_files("daily")
        for match in DAILY_TABLE.finditer(sql)
    ]


def derived_kinds() -> dict[str, str]:
    """Every derived object the DDL creates: ``schema.name`` -> its ``pg_class.relkind``.

    ``r`` for a table, ``m`` for a materialized view, ``v`` for a view.
    """
    return {
        match[1]: kind
        for _, sql in read_derived_files()
        for kind, pattern in _CREATED_KINDS
        for match in pattern.finditer(sql)
    }


def read_sql(relative_path: str) -> str:
    """Text of one file under ``warehouse_sql/``."""
    return (SQL_ROOT / Path(relative_path)).read_text()
