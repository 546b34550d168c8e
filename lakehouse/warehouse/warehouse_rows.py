"""Queries on the profile's warehouse, read as rows: over psycopg, or through the Data API.

Locally (and on docker) the warehouse is the stack's PostgreSQL, reached with the DSN of its
secret. Where the settings name a Redshift (``LAKEHOUSE_REDSHIFT_*``, the aws profile), the
queries go through the Redshift Data API instead: Redshift sits in private subnets, with no route
from Airflow. Both read a numeric column as a ``Decimal`` and a NULL as ``None``.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg

from lakehouse.config import Settings
from lakehouse.resources.aws import make_client
from lakehouse.resources.redshift_data import fetch_rows, poll_until_finished
from lakehouse.resources.warehouse import connect

#: Runs one query and returns all its rows.
Rows = Callable[[str], list[tuple]]
#: Longest pause between two checks of a running query (the first ones come sooner).
QUERY_POLL_SECONDS = 1.0


@contextmanager
def warehouse_rows(settings: Settings) -> Iterator[Rows]:
    """A function that runs a query on the settings' warehouse and returns its rows.

    Raises:
        ServiceError: The warehouse cannot be reached, or a query failed.
    """
    target = settings.redshift
    if target is not None:
        client = make_client(settings, "redshift-data")
        wait = poll_until_finished(QUERY_POLL_SECONDS)
        yield lambda query: fetch_rows(client, target, query, wait)
        return
    with connect(settings) as connection:
        yield connection_rows(connection)


def connection_rows(connection: psycopg.Connection) -> Rows:
    """Queries on an open psycopg connection (in its transaction), read as rows."""
    return lambda query: connection.execute(query).fetchall()
