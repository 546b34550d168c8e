"""Typed staging rows: the loaded rows of an entity with every contract column parsed."""

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from lakehouse.schema import RawEntity
from spark_app.transforms.triage_rows import LOADED, STATUS
from validation.rules import parse_column


def stage_rows(triaged: DataFrame, entity: RawEntity) -> DataFrame:
    """The loaded rows with each contract column cast to its type (e-mails lower-cased)."""
    columns = []
    for column in entity.columns:
        value = parse_column(column, F.col(column.name))
        columns.append((F.lower(value) if column.is_email else value).alias(column.name))
    return triaged.where(F.col(STATUS) == LOADED).select(*columns)
