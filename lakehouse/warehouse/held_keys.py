"""What the warehouse holds of each star table: the Delta version loaded, its rows and key range.

Read before the ETL builds anything (:mod:`lakehouse.pipeline.check_history`). Plain SQL that
PostgreSQL and Redshift both run, through a :data:`~lakehouse.warehouse.warehouse_rows.Rows`
(over psycopg, or the Data API); a warehouse without the star or audit tables holds nothing yet.
Table and column names come from the schema module, never from input.
"""

from lakehouse.schema import STAR_TABLES, StarTable
from lakehouse.warehouse.ddl import SCHEMA, qualified_name
from lakehouse.warehouse.history import KeyRange
from lakehouse.warehouse.loaded_versions import DeltaVersion
from lakehouse.warehouse.warehouse_rows import Rows

_TABLES = (
    "select table_schema, table_name from information_schema.tables"
    " where table_schema in ('star', 'audit')"
)
_VERSIONS = "select table_name, delta_table_id, delta_version from audit.loaded_versions"


def read_existing_tables(rows: Rows) -> set[tuple[str, str]]:
    """(schema, table) of every table the ``star`` and ``audit`` schemas have."""
    return {(schema, name) for schema, name in rows(_TABLES)}


def read_held_tables(rows: Rows) -> dict[str, DeltaVersion | None]:
    """Star tables that hold rows, each with the Delta version ``audit.loaded_versions`` records.

    ``None`` for a table with rows but no version recorded (loaded before versions were, or by
    the aws profile's COPY, which records none).
    """
    existing = read_existing_tables(rows)
    versions = {}
    if ("audit", "loaded_versions") in existing:
        versions = {
            name: DeltaVersion(table_id, version) for name, table_id, version in rows(_VERSIONS)
        }
    return {
        table.name: versions.get(table.name)
        for table in STAR_TABLES
        if (SCHEMA, table.name) in existing and holds_rows(rows, table)
    }


def holds_rows(rows: Rows, table: StarTable) -> bool:
    """Whether ``star.<table>`` has at least one row (reads one row at most)."""
    return has_rows(rows, qualified_name(table))


def has_rows(rows: Rows, relation: str) -> bool:
    """Whether ``relation`` (``schema.name``) has at least one row (reads one row at most)."""
    return bool(rows(f"select 1 from {relation} limit 1"))  # noqa: S608 (the DDL's names)


def read_key_range(rows: Rows, table: StarTable) -> KeyRange:
    """Rows of ``star.<table>`` and the range of its surrogate keys."""
    key, star = table.key, qualified_name(table)
    query = f"select count(*), min({key}), max({key}) from {star}"  # noqa: S608 (schema's names)
    [(count, first_key, last_key)] = rows(query)
    return KeyRange(count, first_key, last_key)
