"""Load every star table in one transaction: readers see the old star or the new, never a mix."""

import logging

from lakehouse.config import Settings
from lakehouse.resources.warehouse import connect
from lakehouse.schema import STAR_TABLES
from lakehouse.warehouse.load_table import load_into

log = logging.getLogger(__name__)


def load_star(settings: Settings) -> dict[str, int]:
    """Bring every star table up to its curated table, dimensions first; returns rows applied.

    One transaction for all of them: either every table's changes commit or none do, so a
    failure leaves the warehouse exactly as it was, and a re-run applies nothing new.
    """
    with connect(settings) as connection:
        applied = {table.name: load_into(connection, settings, table) for table in STAR_TABLES}
        connection.commit()
    log.info("star loaded, rows applied per table: %s", applied)
    return applied
