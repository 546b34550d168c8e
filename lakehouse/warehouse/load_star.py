"""Load every star table in one transaction: readers see the old star or the new, never a mix."""

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

from lakehouse.config import Settings
from lakehouse.resources.warehouse import connect
from lakehouse.schema import STAR_TABLES, StarTable
from lakehouse.warehouse.load_table import load_into

log = logging.getLogger(__name__)
#: Wraps each table's load, e.g. in a timed pipeline step.
TableStep = Callable[[StarTable], AbstractContextManager[object]]


def load_star(
    settings: Settings, each_table: TableStep = lambda _: nullcontext()
) -> dict[str, int]:
    """Bring every star table up to its curated table, dimensions first; returns rows applied.

    One transaction for all of them: either every table's changes commit or none do, so a
    failure leaves the warehouse exactly as it was, and a re-run applies nothing new.
    ``each_table(table)`` wraps each table's load (the transaction stays open across them).
    """
    applied = {}
    with connect(settings) as connection:
        for table in STAR_TABLES:
            with each_table(table):
                applied[table.name] = load_into(connection, settings, table)
        connection.commit()
    log.info("star loaded, rows applied per table: %s", applied)
    return applied
