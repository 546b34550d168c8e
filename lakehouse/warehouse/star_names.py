"""The star tables' names as psycopg SQL identifiers, qualified by their schema."""

from psycopg import sql

from lakehouse.schema import StarTable
from lakehouse.warehouse.ddl import SCHEMA


def star_identifier(table: StarTable) -> sql.Identifier:
    """``star.<table>``, quoted for psycopg's SQL composition."""
    return sql.Identifier(SCHEMA, table.name)
