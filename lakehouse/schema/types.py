"""Logical column types shared by the raw contract and the star schema."""

from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol, TypeVar


class ColumnType(StrEnum):
    """A logical type; each consumer (Spark, PostgreSQL, Redshift, Glue) maps it to its own."""

    TEXT = "text"
    DATE = "date"
    INTEGER = "integer"
    BIGINT = "bigint"
    SMALLINT = "smallint"
    DECIMAL = "decimal"
    MONEY = "money"
    BOOLEAN = "boolean"


#: Precision and scale of a raw decimal once parsed (list prices, amounts before rounding).
RAW_DECIMAL = (18, 4)
#: Precision and scale of every measure in the star schema (CONTRACT.md section 3).
MONEY_DECIMAL = (14, 2)


class _Named(Protocol):
    name: str


Named = TypeVar("Named", bound=_Named)


def find_named(items: Sequence[Named], name: str, kind: str, kinds: str) -> Named:
    """Return the item called ``name`` or raise a ``KeyError`` listing the known ones."""
    for item in items:
        if item.name == name:
            return item
    known = ", ".join(item.name for item in items)
    raise KeyError(f"unknown {kind} {name!r}; known {kinds}: {known}")
