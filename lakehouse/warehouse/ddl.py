"""Warehouse DDL generated from the single schema source, for PostgreSQL and Redshift."""

from enum import StrEnum

from lakehouse.schema import STAR_TABLES, ColumnType, StarColumn, StarTable
from lakehouse.schema.types import MONEY_DECIMAL

SCHEMA = "star"


def qualified_name(table: StarTable) -> str:
    """``star.<table>``, as SQL text (names from the schema module only)."""
    return f"{SCHEMA}.{table.name}"


class Dialect(StrEnum):
    """SQL dialects the warehouse DDL is generated for."""

    POSTGRES = "postgres"
    REDSHIFT = "redshift"


_TYPES = {
    ColumnType.TEXT: {Dialect.POSTGRES: "text", Dialect.REDSHIFT: "varchar(256)"},
    ColumnType.DATE: "date",
    ColumnType.INTEGER: "integer",
    ColumnType.BIGINT: "bigint",
    ColumnType.SMALLINT: "smallint",
    ColumnType.MONEY: "numeric({},{})".format(*MONEY_DECIMAL),
    ColumnType.BOOLEAN: "boolean",
}


def sql_type(column: StarColumn, dialect: Dialect) -> str:
    """SQL type of a column in ``dialect``."""
    mapped = _TYPES[column.type]
    return mapped[dialect] if isinstance(mapped, dict) else mapped


def create_table_sql(table: StarTable, dialect: Dialect = Dialect.POSTGRES) -> str:
    """``create table if not exists`` for one star table, warehouse columns only."""
    lines = [
        f"    {column.name} {sql_type(column, dialect)}{'' if column.nullable else ' not null'}"
        for column in table.warehouse_columns
    ]
    lines.append(f"    primary key ({table.key})")
    body = ",\n".join(lines)
    return f"create table if not exists {qualified_name(table)} (\n{body}\n);\n"


def comment_sql(table: StarTable) -> str:
    """``comment on table`` with the table's grain (PostgreSQL and Redshift both accept it)."""
    grain = table.grain.replace("'", "''")
    return f"comment on table {qualified_name(table)} is '{grain}';\n"


def star_ddl(dialect: Dialect = Dialect.POSTGRES) -> str:
    """DDL of every star table, in load order."""
    return "\n".join(create_table_sql(t, dialect) + comment_sql(t) for t in STAR_TABLES)
