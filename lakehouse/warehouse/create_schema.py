"""Create the warehouse's schemas, star and audit tables and what derives from them (idempotent)."""

from lakehouse.config import Settings
from lakehouse.resources.warehouse import connect
from lakehouse.warehouse.ddl import Dialect, star_ddl
from lakehouse.warehouse.sql_files import derived_kinds, read_derived_files, read_sql_files

#: Drops each derived object that exists as another kind than the DDL now creates (a warehouse
#: built by an older release: a plain view now materialized, a materialized view now a table kept
#: by day); ``cascade`` takes the objects built on it, which the derived DDL creates again.
_DROP_CHANGED_KINDS = """do $$
declare
    changed record;
begin
    for changed in
        select namespaces.nspname, classes.relname, classes.relkind
        from pg_catalog.pg_class as classes
        inner join pg_catalog.pg_namespace as namespaces on classes.relnamespace = namespaces.oid
        inner join (values {kinds}) as wanted (name, relkind)
            on namespaces.nspname || '.' || classes.relname = wanted.name
        where classes.relkind in ('r', 'v', 'm') and classes.relkind <> wanted.relkind
    loop
        execute format(
            'drop %s if exists %I.%I cascade',
            case changed.relkind
                when 'r' then 'table' when 'v' then 'view' else 'materialized view'
            end,
            changed.nspname,
            changed.relname
        );
    end loop;
end
$$;
"""


def drop_changed_kinds_sql() -> str:
    """A statement that drops each object of :func:`derived_kinds` that exists as another kind."""
    kinds = ", ".join(f"('{name}', '{kind}')" for name, kind in derived_kinds().items())
    return _DROP_CHANGED_KINDS.format(kinds=kinds)


def warehouse_ddl() -> list[tuple[str, str]]:
    """Every DDL statement group in the order it runs: schemas, star, audit, derived, grants."""
    ddl = read_sql_files("ddl")
    schemas, rest = ddl[:1], ddl[1:]
    return [
        *schemas,
        ("star tables (generated)", star_ddl(Dialect.POSTGRES)),
        *rest,
        ("changed kinds (generated)", drop_changed_kinds_sql()),
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
