"""The Spark job's own unit tests run on generated code, the path Glue and `lakehouse run` take.

The suite's shared session interprets expressions (:data:`tests.conftest.SUITE_SPARK_CONF`); these
tests, which `make test-glue5` also runs on Glue 5's Spark, switch code generation back on.
"""

from collections.abc import Iterator

import pytest
from pyspark.sql import SparkSession

from tests.conftest import SUITE_SPARK_CONF


@pytest.fixture(autouse=True, scope="module")
def generated_code(spark: SparkSession) -> Iterator[None]:
    """Spark's default code generation for the module's tests; the suite's settings after."""
    for key in SUITE_SPARK_CONF:
        spark.conf.unset(key)
    yield
    for key, value in SUITE_SPARK_CONF.items():
        spark.conf.set(key, value)
