"""Create the warehouse's schemas, star tables, audit tables and materialized views (idempotent)."""

from lakehouse.config import Settings
from lakehouse.resources.warehouse import connect
from lakehouse.warehouse.ddl import Dialect, star_ddl
from lakehouse.warehouse.sql_files import read_sql_files


def warehouse_ddl() -> list[tuple[str, str]]:
    """Every DDL statement group in the order it runs: schemas, star tables, audit, marts, bi."""
    ddl = read_sql_files("ddl")
    schemas, rest = ddl[:1], ddl[1:]
    return [
        *schemas,
        ("star tables (generated)", star_ddl(Dialect.POSTGRES)),
        *rest,
        *read_sql_files("marts"),
        *read_sql_files("bi"),
        *read_sql_files("grants"),
    ]


def create_schema(settings: Settings) -> list[str]:
    """Apply :func:`warehouse_ddl` in one transaction; returns the names of what ran."""
    applied = []
    with connect(settings) as connection:
        for name, statements in warehouse_ddl():
            connection.execute(statements)
            applied.append(name)
        connection.commit()
    return applied
