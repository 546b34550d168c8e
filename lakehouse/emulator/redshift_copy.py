"""Redshift's ``COPY ... FORMAT AS PARQUET MANIFEST`` on PostgreSQL, for the emulator's Data API.

The manifest and its Parquet files are read from the emulator's S3, as Redshift reads them from
S3, and checked as Redshift checks them: every entry needs ``meta.content_length`` equal to the
file's size, and a file's columns map to the table's (or the listed) columns by position, as many
of them, of compatible types. The rows then go into the table with PostgreSQL's own ``COPY FROM
STDIN``, inside the statement's transaction. ``IAM_ROLE`` is accepted and not evaluated.
"""

import io
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
from psycopg import sql
from sqlglot import exp

#: PostgreSQL column types that each kind of Parquet column loads into, as Redshift allows.
_LOADS_INTO = {
    "integer": ("smallint", "integer", "bigint", "numeric", "real", "double precision"),
    "floating": ("real", "double precision", "numeric"),
    "decimal": ("numeric", "real", "double precision"),
    "string": ("character varying", "character", "text"),
    "boolean": ("boolean",),
    "date": ("date",),
    "timestamp": ("timestamp without time zone", "timestamp with time zone"),
}


class CopyError(ValueError):
    """A COPY that Redshift would refuse, with Redshift's kind of message."""


@dataclass(frozen=True)
class CopyPlan:
    """What one COPY loads: into which table and columns, from which manifest."""

    schema: str | None
    table: str
    columns: tuple[str, ...]
    manifest: str


def copy_plan(tree: exp.Expression) -> CopyPlan | None:
    """The plan of a parsed Redshift statement when it is a COPY; ``None`` otherwise.

    Raises:
        CopyError: A COPY other than Parquet from a manifest (the only one emulated).
    """
    if not isinstance(tree, exp.Copy):
        return None
    params = {
        param.this.name.lower(): (param.expression.name.lower() if param.expression else "")
        for param in tree.args.get("params") or []
    }
    if params.get("format") != "parquet" or "manifest" not in params:
        raise CopyError("only COPY ... FORMAT AS PARQUET MANIFEST is emulated")
    target = tree.this
    table = target.this if isinstance(target, exp.Schema) else target
    names = target.expressions if isinstance(target, exp.Schema) else []
    files = tree.args.get("files") or []
    if not files:
        raise CopyError("COPY names no manifest")
    schema = table.args.get("db")
    return CopyPlan(
        _folded(schema) if schema else None,
        _folded(table.this),
        tuple(_folded(name) for name in names),
        files[0].name,
    )


def _folded(identifier: exp.Expression) -> str:
    """A name as Redshift resolves it: lower case unless quoted."""
    quoted = isinstance(identifier, exp.Identifier) and identifier.quoted
    return identifier.name if quoted else identifier.name.lower()


def run_copy(connection: psycopg.Connection, plan: CopyPlan, s3: Any) -> int:
    """Load the manifest's files into the plan's table; the rows loaded.

    Raises:
        CopyError: A manifest entry without its content length or of another size, or a file
            whose columns do not match the table's in number or type.
    """
    manifest = json.loads(_read(s3, plan.manifest))
    columns = _target_columns(connection, plan)
    target = sql.SQL("copy {} ({}) from stdin").format(
        sql.Identifier(*filter(None, (plan.schema, plan.table))),
        sql.SQL(", ").join(map(sql.Identifier, (name for name, _ in columns))),
    )
    loaded = 0
    for entry in manifest.get("entries", []):
        data = _checked_file(s3, entry)
        table = pq.read_table(io.BytesIO(data))
        _check_columns(entry["url"], table.schema, columns)
        with connection.cursor().copy(target) as copy:
            for row in zip(*(column.to_pylist() for column in table.columns), strict=True):
                copy.write_row(row)
        loaded += table.num_rows
    return loaded


def _target_columns(connection: psycopg.Connection, plan: CopyPlan) -> list[tuple[str, str]]:
    """(name, PostgreSQL type) of the columns the COPY fills, in order."""
    rows = connection.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_name = %s and table_schema = coalesce(%s, current_schema())"
        " order by ordinal_position",
        (plan.table, plan.schema),
    ).fetchall()
    if not rows:
        raise CopyError(f'relation "{plan.table}" does not exist')
    types = dict(rows)
    if not plan.columns:
        return list(rows)
    missing = [name for name in plan.columns if name not in types]
    if missing:
        raise CopyError(f'column "{missing[0]}" of relation "{plan.table}" does not exist')
    return [(name, types[name]) for name in plan.columns]


def _checked_file(s3: Any, entry: dict[str, Any]) -> bytes:
    """A manifest entry's file, once its declared length is found equal to its size."""
    declared = (entry.get("meta") or {}).get("content_length")
    if declared is None:
        raise CopyError(
            f"manifest entry {entry.get('url')} has no meta.content_length, which COPY from"
            " Parquet requires"
        )
    data = _read(s3, entry["url"])
    if len(data) != declared:
        raise CopyError(
            f"manifest entry {entry['url']}: content_length {declared} does not match the"
            f" file's size {len(data)}"
        )
    return data


def _check_columns(url: str, schema: pa.Schema, columns: list[tuple[str, str]]) -> None:
    """Fail as Redshift does when a file's columns do not fit the table's by position."""
    if len(schema) != len(columns):
        raise CopyError(
            f"Spectrum Scan Error: {url} has {len(schema)} columns, the table {len(columns)}:"
            " unmatched number of columns between table and file"
        )
    for field, (name, pg_type) in zip(schema, columns, strict=True):
        if pg_type not in _LOADS_INTO.get(_kind(field.type), ()):
            raise CopyError(
                f"Spectrum Scan Error: incompatible Parquet schema for column '{name}' in {url}:"
                f" file type {field.type}, table type {pg_type}"
            )


def _kind(arrow_type: pa.DataType) -> str:
    """The kind of a Parquet column's type, as :data:`_LOADS_INTO` names it."""
    checks = (
        ("integer", pa.types.is_integer),
        ("floating", pa.types.is_floating),
        ("decimal", pa.types.is_decimal),
        ("string", lambda t: pa.types.is_string(t) or pa.types.is_large_string(t)),
        ("boolean", pa.types.is_boolean),
        ("date", pa.types.is_date),
        ("timestamp", pa.types.is_timestamp),
    )
    return next((kind for kind, check in checks if check(arrow_type)), str(arrow_type))


def _read(s3: Any, url: str) -> bytes:
    parsed = urlparse(url)
    return s3.get_object(Bucket=parsed.netloc, Key=parsed.path.lstrip("/"))["Body"].read()
