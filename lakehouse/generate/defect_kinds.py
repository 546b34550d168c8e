"""The kinds of bad rows the generator injects (CONTRACT.md section 2) and what becomes of each."""

from dataclasses import dataclass
from enum import StrEnum

from lakehouse.schema.raw import CUSTOMERS, LOCATIONS, PRODUCTS, SALES


class Outcome(StrEnum):
    """What the pipeline must do with a row of a defect kind."""

    QUARANTINED = "quarantined"
    #: The row repeats an earlier row exactly and is dropped as a duplicate.
    DROPPED_DUPLICATE = "dropped_duplicate"
    #: The row wins over an earlier row with the same key, which is quarantined as superseded.
    SUPERSEDES_EARLIER = "supersedes_earlier"
    #: The row is loaded and points at the unknown member of a dimension.
    LOADED_AS_ORPHAN = "loaded_as_orphan"


@dataclass(frozen=True)
class DefectKind:
    """One kind of bad row.

    Attributes:
        name: Key of the kind in ``GenerationSummary.defects``.
        entity: Raw entity whose file receives the rows.
        outcome: What the pipeline must do with such a row.
        description: One line saying what the row looks like.
    """

    name: str
    entity: str
    outcome: Outcome
    description: str


def _kind(
    name: str, entity: str, description: str, outcome: Outcome = Outcome.QUARANTINED
) -> DefectKind:
    return DefectKind(name, entity, outcome, description)


def _orphan_kinds() -> tuple[DefectKind, ...]:
    kinds = []
    for column in SALES.foreign_keys:
        for adjective, what in (("unknown", "an id that does not exist"), ("missing", "NULL")):
            description = f"{column} is {what}."
            kinds.append(
                _kind(f"{adjective}_{column}", SALES.name, description, Outcome.LOADED_AS_ORPHAN)
            )
    return tuple(kinds)


_S, _C = SALES.name, CUSTOMERS.name

#: Every defect kind, grouped by entity; within an entity, rows rotate through its kinds in order.
DEFECT_KINDS: tuple[DefectKind, ...] = (
    _kind("missing_customer_name", _C, "first_name or last_name is NULL."),
    _kind("malformed_email", _C, "email has no '@' or no top-level domain."),
    _kind("missing_product_name", PRODUCTS.name, "product_name is NULL."),
    _kind("missing_store_name", LOCATIONS.name, "store_name is NULL."),
    _kind("missing_required_value", _S, "One required column (sale_id, sale_date...) is NULL."),
    _kind("unparsable_number", _S, "quantity or unit_price is text such as 'abc'."),
    _kind("unparsable_date", _S, "sale_date is an impossible date such as 2024-02-30."),
    _kind("wrong_date_format", _S, "sale_date is written MM/DD/YYYY."),
    _kind("sale_date_before_2000", _S, "sale_date is before 2000-01-01."),
    _kind("sale_date_after_end_date", _S, "sale_date is 2 or more days after the end date."),
    _kind("nonpositive_quantity", _S, "quantity is 0 or negative (discount NULL, tax 0.00)."),
    _kind("negative_tax", _S, "tax_amount is below zero."),
    _kind("discount_above_gross", _S, "discount_amount exceeds quantity * unit_price."),
    _kind(
        "exact_duplicate",
        _S,
        "Repeats an earlier line of the same file exactly.",
        Outcome.DROPPED_DUPLICATE,
    ),
    _kind(
        "conflicting_duplicate",
        _S,
        "Reuses the sale_id of an earlier line, other quantity.",
        Outcome.SUPERSEDES_EARLIER,
    ),
    *_orphan_kinds(),
)


def list_defect_kinds(entity: str) -> tuple[DefectKind, ...]:
    """Return the defect kinds injected into ``entity``'s files, in rotation order."""
    return tuple(kind for kind in DEFECT_KINDS if kind.entity == entity)
