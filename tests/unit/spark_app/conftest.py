"""The Spark job's own unit tests run on generated code, the path Glue and `lakehouse run` take.

The suite's shared session interprets queries (``LAKEHOUSE_SPARK_CODEGEN=off``, tests/conftest.py);
these tests, which `make test-glue5` also runs on Glue 5's Spark, switch code generation back on.
"""

from collections.abc import Iterator

import pytest
from pyspark.sql import SparkSession

from lakehouse.config import Settings
from spark_app.session import INTERPRETED_CONF


@pytest.fixture(autouse=True, scope="module")
def generated_code(spark: SparkSession, spark_settings: Settings) -> Iterator[None]:
    """Spark's default code generation for the module's tests; the session's settings after."""
    for key in INTERPRETED_CONF:
        spark.conf.unset(key)
    yield
    if not spark_settings.spark_codegen:
        for key, value in INTERPRETED_CONF.items():
            spark.conf.set(key, value)
