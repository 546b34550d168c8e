"""Batch gates: counts reconcile, and no entity quarantines more than the threshold allows."""

from dataclasses import dataclass, field

import pytest

from lakehouse.errors import DataQualityError, ReconciliationError
from validation.gates import check_quarantine_share, check_reconciliation

QUARANTINE_URL = "s3://raw/_quarantine/{entity}/run_id=r1/"


@dataclass
class Counts:
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_duplicate: int
    reasons: dict[str, int] = field(default_factory=dict)


def test_reconciliation_passes_when_every_entity_adds_up() -> None:
    counts = {"sales": Counts(10, 7, 2, 1), "customers": Counts(0, 0, 0, 0)}

    assert check_reconciliation(counts) is None


def test_reconciliation_failure_names_the_entity_and_the_numbers() -> None:
    counts = {"customers": Counts(5, 5, 0, 0), "sales": Counts(10, 6, 2, 1)}

    with pytest.raises(ReconciliationError) as raised:
        check_reconciliation(counts)

    assert str(raised.value) == (
        "gate reconciliation failed: sales: read 10 != loaded 6 + quarantined 2 + duplicate 1"
    )
    assert isinstance(raised.value, DataQualityError)


def test_quarantine_share_over_the_threshold_raises_with_entity_counts_top_reasons_and_url() -> (
    None
):
    reasons = {"missing:sale_id": 3, "unparsable:quantity": 2, "bad_date_format:sale_date": 1}
    reasons |= {"malformed_email:email": 1}
    counts = {
        "customers": Counts(100, 100, 0, 0),
        "sales": Counts(100, 93, 6, 1, reasons),
    }

    with pytest.raises(DataQualityError) as raised:
        check_quarantine_share(counts, 0.05, QUARANTINE_URL)

    message = str(raised.value)
    assert message.startswith("gate quarantine_threshold failed (threshold 5.0%)")
    assert "  - sales: 6 of 100 rows quarantined (6.0%)" in message
    # the three most frequent reasons, ties broken by name
    assert (
        "top reasons: missing:sale_id (3), unparsable:quantity (2), bad_date_format:sale_date (1);"
    ) in message
    assert "rows in s3://raw/_quarantine/sales/run_id=r1/" in message
    assert "customers" not in message


def test_quarantine_share_lists_every_entity_over_the_threshold() -> None:
    counts = {
        "customers": Counts(10, 8, 2, 0, {"missing:customer_id": 2}),
        "sales": Counts(4, 2, 2, 0, {"missing:sale_id": 2}),
    }

    with pytest.raises(DataQualityError) as raised:
        check_quarantine_share(counts, 0.05, QUARANTINE_URL)

    lines = str(raised.value).splitlines()[1:]
    assert [line.split(":")[0] for line in lines] == ["  - customers", "  - sales"]


@pytest.mark.parametrize(
    ("quarantined", "read"),
    [
        (5, 100),  # exactly 5 %: the threshold is a maximum, not an exclusive bound
        (1, 20),  # exactly 5 % again, from a different fraction
        (0, 100),  # nothing quarantined
        (0, 0),  # an entity with no rows at all
    ],
)
def test_quarantine_share_at_or_below_the_threshold_passes(quarantined: int, read: int) -> None:
    counts = {"sales": Counts(read, read - quarantined, quarantined, 0, {"x": quarantined})}

    assert check_quarantine_share(counts, 0.05, QUARANTINE_URL) is None
