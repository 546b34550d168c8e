"""The bench's seeded data sets, generated once into the bench's state folder and reused."""

import json
import shutil
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from lakehouse.generate.generate_dataset import generate_dataset
from lakehouse.generate.spec import GeneratorSpec
from lakehouse.generate.text import format_ids
from lakehouse.generate.write_csv import write_csv_file
from lakehouse.schema.raw import SALES

#: Rows per entity, written last into a data set's folder; a folder without it is regenerated.
_ROWS_FILE = ".rows.json"


@dataclass(frozen=True)
class DataSet:
    """A generated source folder.

    Attributes:
        folder: The CSV folder the pipeline and the baselines read.
        rows: Data rows per entity.
        seconds: Time it took to generate (0 when an earlier bench had generated it).
    """

    folder: Path
    rows: dict[str, int]
    seconds: float

    @property
    def total_rows(self) -> int:
        """Rows over all entities."""
        return sum(self.rows.values())


def ensure_history(root: Path, lines: int, end_date: date, seed: int) -> DataSet:
    """The data set of ``lines`` sales lines over 90 days ending on ``end_date``."""
    spec = GeneratorSpec(seed=seed, sales_lines=lines, end_date=end_date)
    return _ensure(root / f"history-{lines}-{end_date}-{seed}", spec, first_sale=1)


def ensure_day(root: Path, lines: int, day: date, seed: int, first_sale: int) -> DataSet:
    """One day of ``lines`` sales lines whose sale ids start at ``first_sale`` (new sales).

    The dimension files are the history's (same seed), so the day adds facts, not members.
    """
    spec = GeneratorSpec(seed=seed, sales_lines=lines, end_date=day, days=1)
    return _ensure(root / f"day-{lines}-{day}-{seed}-from-{first_sale}", spec, first_sale)


def _ensure(folder: Path, spec: GeneratorSpec, first_sale: int) -> DataSet:
    rows_file = folder / _ROWS_FILE
    if rows_file.is_file():
        return DataSet(folder, json.loads(rows_file.read_text()), 0.0)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    summary = generate_dataset(folder, spec)
    if first_sale != 1:
        for path in summary.files[SALES.name]:
            renumber_sales(path, first_sale)
    rows_file.write_text(json.dumps(summary.rows))
    return DataSet(folder, summary.rows, time.perf_counter() - started)


def renumber_sales(path: Path, first_sale: int) -> None:
    """Rewrite the ``sale_id`` column of one sales file as ids numbered from ``first_sale``."""
    text_columns = {name: pa.string() for name in SALES.column_names}
    options = pa_csv.ConvertOptions(column_types=text_columns, strings_can_be_null=True)
    table = pa_csv.read_csv(path, convert_options=options)
    numbers = np.arange(first_sale, first_sale + table.num_rows, dtype=np.int64)
    index = table.column_names.index("sale_id")
    table = table.set_column(index, "sale_id", format_ids(SALES.name, numbers))
    write_csv_file(path, SALES, [table], gzip=False)
