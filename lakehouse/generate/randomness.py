"""Counter-based random numbers: every value is a pure function of (seed, stream, row, slot).

Because a row's values do not depend on which rows were drawn before it, the generator can draw
any set of rows in any order (chunks of any size, or the source row of a duplicate) and still
write byte-identical files.
"""

import zlib
from datetime import date

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)
_EPOCH = date(1970, 1, 1)


def draw_uniforms(seed: int, stream: str, rows: np.ndarray, slots: int) -> np.ndarray:
    """Draw uniform floats in [0, 1), one row per index in ``rows`` and one column per slot.

    Args:
        seed: Seed of the whole data set.
        stream: Name that keeps unrelated draws (customers, sales, defects...) independent.
        rows: Row indices (non-negative integers).
        slots: Number of independent values per row.

    Returns:
        A ``(len(rows), slots)`` float64 array.
    """
    offset = np.random.SeedSequence([seed, zlib.crc32(stream.encode())]).generate_state(
        1, np.uint64
    )
    counters = np.asarray(rows, dtype=np.uint64)[:, None] * np.uint64(slots)
    bits = (counters + np.arange(slots, dtype=np.uint64)) * _GOLDEN + offset
    bits = (bits ^ (bits >> np.uint64(30))) * _MIX_1
    bits = (bits ^ (bits >> np.uint64(27))) * _MIX_2
    bits ^= bits >> np.uint64(31)
    return (bits >> np.uint64(11)).astype(np.float64) * 2.0**-53


def pick_integers(
    uniforms: np.ndarray, low: int | np.ndarray, high: int | np.ndarray
) -> np.ndarray:
    """Map uniforms in [0, 1) to integers spread evenly over ``[low, high)`` (scalars or arrays)."""
    return low + np.minimum((uniforms * (high - low)).astype(np.int64), high - low - 1)


def pick_weighted(uniforms: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Map uniforms in [0, 1) to indices of ``weights``, each drawn in proportion to its weight."""
    cumulative = np.cumsum(weights, dtype=np.float64)
    picks = np.searchsorted(cumulative / cumulative[-1], uniforms, side="right")
    return np.minimum(picks, len(weights) - 1)


def count_epoch_days(day: date) -> int:
    """Return the number of days from 1970-01-01 to ``day`` (the date32 representation)."""
    return (day - _EPOCH).days
