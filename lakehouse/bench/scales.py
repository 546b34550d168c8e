"""Bench scales (``100k``, ``1m``, ``10m`` sales lines) and the plan of one bench."""

from dataclasses import dataclass
from datetime import date, timedelta

from lakehouse.errors import ConfigError

#: Sales lines of each named scale.
SCALES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
#: Sales lines of the incremental day and of the cold run it is compared with.
DAY_LINES = 100_000


def parse_scale(name: str) -> int:
    """Return the sales lines of a scale name such as ``1m`` (case-insensitive).

    Raises:
        ConfigError: When the name is not a known scale, listing the known ones.
    """
    try:
        return SCALES[name.strip().lower()]
    except KeyError:
        raise ConfigError(
            f"unknown bench scale {name!r}; choose one of {', '.join(SCALES)}"
        ) from None


def scale_name(lines: int) -> str:
    """Return the scale name of ``lines`` (``1m``), or the plain number for other sizes."""
    names = {value: name for name, value in SCALES.items()}
    return names.get(lines, str(lines))


@dataclass(frozen=True)
class BenchPlan:
    """What one bench runs.

    Attributes:
        lines: Sales lines of the history run (the scale).
        day_lines: Sales lines of the incremental day and of the cold day run.
        run_date: Run date of the history; the incremental day is the day after.
        seed: Seed of every generated data set.
    """

    lines: int
    day_lines: int = DAY_LINES
    run_date: date = date(2024, 6, 30)
    seed: int = 42

    def __post_init__(self) -> None:
        """Reject sizes that cannot be generated."""
        if self.lines < 1 or self.day_lines < 1:
            raise ConfigError(
                f"bench sizes must be at least 1 line, got {self.lines} and {self.day_lines}"
            )

    @property
    def scale(self) -> str:
        """Name of the scale, as the report and its file name show it."""
        return scale_name(self.lines)

    @property
    def next_date(self) -> date:
        """Run date of the incremental day."""
        return self.run_date + timedelta(days=1)
