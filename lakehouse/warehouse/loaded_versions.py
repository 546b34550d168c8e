"""Which curated Delta version each warehouse star table holds (``audit.loaded_versions``)."""

from dataclasses import dataclass
from enum import StrEnum

import psycopg

from lakehouse.schema import StarTable

_READ = (
    "select delta_table_id, delta_version from audit.loaded_versions"
    " where table_name = %s for update"
)
_RECORD = (
    "insert into audit.loaded_versions"
    " (table_name, delta_table_id, delta_version, load_mode, rows_applied, loaded_at)"
    " values (%s, %s, %s, %s, %s, now())"
    " on conflict (table_name) do update set delta_table_id = excluded.delta_table_id,"
    " delta_version = excluded.delta_version, load_mode = excluded.load_mode,"
    " rows_applied = excluded.rows_applied, loaded_at = excluded.loaded_at"
)


class LoadMode(StrEnum):
    """How a load brings a warehouse table up to its curated table's version."""

    SKIP = "skip"
    INCREMENTAL = "incremental"
    FULL = "full"


@dataclass(frozen=True)
class DeltaVersion:
    """One version of one Delta table; a re-created table has a new ``table_id``."""

    table_id: str
    version: int

    def continues(self, earlier: "DeltaVersion") -> bool:
        """Whether this is ``earlier``'s table at its version or a later one (not re-created)."""
        return self.table_id == earlier.table_id and self.version >= earlier.version


def plan_load(
    loaded: DeltaVersion | None, current: DeltaVersion, warehouse_empty: bool
) -> LoadMode:
    """How to bring a warehouse table that holds ``loaded`` up to ``current``.

    A full reload when nothing is recorded, the warehouse table is empty, or the Delta table is
    not the one loaded (another id, or a version older than the loaded one: re-created); nothing
    when it already holds ``current``; otherwise the change data feed since ``loaded``.
    """
    if loaded is None or warehouse_empty or not current.continues(loaded):
        return LoadMode.FULL
    if loaded.version == current.version:
        return LoadMode.SKIP
    return LoadMode.INCREMENTAL


def read_loaded_version(connection: psycopg.Connection, table: StarTable) -> DeltaVersion | None:
    """The version ``star.<table>`` holds, its row locked until the transaction ends."""
    row = connection.execute(_READ, (table.name,)).fetchone()
    return DeltaVersion(row[0], row[1]) if row else None


def record_loaded_version(
    connection: psycopg.Connection,
    table: StarTable,
    loaded: DeltaVersion,
    mode: LoadMode,
    rows_applied: int,
) -> None:
    """Record that ``star.<table>`` now holds ``loaded``, in the caller's transaction."""
    values = (table.name, loaded.table_id, loaded.version, mode.value, rows_applied)
    connection.execute(_RECORD, values)
