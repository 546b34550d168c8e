"""Whether the curated zone still holds the warehouse's history: verdicts from each side's facts.

No run shrinks or rewrites warehouse history silently (CONTRACT.md, Durability). Two checks use
these verdicts: before the ETL builds anything (:mod:`lakehouse.pipeline.check_history`) and
before a full reload replaces warehouse rows (:mod:`lakehouse.warehouse.keep_keys`). Both raise
the one error built here, which names each table, the rows and keys on each side and the ways out.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from lakehouse.errors import HistoryLostError
from lakehouse.warehouse.loaded_versions import DeltaVersion


class Lineage(StrEnum):
    """How a curated table relates to the one whose rows the warehouse holds."""

    #: The table the warehouse loaded, at the loaded version or a later one.
    SAME = "same"
    #: No curated table at all.
    MISSING = "missing"
    #: Another Delta table id, a version older than the loaded one, or no version recorded.
    REPLACED = "replaced"


@dataclass(frozen=True)
class KeyRange:
    """The rows of one side of a star table and the range of their surrogate keys.

    Attributes:
        rows: Row count.
        first_key: Smallest surrogate key (``None`` without rows).
        last_key: Largest surrogate key (``None`` without rows).
    """

    rows: int
    first_key: int | None = None
    last_key: int | None = None

    def covers(self, other: "KeyRange") -> bool:
        """Whether this side has at least ``other``'s rows and a key range at least as wide."""
        if not other.rows:
            return True
        if self.rows < other.rows or self.first_key is None or self.last_key is None:
            return False
        return self.first_key <= other.first_key and self.last_key >= other.last_key

    def describe(self) -> str:
        """E.g. ``2,000 rows, keys 1..2000``."""
        if not self.rows:
            return "no rows"
        return f"{self.rows:,} rows, keys {self.first_key}..{self.last_key}"


@dataclass(frozen=True)
class LostHistory:
    """One star table whose curated side lacks rows or keys that the warehouse holds.

    Attributes:
        table: Star table name.
        what: What is lost, e.g. ``no curated table``.
        warehouse: The warehouse's rows and keys.
        curated: The curated side's rows and keys; ``None`` when there is no curated table.
    """

    table: str
    what: str
    warehouse: KeyRange
    curated: KeyRange | None

    def describe(self) -> str:
        """One line: the table, what is lost and the counts on each side."""
        curated = self.curated.describe() if self.curated else "none"
        return (
            f"{self.table}: {self.what} (warehouse: {self.warehouse.describe()};"
            f" curated: {curated})"
        )


def trace_lineage(loaded: DeltaVersion | None, current: DeltaVersion | None) -> Lineage:
    """How the curated table at ``current`` relates to the ``loaded`` one the warehouse holds.

    Args:
        loaded: What ``audit.loaded_versions`` records; ``None`` when nothing is recorded.
        current: The curated table's id and version now; ``None`` when there is no table.
    """
    if current is None:
        return Lineage.MISSING
    if loaded and current.continues(loaded):
        return Lineage.SAME
    return Lineage.REPLACED


def judge_replaced(table: str, warehouse: KeyRange, curated: KeyRange | None) -> LostHistory | None:
    """The history lost when a missing or replaced curated table meets the warehouse's rows.

    A re-created table passes when it has at least the warehouse's rows and its key range (as
    `lakehouse rebuild` gives); whether every key is there is checked at load time.
    """
    if curated is None:
        return LostHistory(table, "no curated table", warehouse, None)
    if curated.covers(warehouse):
        return None
    return LostHistory(
        table, "the curated table was re-created with fewer rows or keys", warehouse, curated
    )


def judge_snapshot(
    table: str, natural_key: str | None, warehouse: KeyRange, staged: KeyRange, missing: int
) -> LostHistory | None:
    """The history a full reload would drop: ``missing`` warehouse keys absent from the snapshot.

    Args:
        table: Star table name.
        natural_key: The natural key each surrogate key must keep (``None``: the key alone).
        warehouse: The warehouse table's rows and keys.
        staged: The staged snapshot's rows and keys.
        missing: Warehouse keys not in the snapshot (with the same natural key).
    """
    if not missing:
        return None
    kept_with = f" with the same {natural_key}" if natural_key else ""
    what = f"{missing:,} of the warehouse's keys are not in the curated snapshot{kept_with}"
    return LostHistory(table, what, warehouse, staged)


def history_lost_error(
    losses: Sequence[LostHistory], curated_url: str, outcome: str
) -> HistoryLostError:
    """One error naming every table that lost history, the counts on each side and the ways out.

    Args:
        losses: The tables that lost history.
        curated_url: Where the curated zone is (``s3://<curated-bucket>``).
        outcome: What happened instead, e.g. ``the run stopped before changing anything``.
    """
    tables = "\n".join(f"  - {loss.describe()}" for loss in losses)
    return HistoryLostError(
        f"the curated zone {curated_url}/ lacks history that the warehouse holds; {outcome}:\n"
        f"{tables}\n"
        "Ways out: restore the curated zone from a backup, then run again; or"
        " `lakehouse rebuild --yes` to re-create it from every ingest date still in the raw zone,"
        " then run again; or `lakehouse reset --yes` to empty the lake and the warehouse and"
        " start over on purpose."
    )
