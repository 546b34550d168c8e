"""Refresh the materialized views after a load has committed."""

from psycopg import sql

from lakehouse.config import Settings
from lakehouse.resources.warehouse import connect
from lakehouse.warehouse.sql_files import materialized_views


def refresh_mat_views(settings: Settings) -> list[str]:
    """Refresh every materialized view, in dependency order, in one transaction.

    The sale lines first, then the marts and the bi views that aggregate them, so each reads
    what the one before it has just refreshed. Each is analyzed too: a refresh leaves the
    planner's statistics as they were, and without them the pages' queries take plans that
    suit an empty view. Returns their ``schema.name``.
    """
    names = materialized_views()
    with connect(settings) as connection:
        for name in names:
            view = sql.Identifier(*name.split("."))
            connection.execute(sql.SQL("refresh materialized view {}").format(view))
            connection.execute(sql.SQL("analyze {}").format(view))
        connection.commit()
    return names
