"""Create the warehouse's schemas, star tables, audit tables and materialized views (idempotent)."""

from lakehouse.config import Settings
from lakehouse.resources.warehouse import connect
from lakehouse.warehouse.ddl import Dialect, star_ddl
from lakehouse.warehouse.sql_files import materialized_views, read_derived_files, read_sql_files

#: Drops plain views whose names are now materialized views (a warehouse built by an older
#: release); ``cascade`` takes the views built on them, which the bi DDL creates again.
_DROP_REPLACED_VIEWS = """do $$
declare
    replaced record;
begin
    for replaced in
        select schemaname, viewname from pg_catalog.pg_views
        where schemaname || '.' || viewname = any(array[{names}])
    loop
        execute format('drop view if exists %I.%I cascade', replaced.schemaname, replaced.viewname);
    end loop;
end
$$;
"""


def drop_replaced_views_sql() -> str:
    """A statement that drops the plain views named like one of :func:`materialized_views`."""
    names = ", ".join(f"'{name}'" for name in materialized_views())
    return _DROP_REPLACED_VIEWS.format(names=names)


def warehouse_ddl() -> list[tuple[str, str]]:
    """Every DDL statement group in the order it runs: schemas, star, audit, derived, grants."""
    ddl = read_sql_files("ddl")
    schemas, rest = ddl[:1], ddl[1:]
    return [
        *schemas,
        ("star tables (generated)", star_ddl(Dialect.POSTGRES)),
        *rest,
        ("replaced views (generated)", drop_replaced_views_sql()),
        *read_derived_files(),
        *read_sql_files("grants"),
    ]


def create_schema(settings: Settings) -> list[str]:
    """Apply :func:`warehouse_ddl` in one transaction; returns the names of what ran."""
    applied = []
    with connect(settings) as connection:
        for name, statements in warehouse_ddl():
            connection.execute(statements)
            applied.append(name)
        connection.commit()
    return applied
