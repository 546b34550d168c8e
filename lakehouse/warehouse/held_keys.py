"""What the warehouse holds of each star table: the Delta version loaded, its rows and key range.

Read before the ETL builds anything (:mod:`lakehouse.pipeline.check_history`). Plain SQL that
PostgreSQL and Redshift both run; a warehouse without the star or audit tables holds nothing yet.
"""

import psycopg
from psycopg import sql

from lakehouse.schema import STAR_TABLES, StarTable
from lakehouse.warehouse.ddl import SCHEMA
from lakehouse.warehouse.history import KeyRange
from lakehouse.warehouse.loaded_versions import DeltaVersion
from lakehouse.warehouse.star_names import star_identifier

_TABLES = (
    "select table_schema, table_name from information_schema.tables"
    " where table_schema in ('star', 'audit')"
)
_VERSIONS = "select table_name, delta_table_id, delta_version from audit.loaded_versions"


def read_existing_tables(connection: psycopg.Connection) -> set[tuple[str, str]]:
    """(schema, table) of every table the ``star`` and ``audit`` schemas have."""
    return {(schema, name) for schema, name in connection.execute(_TABLES)}


def read_held_tables(connection: psycopg.Connection) -> dict[str, DeltaVersion | None]:
    """Star tables that hold rows, each with the Delta version ``audit.loaded_versions`` records.

    ``None`` for a table with rows but no version recorded (loaded before versions were, or by
    the aws profile's COPY, which records none).
    """
    existing = read_existing_tables(connection)
    versions = {}
    if ("audit", "loaded_versions") in existing:
        versions = {
            name: DeltaVersion(table_id, version)
            for name, table_id, version in connection.execute(_VERSIONS)
        }
    return {
        table.name: versions.get(table.name)
        for table in STAR_TABLES
        if (SCHEMA, table.name) in existing and holds_rows(connection, table)
    }


def holds_rows(connection: psycopg.Connection, table: StarTable) -> bool:
    """Whether ``star.<table>`` has at least one row (reads one row at most)."""
    return has_rows(connection, star_identifier(table))


def has_rows(connection: psycopg.Connection, relation: sql.Identifier) -> bool:
    """Whether ``relation`` has at least one row (reads one row at most)."""
    query = sql.SQL("select 1 from {} limit 1").format(relation)
    return connection.execute(query).fetchone() is not None


def read_key_range(connection: psycopg.Connection, table: StarTable) -> KeyRange:
    """Rows of ``star.<table>`` and the range of its surrogate keys."""
    key = sql.Identifier(table.key)
    query = sql.SQL("select count(*), min({}), max({}) from {}").format(
        key, key, star_identifier(table)
    )
    rows, first_key, last_key = connection.execute(query).fetchone()
    return KeyRange(rows, first_key, last_key)
