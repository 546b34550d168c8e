"""Redshift's ``COPY`` from S3 on PostgreSQL, for the emulator's Data API: two of its forms.

- ``FORMAT AS PARQUET MANIFEST``: the manifest and its Parquet files are read from the emulator's
  S3, as Redshift reads them from S3, and checked as Redshift checks them: every entry needs
  ``meta.content_length`` equal to the file's size, and a file's columns map to the table's (or
  the listed) columns by position, as many of them, of compatible types.
- ``FORMAT AS JSON 'auto'``: every object under the key prefix holds JSON lines, one object per
  row; a key fills the column of that name (case-sensitive, as ``'auto'`` matches), a missing key
  leaves NULL, and a nested value loads only into a ``SUPER`` (here ``JSONB``) column. A prefix
  that matches no object fails, as on Redshift.

The rows then go into the table with PostgreSQL's own ``COPY FROM STDIN``, inside the
statement's transaction. S3 is read as a session of the ``IAM_ROLE`` that the COPY names when
the emulator enforces IAM (:mod:`lakehouse.emulator.role_sessions`).
"""

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
from psycopg import sql
from psycopg.types.json import Jsonb
from sqlglot import exp

from lakehouse.ingest.raw_zone import list_keys

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


#: The forms of COPY emulated.
PARQUET_MANIFEST, JSON_AUTO = "parquet manifest", "json 'auto'"


class CopyError(ValueError):
    """A COPY that Redshift would refuse, with Redshift's kind of message."""


@dataclass(frozen=True)
class CopyPlan:
    """What one COPY loads: into which table and columns, from which manifest or key prefix."""

    schema: str | None
    table: str
    columns: tuple[str, ...]
    source: str
    form: str = PARQUET_MANIFEST
    iam_role: str | None = None


def copy_plan(tree: exp.Expression) -> CopyPlan | None:
    """The plan of a parsed Redshift statement when it is a COPY; ``None`` otherwise.

    Raises:
        CopyError: A COPY in a form not emulated (other than :data:`PARQUET_MANIFEST` and
            :data:`JSON_AUTO`), or without its source.
    """
    if not isinstance(tree, exp.Copy):
        return None
    form = _copy_form(tree)
    target = tree.this
    table = target.this if isinstance(target, exp.Schema) else target
    names = target.expressions if isinstance(target, exp.Schema) else []
    files = tree.args.get("files") or []
    if not files:
        raise CopyError("COPY names no source")
    schema = table.args.get("db")
    return CopyPlan(
        _folded(schema) if schema else None,
        _folded(table.this),
        tuple(_folded(name) for name in names),
        files[0].name,
        form,
        _iam_role(tree),
    )


def _iam_role(tree: exp.Copy) -> str | None:
    """The ARN of the COPY's ``IAM_ROLE``, if it names one (not ``default``)."""
    credentials = tree.args.get("credentials")
    role = credentials.args.get("iam_role") if credentials is not None else None
    return role.name if role is not None and role.name.startswith("arn:") else None


def _copy_form(tree: exp.Copy) -> str:
    """Which emulated form a COPY takes, from its parameters (as sqlglot parses them)."""
    params = {
        " ".join(param.this.name.lower().split()): (
            param.expression.name.lower() if param.expression else ""
        )
        for param in tree.args.get("params") or []
    }
    if params.get("format") == "parquet" and "manifest" in params:
        return PARQUET_MANIFEST
    if params.get("format as json") == "auto" and "manifest" not in params:
        return JSON_AUTO
    raise CopyError(
        "only COPY ... FORMAT AS PARQUET MANIFEST and COPY ... FORMAT AS JSON 'auto' are emulated"
    )


def _folded(identifier: exp.Expression) -> str:
    """A name as Redshift resolves it: lower case unless quoted."""
    quoted = isinstance(identifier, exp.Identifier) and identifier.quoted
    return identifier.name if quoted else identifier.name.lower()


def run_copy(connection: psycopg.Connection, plan: CopyPlan, s3: Any) -> int:
    """Load the plan's files into its table; the rows loaded.

    Raises:
        CopyError: As Redshift would fail the COPY (see the module's description).
    """
    columns = _target_columns(connection, plan)
    target = sql.SQL("copy {} ({}) from stdin").format(
        sql.Identifier(*filter(None, (plan.schema, plan.table))),
        sql.SQL(", ").join(map(sql.Identifier, (name for name, _ in columns))),
    )
    rows = _json_rows if plan.form == JSON_AUTO else _parquet_rows
    loaded = 0
    with connection.cursor().copy(target) as copy:
        for row in rows(s3, plan.source, columns):
            copy.write_row(row)
            loaded += 1
    return loaded


def _parquet_rows(
    s3: Any, manifest_url: str, columns: list[tuple[str, str]]
) -> Iterator[tuple[Any, ...]]:
    """The rows of the manifest's Parquet files, each file checked first."""
    manifest = json.loads(_read(s3, manifest_url))
    for entry in manifest.get("entries", []):
        table = pq.read_table(io.BytesIO(_checked_file(s3, entry)))
        _check_columns(entry["url"], table.schema, columns)
        yield from zip(*(column.to_pylist() for column in table.columns), strict=True)


def _json_rows(s3: Any, prefix_url: str, columns: list[tuple[str, str]]) -> Iterator[tuple]:
    """The rows of the JSON lines of every object under the prefix, by key name."""
    parsed = urlparse(prefix_url)
    bucket, prefix = parsed.netloc, parsed.path.lstrip("/")
    keys = list_keys(s3, bucket, prefix)
    if not keys:
        raise CopyError(f"The specified S3 prefix '{prefix}' does not exist")
    for key in keys:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")
        for number, line in enumerate(body.splitlines(), 1):
            if line.strip():
                item = _json_object(line, f"s3://{bucket}/{key}", number)
                yield tuple(_json_value(item.get(name), name, pg_type) for name, pg_type in columns)


def _json_object(line: str, url: str, number: int) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise CopyError(f"Invalid JSON in {url} line {number}: {error.msg}") from None
    if not isinstance(item, dict):
        raise CopyError(f"Invalid JSON in {url} line {number}: not an object")
    return item


def _json_value(value: Any, name: str, pg_type: str) -> Any:
    """A JSON value as column ``name`` takes it: nested values only into ``SUPER``."""
    if pg_type == "jsonb":
        return None if value is None else Jsonb(value)
    if isinstance(value, dict | list):
        raise CopyError(f"a nested JSON value cannot load into column '{name}' of type {pg_type}")
    return value


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
