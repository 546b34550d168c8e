"""Step ``refresh_mat_views`` on Redshift, through the Data API: every day, then the marts.

The aws profile's loads replace each star table whole, so every day of the daily tables is
rewritten: in one batch (one transaction) each daily table and the customers' first purchases
are emptied and filled again from their queries (the ``warehouse_sql/daily`` queries of the
local refresh, which the DDL made the tables from, so the columns come in the tables' order).
Then each mart's materialized view is refreshed, one statement each, since Redshift runs a
``REFRESH MATERIALIZED VIEW`` as a transaction of its own, and every object is analyzed. The
names come from the SQL files, never from input.
"""

from lakehouse.config import Settings, require_redshift
from lakehouse.resources.aws import make_client
from lakehouse.resources.redshift_data import poll_until_finished, run_batch, run_statements
from lakehouse.warehouse.sql_files import (
    CUSTOMER_TOTALS,
    FIRST_PURCHASES,
    DailyTable,
    daily_tables,
    materialized_views,
)


def rewrite_statements(tables: list[DailyTable]) -> list[str]:
    """Empty and fill again each daily table, then the first purchase of every customer."""
    statements = []
    for table in tables:
        statements += [
            f"delete from {table.name}",  # noqa: S608 (names from the SQL files)
            f"insert into {table.name}\n{table.query}",  # INSERT INTO ... WITH ... SELECT
        ]
    return [
        *statements,
        f"delete from {FIRST_PURCHASES}",  # noqa: S608
        f"insert into {FIRST_PURCHASES} (customer_key, first_purchase_date)"  # noqa: S608
        f" select customer_key, min(sale_date) from {CUSTOMER_TOTALS} group by customer_key",
    ]


def refresh_statements(views: list[str], written: list[str]) -> list[str]:
    """Refresh each mart's view, then analyze every object the refresh wrote."""
    return [f"refresh materialized view {view}" for view in views] + [
        f"analyze {name}" for name in written
    ]


def refresh_on_redshift(settings: Settings, poll_seconds: float = 2.0) -> list[str]:
    """Rewrite every day of the daily tables, then refresh the marts; the objects refreshed.

    Raises:
        ConfigError: The settings name no Redshift.
        ServiceError: A statement failed (with Redshift's error); a failed rewrite changed
            nothing.
    """
    tables, views = daily_tables(), materialized_views()
    written = [table.name for table in tables] + [FIRST_PURCHASES, *views]
    client, target = make_client(settings, "redshift-data"), require_redshift(settings)
    wait = poll_until_finished(poll_seconds)
    run_batch(client, target, rewrite_statements(tables), wait)
    run_statements(client, target, refresh_statements(views, written), wait)
    return written
