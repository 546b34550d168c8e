"""Vectorised text formatting of generated values into the contract's CSV notation."""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lakehouse.generate.randomness import pick_integers
from lakehouse.schema.raw import CUSTOMERS, LOCATIONS, PRODUCTS, SALES

_NULL_TEXT = pa.scalar(None, pa.string())

#: Prefix and digits of each entity's natural key, e.g. ``S00000001``.
ID_FORMATS: dict[str, tuple[str, int]] = {
    CUSTOMERS.name: ("C", 6),
    PRODUCTS.name: ("P", 5),
    LOCATIONS.name: ("L", 3),
    SALES.name: ("S", 8),
}


def format_ids(entity: str, numbers: np.ndarray) -> pa.Array:
    """Format natural keys such as ``C000042``; a number of 0 means "no id" and becomes NULL.

    Args:
        entity: Raw entity the keys belong to; it fixes prefix and zero-padded width (wider
            numbers are kept whole).
        numbers: 1-based entity numbers; 0 for a missing id.
    """
    prefix, width = ID_FORMATS[entity]
    digits = pc.utf8_lpad(pa.array(numbers, pa.int64()).cast(pa.string()), width, "0")
    return blank_where(pc.binary_join_element_wise(prefix, digits, ""), numbers == 0)


def format_integers(values: np.ndarray) -> pa.Array:
    """Format integers as plain decimal text."""
    return pa.array(values, pa.int64()).cast(pa.string())


def format_cents(cents: np.ndarray) -> pa.Array:
    """Format amounts in cents as decimals with two places, e.g. ``-0.05`` or ``1234.50``."""
    magnitude = np.abs(cents)
    sign = pa.array(np.where(cents < 0, "-", ""), pa.string())
    whole = format_integers(magnitude // 100)
    fraction = pc.utf8_lpad(format_integers(magnitude % 100), 2, "0")
    return pc.binary_join_element_wise(sign, whole, ".", fraction, "")


def format_dates(epoch_days: np.ndarray, pattern: str = "%Y-%m-%d") -> pa.Array:
    """Format days since 1970-01-01 as dates, ``YYYY-MM-DD`` unless another pattern is given."""
    dates = pa.array(epoch_days, pa.int32()).cast(pa.date32())
    if pattern == "%Y-%m-%d":
        return dates.cast(pa.string())
    return pc.strftime(dates, format=pattern)


def pick_texts(options: tuple[str, ...], indices: np.ndarray) -> pa.Array:
    """Return ``options[i]`` for every index ``i``."""
    return pc.take(pa.array(options, pa.string()), pa.array(indices, pa.int64()))


def pick_grouped_texts(
    groups: tuple[tuple[str, ...], ...], group_indices: np.ndarray, uniforms: np.ndarray
) -> pa.Array:
    """Pick one text per row, evenly, from its group (e.g. from the brands of its category)."""
    sizes = np.array([len(group) for group in groups], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    within = pick_integers(uniforms, 0, sizes[group_indices])
    flat = tuple(text for group in groups for text in group)
    return pick_texts(flat, offsets[group_indices] + within)


def replace_where(values: pa.Array, mask: np.ndarray, replacement: pa.Array | str) -> pa.Array:
    """Return ``values`` with the entries where ``mask`` is true replaced.

    Args:
        values: Text column.
        mask: Rows to replace.
        replacement: One text for all those rows, or one value per true entry of ``mask``.
    """
    if isinstance(replacement, str):
        replacement = pa.scalar(replacement, pa.string())
    return pc.replace_with_mask(values, pa.array(mask, pa.bool_()), replacement)


def blank_where(values: pa.Array, mask: np.ndarray) -> pa.Array:
    """Return ``values`` with the entries where ``mask`` is true set to NULL (an empty field)."""
    return pc.replace_with_mask(values, pa.array(mask, pa.bool_()), _NULL_TEXT)
