"""The warehouse tests' lake: the small star of tests/helpers/star.py, loaded once per test."""

from collections.abc import Iterator

import pytest
from pyspark.sql import SparkSession

from lakehouse.config import Settings
from tests.helpers.star import loaded_star


@pytest.fixture
def lake(stack: Settings, spark: SparkSession) -> Iterator[Settings]:
    """The small star in a curated bucket of the test's own, loaded into the warehouse once."""
    with loaded_star(spark, stack, "wh") as lake:
        yield lake
