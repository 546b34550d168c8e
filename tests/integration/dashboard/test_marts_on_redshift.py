"""The aws profile's refresh, through the emulator's Data API: the same daily tables and marts.

The known star is written into a Redshift of the test's own (the deployment's DDL, then INSERTs
through the Data API) and refreshed by ``refresh_mat_views`` on the aws settings, which rewrites
every day in one batch and refreshes each mart on its own. Each object it refreshed holds, row
for row, what the local refresh of the same rows holds.
"""

import dataclasses
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from lakehouse.config import Settings
from lakehouse.resources.aws import make_client
from lakehouse.resources.redshift_data import poll_until_finished, run_batch, sql_literal
from lakehouse.warehouse.redshift_ddl import apply_redshift_ddl
from lakehouse.warehouse.refresh_mat_views import refresh_mat_views
from lakehouse.warehouse.warehouse_rows import warehouse_rows
from tests.helpers.redshift import deployed_target, redshift_cluster
from tests.integration.dashboard.conftest import known_rows

pytestmark = pytest.mark.integration


def literal(value: object) -> str:
    """A known row's value as a SQL literal (the rows are the test's own)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | Decimal):
        return str(value)
    return sql_literal(value.isoformat() if isinstance(value, date) else str(value))


@pytest.fixture
def redshift_known(stack: Settings) -> Iterator[Settings]:
    """The aws settings of a Redshift of the test's own, holding the known star."""
    with redshift_cluster(stack) as target:
        settings = dataclasses.replace(stack, redshift=deployed_target(target))
        apply_redshift_ddl(settings, poll_seconds=0.5)
        inserts = [
            f"insert into star.{table} values "
            + ", ".join(f"({', '.join(map(literal, row))})" for row in rows)
            for table, rows in known_rows().items()
        ]
        client, wait = make_client(settings, "redshift-data"), poll_until_finished(0.5)
        run_batch(client, settings.redshift, inserts, wait)
        yield settings


def every_row(settings: Settings, name: str) -> list[tuple[str, ...]]:
    """Every row of ``name``, each value as text (the Data API sends dates as text), sorted."""
    with warehouse_rows(settings) as rows:
        return sorted(tuple(map(str, row)) for row in rows(f"select * from {name}"))


def test_the_refresh_on_redshift_gives_each_object_the_rows_of_the_local_refresh(
    known_warehouse: Settings, redshift_known: Settings
) -> None:
    refreshed = refresh_mat_views(redshift_known)

    assert refreshed == refresh_mat_views(known_warehouse)
    for name in refreshed:
        local = every_row(known_warehouse, name)
        assert local, f"{name} is empty: the known rows should fill it"
        assert every_row(redshift_known, name) == local, name
