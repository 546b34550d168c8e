"""Logical column types shared by the raw contract and the star schema."""

from enum import StrEnum


class ColumnType(StrEnum):
    """A logical type; each consumer (Spark, PostgreSQL, Redshift, Glue) maps it to its own."""

    TEXT = "text"
    DATE = "date"
    INTEGER = "integer"
    BIGINT = "bigint"
    SMALLINT = "smallint"
    DECIMAL = "decimal"
    MONEY = "money"
    BOOLEAN = "boolean"


#: Precision and scale of a raw decimal once parsed (list prices, amounts before rounding).
RAW_DECIMAL = (18, 4)
#: Precision and scale of every measure in the star schema (CONTRACT.md section 3).
MONEY_DECIMAL = (14, 2)
