"""What to generate (``GeneratorSpec``) and what was written (``GenerationSummary``)."""

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lakehouse.errors import ConfigError

#: Sales lines per file when ``files_per_sales`` is not given.
LINES_PER_SALES_FILE = 1_000_000
#: Highest defect rate: every defect row needs a good row of its own to copy or to sit beside.
MAX_DEFECT_RATE = 0.5


@dataclass(frozen=True, kw_only=True)
class GeneratorSpec:
    """Parameters of one generated data set; the same spec always gives byte-identical files.

    Attributes:
        seed: Seed of every random draw.
        customers: Rows of ``customers``.
        products: Rows of ``products``.
        locations: Rows of ``locations``.
        days: Number of days, ending on ``end_date``, over which sales fall.
        sales_lines: Rows of ``sales`` over all its files, defect rows included.
        end_date: Last sale date (the run date the data is meant for).
        defect_rate: Share of each entity's rows replaced by bad rows (0 to 0.5).
        files_per_sales: Number of sales files; ``None`` means one per million lines.
        gzip: Whether to write ``.csv.gz`` instead of ``.csv``.
        chunk_lines: Sales lines generated and written at a time; it bounds memory and never
            changes the output.
    """

    seed: int = 42
    customers: int = 5_000
    products: int = 500
    locations: int = 50
    days: int = 90
    sales_lines: int = 100_000
    end_date: date = date(2024, 6, 30)
    defect_rate: float = 0.0
    files_per_sales: int | None = None
    gzip: bool = False
    chunk_lines: int = 500_000

    def __post_init__(self) -> None:
        """Reject counts and rates that cannot give a valid data set."""
        for name in ("customers", "products", "locations", "days", "sales_lines", "chunk_lines"):
            if getattr(self, name) < 1:
                raise ConfigError(
                    f"GeneratorSpec.{name} must be at least 1, got {getattr(self, name)}"
                )
        if self.seed < 0:
            raise ConfigError(f"GeneratorSpec.seed must be 0 or more, got {self.seed}")
        if not 0.0 <= self.defect_rate <= MAX_DEFECT_RATE:
            raise ConfigError(
                f"GeneratorSpec.defect_rate must be between 0 and {MAX_DEFECT_RATE}, "
                f"got {self.defect_rate}"
            )
        if self.files_per_sales is not None and not 1 <= self.files_per_sales <= self.sales_lines:
            raise ConfigError(
                "GeneratorSpec.files_per_sales must be between 1 and sales_lines "
                f"({self.sales_lines}), got {self.files_per_sales}"
            )

    @property
    def sales_file_count(self) -> int:
        """Number of sales files to write."""
        if self.files_per_sales is not None:
            return self.files_per_sales
        return math.ceil(self.sales_lines / LINES_PER_SALES_FILE)

    @property
    def file_suffix(self) -> str:
        """File name ending: ``.csv`` or ``.csv.gz``."""
        return ".csv.gz" if self.gzip else ".csv"


@dataclass(frozen=True)
class GenerationSummary:
    """What ``generate_dataset`` wrote.

    Defect rows replace good rows (nothing is appended), so ``rows`` equals the spec's counts.

    Attributes:
        rows: Data rows written per entity (header excluded, defect rows included).
        defects: Defect-kind name -> rows of that kind (every kind, 0 when none).
        files: Files written per entity, in file order.
    """

    rows: dict[str, int]
    defects: dict[str, int]
    files: dict[str, tuple[Path, ...]]
