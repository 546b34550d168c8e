"""The warehouse DDL is generated from the schema source, for PostgreSQL and Redshift.

sqlglot is not a dependency of the project, so the statements are parsed with regular expressions.
"""

import re

import pytest

from lakehouse.schema import STAR_TABLES, ColumnType
from lakehouse.warehouse.ddl import Dialect, star_ddl

CREATE_TABLE = re.compile(
    r"create table if not exists (?P<schema>\w+)\.(?P<table>\w+) \((?P<body>.*?)\n\);", re.S
)
COLUMN = re.compile(r"^(?P<name>\w+) (?P<type>\w+(?:\(\d+,?\d*\))?)(?P<not_null> not null)?$")
PRIMARY_KEY = re.compile(r"^primary key \((?P<columns>[\w, ]+)\)$")
COMMENT = re.compile(r"comment on table (\w+)\.(\w+) is '((?:[^']|'')*)';")

#: The contract's SQL types, written out by hand for each dialect (CONTRACT.md section 3).
EXPECTED_TYPES = {
    Dialect.POSTGRES: {
        ColumnType.TEXT: "text",
        ColumnType.DATE: "date",
        ColumnType.INTEGER: "integer",
        ColumnType.BIGINT: "bigint",
        ColumnType.SMALLINT: "smallint",
        ColumnType.MONEY: "numeric(14,2)",
        ColumnType.BOOLEAN: "boolean",
    },
    Dialect.REDSHIFT: {
        ColumnType.TEXT: "varchar(256)",
        ColumnType.DATE: "date",
        ColumnType.INTEGER: "integer",
        ColumnType.BIGINT: "bigint",
        ColumnType.SMALLINT: "smallint",
        ColumnType.MONEY: "numeric(14,2)",
        ColumnType.BOOLEAN: "boolean",
    },
}


def parse_tables(ddl: str) -> dict[str, dict]:
    """``schema.table`` -> its columns ``(name, type, not null)`` and primary key, in order."""
    tables = {}
    for match in CREATE_TABLE.finditer(ddl):
        columns, primary_key = [], None
        for definition in match["body"].strip().split(",\n"):
            line = definition.strip()
            if key := PRIMARY_KEY.match(line):
                primary_key = [name.strip() for name in key["columns"].split(",")]
                continue
            column = COLUMN.match(line)
            assert column, f"unparsable column definition {line!r}"
            columns.append((column["name"], column["type"], bool(column["not_null"])))
        tables[f"{match['schema']}.{match['table']}"] = {
            "columns": columns,
            "primary_key": primary_key,
        }
    return tables


@pytest.mark.parametrize("dialect", list(Dialect))
def test_star_ddl_creates_every_star_table_with_exactly_its_warehouse_columns_in_order(
    dialect: Dialect,
) -> None:
    expected = {
        f"star.{table.name}": {
            "columns": [
                (column.name, EXPECTED_TYPES[dialect][column.type], not column.nullable)
                for column in table.warehouse_columns
            ],
            "primary_key": [table.key],
        }
        for table in STAR_TABLES
    }

    assert parse_tables(star_ddl(dialect)) == expected


@pytest.mark.parametrize("dialect", list(Dialect))
def test_star_ddl_creates_the_tables_in_load_order_each_followed_by_its_grain_comment(
    dialect: Dialect,
) -> None:
    ddl = star_ddl(dialect)

    assert [m["table"] for m in CREATE_TABLE.finditer(ddl)] == [t.name for t in STAR_TABLES]
    assert [
        (schema, table, text.replace("''", "'")) for schema, table, text in COMMENT.findall(ddl)
    ] == [("star", table.name, table.grain) for table in STAR_TABLES]


def test_curated_only_columns_never_reach_the_warehouse_ddl() -> None:
    ddl = star_ddl(Dialect.POSTGRES)
    fact = parse_tables(ddl)["star.sales_fact"]

    assert {name for name, _, _ in fact["columns"]}.isdisjoint(
        {"customer_id", "product_id", "location_id", "sale_month"}
    )


def test_the_postgres_ddl_is_the_default_dialect() -> None:
    assert star_ddl() == star_ddl(Dialect.POSTGRES)
