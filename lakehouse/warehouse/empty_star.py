"""Empty the warehouse's star tables, for a lake that starts from nothing on purpose.

A warehouse that holds rows stops a run on an empty lake (it would lose that history, see
:mod:`lakehouse.pipeline.check_history`); the bench's cold runs and the tests' fresh lakes start
from an empty star instead. `lakehouse reset --yes` is the user's way to the same end.
"""

from psycopg import sql

from lakehouse.config import Settings
from lakehouse.resources.warehouse import connect
from lakehouse.schema import STAR_TABLES
from lakehouse.warehouse.days_to_refresh import DAYS_TABLE, mark_all_days
from lakehouse.warehouse.ddl import SCHEMA
from lakehouse.warehouse.held_keys import read_existing_tables
from lakehouse.warehouse.warehouse_rows import connection_rows


def empty_star(settings: Settings) -> list[str]:
    """Truncate every star table that exists, in one statement; returns their names.

    Every sale day is marked, so the next refresh empties the daily tables too.
    """
    with connect(settings) as connection:
        existing = read_existing_tables(connection_rows(connection))
        names = [table.name for table in STAR_TABLES if (SCHEMA, table.name) in existing]
        if names:
            targets = sql.SQL(", ").join(sql.Identifier(SCHEMA, name) for name in names)
            connection.execute(sql.SQL("truncate {}").format(targets))
        if DAYS_TABLE in existing:
            mark_all_days(connection)
        connection.commit()
    return names
