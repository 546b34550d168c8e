"""Typed staging rows: the loaded rows of an entity, with its e-mails lower-cased."""

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from lakehouse.schema import RawEntity
from spark_app.transforms.triage_rows import LOADED, STATUS


def stage_rows(triaged: DataFrame, entity: RawEntity) -> DataFrame:
    """The loaded rows' contract columns, already parsed by triage (e-mails lower-cased)."""
    return triaged.where(F.col(STATUS) == LOADED).select(
        *[
            (F.lower(column.name) if column.is_email else F.col(column.name)).alias(column.name)
            for column in entity.columns
        ]
    )
