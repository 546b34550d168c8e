"""The Redshift DDL parses in Redshift's grammar and matches the PostgreSQL DDL column by column."""

import pytest
import sqlglot
from sqlglot import exp

from lakehouse.schema import STAR_TABLES
from lakehouse.warehouse.ddl import Dialect, star_ddl
from lakehouse.warehouse.redshift_ddl import (
    redshift_derived,
    redshift_table,
    redshift_warehouse_ddl,
    split_statements,
)
from lakehouse.warehouse.sql_files import (
    daily_tables,
    materialized_views,
    read_derived_files,
    read_sql_files,
)

AUDIT_TABLES = {"audit.pipeline_runs", "audit.entity_counts", "audit.quarantine"}
BI_VIEWS = {"bi.daily_sales", "bi.product_monthly_rank", "bi.customer_daily_sales"}
FIRST_PURCHASES = "bi.customer_first_purchases"
SALE_LINES = "bi.base_sales_lines"


def parse(statements: list[str], dialect: str) -> list[exp.Expression]:
    return [sqlglot.parse_one(statement, read=dialect) for statement in statements]


def target(statement: exp.Create) -> str:
    """``schema.name`` of what a ``create`` makes (a schema's own name for ``create schema``)."""
    table = statement.find(exp.Table)
    return ".".join(part for part in (table.db, table.name) if part)


def not_null(column: exp.ColumnDef) -> bool:
    return any(isinstance(c.kind, exp.NotNullColumnConstraint) for c in column.constraints)


def columns_by_table(parsed: list[exp.Expression]) -> dict[str, list[tuple[str, bool]]]:
    """``schema.table`` -> ``(column, not null)`` in order, for every ``create table`` of columns
    (not of a query)."""
    return {
        target(statement): [
            (column.name, not_null(column)) for column in statement.find_all(exp.ColumnDef)
        ]
        for statement in parsed
        if isinstance(statement, exp.Create)
        and statement.kind == "TABLE"
        and statement.expression is None
    }


def created(parsed: list[exp.Expression], kind: str) -> set[str]:
    return {target(s) for s in parsed if isinstance(s, exp.Create) and s.kind == kind}


@pytest.fixture(scope="module")
def redshift() -> list[exp.Expression]:
    return parse(redshift_warehouse_ddl(), "redshift")


@pytest.fixture(scope="module")
def postgres() -> list[exp.Expression]:
    statements = split_statements(star_ddl(Dialect.POSTGRES))
    statements += [
        sql for _, script in read_sql_files("ddl")[1:] for sql in split_statements(script)
    ]
    return parse(statements, "postgres")


def test_every_redshift_statement_parses_as_ddl_not_as_an_opaque_command(redshift):
    assert redshift
    assert not [s.sql() for s in redshift if isinstance(s, exp.Command)]


def test_the_redshift_ddl_creates_the_schemas_star_and_audit_tables_marts_and_bi_views(redshift):
    assert created(redshift, "SCHEMA") == {"star", "audit", "bi"}
    star = {f"star.{table.name}" for table in STAR_TABLES}
    assert star | AUDIT_TABLES <= set(columns_by_table(redshift))
    assert {name.split(".")[0] for name in columns_by_table(redshift)} == {"star", "audit", "bi"}
    assert {table.name for table in daily_tables()} <= created(redshift, "TABLE")
    assert created(redshift, "VIEW") == set(materialized_views()) | BI_VIEWS | {SALE_LINES}
    assert FIRST_PURCHASES in columns_by_table(redshift)


def test_redshift_tables_match_the_postgresql_tables_column_for_column(redshift, postgres):
    star_and_audit = columns_by_table(redshift)
    del star_and_audit[FIRST_PURCHASES]  # derived, from warehouse_sql/daily as it is
    assert star_and_audit == columns_by_table(postgres)


def test_star_text_columns_are_varchar_in_redshift(redshift):
    fact = next(s for s in redshift if isinstance(s, exp.Create) and target(s) == "star.sales_fact")
    types = {c.name: c.kind.sql(dialect="redshift") for c in fact.find_all(exp.ColumnDef)}
    assert types["sale_id"] == "VARCHAR(256)"
    assert types["net_amount"] == "DECIMAL(14, 2)"


def test_every_materialized_view_is_dropped_dependents_first_then_created_in_order(redshift):
    statements = redshift_warehouse_ddl()
    drops = [f"drop materialized view if exists {name} cascade" for name in materialized_views()]
    creates = [
        next(s for s in statements if f"create materialized view {name} as" in s)
        for name in materialized_views()
    ]

    positions = [statements.index(s) for s in [*reversed(drops), *creates]]
    assert positions == sorted(positions)
    assert not [s for s in creates if "if not exists" in s or "with no data" in s]


def test_redshift_keeps_the_derived_queries_and_leaves_out_the_indexes():
    for _, script in read_derived_files():
        for statement in split_statements(script):
            converted = redshift_derived(statement)
            if "\ncreate index" in f"\n{statement}":
                assert converted == []
            elif " as\n" not in statement:  # a table of columns, as it is
                assert converted == [statement]
            else:
                (redshift_statement,) = converted
                query = redshift_statement.split(" as\n", 1)[1].removesuffix("\nlimit 0")
                assert query in statement


def test_each_daily_table_is_dropped_then_created_empty_from_its_query(redshift):
    statements = redshift_warehouse_ddl()
    for table in daily_tables():
        create = f"create table {table.name} as\n{table.query}\nlimit 0"
        drop = f"drop table if exists {table.name} cascade"
        assert statements.index(drop) < statements.index(create)


def test_a_postgres_table_loses_what_redshift_lacks_and_keeps_its_columns():
    postgres = """create table if not exists audit.runs (
    run_id text primary key,
    steps jsonb not null default '{}'::jsonb,
    mode text not null,
    at timestamptz not null default now(),
    constraint known_mode check (mode in ('full', 'incremental'))
)"""
    assert (
        redshift_table(postgres)
        == """create table if not exists audit.runs (
    run_id varchar(65535) primary key,
    steps super not null,
    mode varchar(65535) not null,
    at timestamptz not null default getdate()
)"""
    )


def test_split_statements_drops_comment_only_pieces_and_keeps_leading_comments():
    sql = "-- header\n\n-- a\ncreate schema a;\n-- only a comment;\ncreate schema b;\n"
    assert split_statements(sql) == ["-- header\n\n-- a\ncreate schema a", "create schema b"]
