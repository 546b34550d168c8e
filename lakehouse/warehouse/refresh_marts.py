"""Refresh the materialized views after a load has committed."""

from psycopg import sql

from lakehouse.config import Settings
from lakehouse.resources.warehouse import connect
from lakehouse.warehouse.sql_files import SQL_ROOT

MARTS = tuple(path.stem for path in sorted((SQL_ROOT / "marts").glob("mv_*.sql")))


def refresh_marts(settings: Settings) -> list[str]:
    """Refresh every materialized view of ``star`` in one transaction; returns their names."""
    with connect(settings) as connection:
        for name in MARTS:
            connection.execute(
                sql.SQL("refresh materialized view {}").format(sql.Identifier("star", name))
            )
        connection.commit()
    return list(MARTS)
