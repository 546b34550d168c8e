"""Fixtures of the generator's unit tests: a small spec and a way to read what it wrote."""

import csv
import gzip
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from lakehouse.generate import GenerationSummary, GeneratorSpec

Rows = list[dict[str, str]]
ReadRows = Callable[[Path], Rows]


@pytest.fixture
def small_spec() -> GeneratorSpec:
    """A spec small enough for a unit test, with several sales files and small chunks."""
    return GeneratorSpec(
        seed=7,
        customers=120,
        products=40,
        locations=8,
        days=21,
        sales_lines=3_000,
        end_date=date(2024, 3, 15),
        files_per_sales=3,
        chunk_lines=700,
    )


@pytest.fixture
def read_rows() -> ReadRows:
    """Read a generated CSV file (plain or gzip) with the csv module; empty fields stay ``""``."""

    def read(path: Path) -> Rows:
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    return read


@pytest.fixture
def read_entities(read_rows: ReadRows) -> Callable[[GenerationSummary], dict[str, Rows]]:
    """Read every entity's rows, all its files in file order, from what a summary lists."""

    def read(summary: GenerationSummary) -> dict[str, Rows]:
        return {
            entity: [row for path in paths for row in read_rows(path)]
            for entity, paths in summary.files.items()
        }

    return read
