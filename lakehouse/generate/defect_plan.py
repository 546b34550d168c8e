"""Where the bad rows of one file go: evenly spread, deterministic, one kind after the other."""

from dataclasses import dataclass

import numpy as np

from lakehouse.generate.defect_kinds import DefectKind, list_defect_kinds
from lakehouse.generate.randomness import draw_uniforms, pick_integers


@dataclass(frozen=True)
class DefectPlan:
    """The bad rows of a run of rows of one entity.

    The rows are cut into equal intervals with one bad row each, never the interval's first row,
    so every bad row has good rows before it in the same file to copy (its ``source``).

    Attributes:
        kinds: The entity's defect kinds; ``kind_codes`` index into it.
        positions: Row indices of the bad rows, ascending.
        kind_codes: Kind of each bad row.
        sources: An earlier good row in the same interval, for each bad row.
        variants: A uniform in [0, 1) per bad row that picks between variants of its kind.
    """

    kinds: tuple[DefectKind, ...]
    positions: np.ndarray
    kind_codes: np.ndarray
    sources: np.ndarray
    variants: np.ndarray

    def select_rows(self, start: int, stop: int) -> "DefectPlan":
        """Return the part of the plan whose rows lie in ``[start, stop)``."""
        low, high = np.searchsorted(self.positions, [start, stop])
        return self._subset(slice(low, high))

    def select_kind(self, name: str) -> "DefectPlan":
        """Return the part of the plan with rows of the kind called ``name``."""
        code = [kind.name for kind in self.kinds].index(name)
        return self._subset(self.kind_codes == code)

    def mark_rows(self, start: int, count: int, option: int = 0, options: int = 1) -> np.ndarray:
        """Return a mask over rows ``[start, start + count)`` that is true at this plan's rows.

        Args:
            start: Index of the first row of the mask.
            count: Length of the mask.
            option: With ``options`` > 1, mark only the rows whose variant is this option.
            options: Number of equally likely variants the plan's rows are split into.
        """
        chosen = np.minimum((self.variants * options).astype(np.int64), options - 1) == option
        mask = np.zeros(count, dtype=bool)
        mask[self.positions[chosen] - start] = True
        return mask

    def count_by_kind(self) -> dict[str, int]:
        """Return the number of bad rows of each kind (0 for kinds without rows)."""
        counts = np.bincount(self.kind_codes, minlength=len(self.kinds))
        return {kind.name: int(count) for kind, count in zip(self.kinds, counts, strict=True)}

    def _subset(self, which: slice | np.ndarray) -> "DefectPlan":
        return DefectPlan(
            self.kinds,
            self.positions[which],
            self.kind_codes[which],
            self.sources[which],
            self.variants[which],
        )


def plan_defects(
    seed: int, entity: str, start: int, count: int, *, rate: float, first_ordinal: int = 0
) -> DefectPlan:
    """Plan the bad rows among rows ``[start, start + count)`` of ``entity``.

    Args:
        seed: Seed of the data set.
        entity: Raw entity name; its defect kinds are used in rotation.
        start: Index of the first row (rows of later sales files continue the numbering).
        count: Number of rows.
        rate: Share of the rows to make bad (at most half of them).
        first_ordinal: Bad rows planned before this run of rows (by earlier files), so that the
            rotation through kinds and the random draws continue across files.

    Returns:
        The plan; empty when the rate is 0.
    """
    kinds = list_defect_kinds(entity)
    budget = min(round(rate * count), count // 2)
    ordinals = np.arange(first_ordinal, first_ordinal + budget, dtype=np.int64)
    bounds = start + np.arange(budget + 1, dtype=np.int64) * count // max(budget, 1)
    firsts, lengths = bounds[:-1], np.diff(bounds)
    draws = draw_uniforms(seed, f"defects-{entity}", ordinals, 3)
    positions = firsts + 1 + pick_integers(draws[:, 0], 0, lengths - 1)
    sources = firsts + pick_integers(draws[:, 1], 0, positions - firsts)
    return DefectPlan(kinds, positions, ordinals % len(kinds), sources, draws[:, 2])
