"""The single source of truth for every raw entity and star table.

Spark schemas, validation rules, the warehouse DDL (both dialects) and the quality checks are all
derived from the definitions in `raw` and `star`; nothing else lists columns by hand.
"""

from lakehouse.schema.raw import RAW_ENTITIES, RawColumn, RawEntity, raw_entity
from lakehouse.schema.star import STAR_TABLES, StarColumn, StarTable, star_table
from lakehouse.schema.types import ColumnType

__all__ = [
    "RAW_ENTITIES",
    "STAR_TABLES",
    "ColumnType",
    "RawColumn",
    "RawEntity",
    "StarColumn",
    "StarTable",
    "raw_entity",
    "star_table",
]
