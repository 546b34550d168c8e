"""Redshift's SQL as PostgreSQL runs it: what the emulator's Data API sends to the warehouse.

sqlglot parses each statement with its Redshift grammar and writes it in PostgreSQL's:
``DISTSTYLE``, ``DISTKEY``, ``SORTKEY`` and ``ENCODE`` are accepted and dropped (they place and
compress data, PostgreSQL has no such thing), ``SUPER`` becomes ``JSONB``. A statement sqlglot
cannot carry over faithfully, and the ones whose meaning here would differ (``COPY`` and
``UNLOAD``, which read and write S3), fail with an error that names them: never a silent
approximation.
"""

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

#: Statements that read or write S3 on Redshift; not run here.
_NOT_EMULATED = ("COPY", "UNLOAD")
#: Where Redshift puts and how it compresses data: accepted, and dropped for PostgreSQL.
_PLACEMENT = (exp.DistStyleProperty, exp.DistKeyProperty, exp.SortKeyProperty)


class UntranslatableSqlError(ValueError):
    """A Redshift statement that the emulator cannot run on PostgreSQL."""


def to_postgres(sql: str) -> list[str]:
    """The PostgreSQL statements of the Redshift ``sql`` (one or more statements).

    Raises:
        UntranslatableSqlError: Naming what could not be carried over, and why.
    """
    try:
        trees = [tree for tree in sqlglot.parse(sql, read="redshift") if tree is not None]
    except SqlglotError as error:
        raise UntranslatableSqlError(
            f"syntax error in Redshift SQL: {_first_line(error)}"
        ) from None
    for tree in trees:
        keyword = tree.sql(dialect="redshift").split(None, 1)[0].upper() if tree else ""
        if keyword in _NOT_EMULATED or isinstance(tree, exp.Copy):
            raise UntranslatableSqlError(
                f"{keyword} is not emulated: the emulator's Data API runs SQL"
            )
    try:
        return [
            tree.transform(_postgres_type).sql(
                dialect="postgres", unsupported_level=sqlglot.ErrorLevel.RAISE
            )
            for tree in trees
        ]
    except SqlglotError as error:
        raise UntranslatableSqlError(
            f"not carried over to PostgreSQL: {_first_line(error)}"
        ) from None


def _postgres_type(node: exp.Expression) -> exp.Expression | None:
    """``SUPER`` as ``JSONB``, no placement or encoding; every other node as it is."""
    if isinstance(node, exp.DataType) and node.this == exp.DataType.Type.SUPER:
        return exp.DataType.build("JSONB")
    if isinstance(node, _PLACEMENT) or (
        isinstance(node, exp.ColumnConstraint) and isinstance(node.kind, exp.EncodeColumnConstraint)
    ):
        return None
    return node


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or ["?"])[0][:300]
