"""Infer Glue columns from CSV samples, the way a Glue crawler's built-in CSV classifier does.

Each value is classified as ``bigint``, ``double``, ``boolean`` or ``string``; empty values say
nothing; a column whose values disagree becomes ``string``, except that ``bigint`` and ``double``
widen to ``double``. A column with no value at all is ``string``. Column names are lower-cased,
as the Glue Data Catalog stores them.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lakehouse.ingest.csv_sample import CsvSample

BIGINT, DOUBLE, BOOLEAN, STRING = "bigint", "double", "boolean", "string"
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)
_DECIMAL = re.compile(r"[+-]?(?:\d+\.\d*|\.\d+|\d+(?=[eE]))(?:[eE][+-]?\d+)?", re.ASCII)
_BOOLEANS = frozenset({"true", "false"})
_BIGINT_RANGE = range(-(2**63), 2**63)


@dataclass(frozen=True)
class GlueColumn:
    """A column as the Glue Data Catalog holds it.

    Attributes:
        name: Lower-case column name.
        type: Hive type name: ``bigint``, ``double``, ``boolean`` or ``string``.
    """

    name: str
    type: str


def classify_value(value: str) -> str | None:
    """Return the Glue type of one trimmed CSV value, or ``None`` for an empty value."""
    if not value:
        return None
    if _INTEGER.fullmatch(value):
        # Beyond 64 bits a double would lose digits of what is most likely an identifier.
        return BIGINT if int(value) in _BIGINT_RANGE else STRING
    if _DECIMAL.fullmatch(value):
        return DOUBLE
    if value.lower() in _BOOLEANS:
        return BOOLEAN
    return STRING


def merge_types(first: str | None, second: str | None) -> str | None:
    """Return the type that holds values of both types (``None`` means no value seen)."""
    if first is None or first == second:
        return second
    if second is None:
        return first
    return DOUBLE if {first, second} == {BIGINT, DOUBLE} else STRING


def infer_glue_columns(samples: Iterable[CsvSample]) -> list[GlueColumn]:
    """Return the union of the samples' columns, in first-seen order, with inferred types.

    Args:
        samples: Header and rows of each sampled file; a row's values map to the header by
            position, and values beyond the header are ignored.

    Returns:
        One column per distinct (lower-cased) header name; an empty name becomes ``col<N>``.
    """
    types: dict[str, str | None] = {}
    for sample in samples:
        names = [name.lower() or f"col{index}" for index, name in enumerate(sample.header)]
        for name in names:
            types.setdefault(name, None)
        for row in sample.rows:
            for name, value in zip(names, row, strict=False):
                types[name] = merge_types(types[name], classify_value(value))
    return [GlueColumn(name=name, type=kind or STRING) for name, kind in types.items()]
