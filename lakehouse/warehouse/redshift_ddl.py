"""The whole warehouse DDL in Redshift's dialect, one statement per item, in the order it runs.

Schemas, the star tables (generated from the schema source), the audit tables (derived from the
PostgreSQL files of ``warehouse_sql/ddl``: ``text`` becomes ``varchar(65535)``, ``jsonb``
becomes ``super``, check constraints go, as Redshift has none), then the sale lines, daily
tables, marts and bi views (derived from ``warehouse_sql/{base,daily,marts,bi}``). Redshift has
no ``if not exists`` or ``with no data`` for materialized views or tables made from a query, so
every one is dropped first (``cascade`` takes the bi views on them) and created again, empty, in
order (the refresh fills them: on this profile, every day each run); it has no indexes either,
so those are left out.
The deploy and the aws DAG's ``create_schema`` run them through the Redshift Data API
(:func:`apply_redshift_ddl`).
"""

import re

from lakehouse.config import Settings, require_redshift
from lakehouse.resources.aws import make_client
from lakehouse.resources.redshift_data import poll_until_finished, run_statements
from lakehouse.warehouse.ddl import Dialect, star_ddl
from lakehouse.warehouse.sql_files import (
    DAILY_TABLE,
    MATERIALIZED_VIEW,
    daily_tables,
    materialized_views,
    read_derived_files,
    read_sql_files,
)

_STATEMENT_END = re.compile(r";[ \t]*$", re.M)
_CREATE_INDEX = re.compile(r"^create (unique )?index ", re.I | re.M)
_WITH_NO_DATA = re.compile(r"\s+with no data\s*$", re.I)
_NESTED_PARENS = r"\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)"
#: PostgreSQL table DDL -> Redshift, in order: (pattern, replacement).
_TABLE_REWRITES = [
    (re.compile(r",\s*constraint \w+ check " + _NESTED_PARENS, re.I), ""),
    (re.compile(r" default '[^']*'::jsonb", re.I), ""),
    (re.compile(r"\bjsonb\b", re.I), "super"),
    (re.compile(r"^(\s+\w+) text\b", re.I | re.M), r"\1 varchar(65535)"),
    (re.compile(r"\bdefault now\(\)", re.I), "default getdate()"),
]


def split_statements(sql: str) -> list[str]:
    """The statements of a script whose statements end with ``;`` at the end of a line."""
    statements = (part.strip() for part in _STATEMENT_END.split(sql))
    return [s for s in statements if s and not all(_is_comment(line) for line in s.splitlines())]


def _is_comment(line: str) -> bool:
    return not line.strip() or line.lstrip().startswith("--")


def redshift_derived(statement: str) -> list[str]:
    """One statement of the derived files in Redshift's dialect (none for an index)."""
    if _CREATE_INDEX.search(statement):
        return []
    if daily := DAILY_TABLE.search(statement):
        return [f"create table {daily[1]} as\n{daily[2]}\nlimit 0"]
    if MATERIALIZED_VIEW.search(statement):
        return [
            _WITH_NO_DATA.sub("", MATERIALIZED_VIEW.sub(r"create materialized view \1", statement))
        ]
    return [statement]


def redshift_table(postgres_sql: str) -> str:
    """A PostgreSQL ``create table`` statement rewritten in Redshift's types and constraints."""
    for pattern, replacement in _TABLE_REWRITES:
        postgres_sql = pattern.sub(replacement, postgres_sql)
    return postgres_sql


def redshift_warehouse_ddl() -> list[str]:
    """Every Redshift DDL statement: schemas, star and audit tables, then the derived objects."""
    (_, schemas), *tables = read_sql_files("ddl")
    statements = split_statements(schemas)
    statements += split_statements(star_ddl(Dialect.REDSHIFT))
    statements += [redshift_table(sql) for _, script in tables for sql in split_statements(script)]
    statements += [
        f"drop materialized view if exists {name} cascade"
        for name in reversed(materialized_views())
    ]
    statements += [
        f"drop table if exists {table.name} cascade" for table in reversed(daily_tables())
    ]
    for _, script in read_derived_files():
        statements += [s for sql in split_statements(script) for s in redshift_derived(sql)]
    return statements


def apply_redshift_ddl(settings: Settings, poll_seconds: float) -> list[str]:
    """Run the warehouse DDL on the settings' Redshift through the Data API; the statement ids.

    One statement after another, each once the previous one has run (polled soon at first, then
    every ``poll_seconds``).

    Raises:
        ConfigError: The settings name no Redshift.
        ServiceError: A statement failed (with Redshift's error).
    """
    target = require_redshift(settings)
    client = make_client(settings, "redshift-data")
    wait = poll_until_finished(poll_seconds)
    return run_statements(client, target, redshift_warehouse_ddl(), wait)
