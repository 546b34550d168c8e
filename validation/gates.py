"""Batch-level gates: counts reconcile, and no entity's quarantine share is above the threshold."""

from collections.abc import Mapping
from typing import Protocol

from lakehouse.errors import DataQualityError, ReconciliationError


class RowCounts(Protocol):
    """What happened to one entity's rows in a run."""

    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_duplicate: int
    reasons: dict[str, int]


def check_reconciliation(counts: Mapping[str, RowCounts]) -> None:
    """Raise when, for any entity, read != loaded + quarantined + duplicate."""
    broken = [
        f"{entity}: read {c.rows_read} != loaded {c.rows_loaded} + quarantined "
        f"{c.rows_quarantined} + duplicate {c.rows_duplicate}"
        for entity, c in counts.items()
        if c.rows_read != c.rows_loaded + c.rows_quarantined + c.rows_duplicate
    ]
    if broken:
        raise ReconciliationError(
            "gate reconciliation failed: " + "; ".join(broken), gate="reconciliation"
        )


def check_quarantine_share(
    counts: Mapping[str, RowCounts], threshold: float, quarantine_url: str
) -> None:
    """Raise when an entity's quarantined share of rows read is above ``threshold``.

    The message names each entity, its counts, its top reasons and where the rows are.
    """
    over = {
        entity: c
        for entity, c in counts.items()
        if c.rows_read and c.rows_quarantined / c.rows_read > threshold
    }
    if not over:
        return
    lines = [
        f"  - {entity}: {c.rows_quarantined} of {c.rows_read} rows quarantined "
        f"({c.rows_quarantined / c.rows_read:.1%}); top reasons: {_top_reasons(c.reasons)}; "
        f"rows in {quarantine_url.format(entity=entity)}"
        for entity, c in over.items()
    ]
    raise DataQualityError(
        f"gate quarantine_threshold failed (threshold {threshold:.1%}); the warehouse was not "
        "touched:\n" + "\n".join(lines),
        gate="quarantine_threshold",
    )


def _top_reasons(reasons: dict[str, int], limit: int = 3) -> str:
    ranked = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return ", ".join(f"{reason} ({count})" for reason, count in ranked) or "none"
