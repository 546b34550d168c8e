"""Redshift's SQL as PostgreSQL runs it: what the emulator's Data API sends to the warehouse.

sqlglot parses each statement with its Redshift grammar and writes it in PostgreSQL's:
``DISTSTYLE``, ``DISTKEY``, ``SORTKEY`` and ``ENCODE`` are accepted and dropped (they place and
compress data, PostgreSQL has no such thing), ``SUPER`` becomes ``JSONB``. ``COPY`` from S3 is
not SQL to carry over: :mod:`lakehouse.emulator.redshift_copy` runs it. A statement sqlglot cannot
carry over faithfully, and ``UNLOAD`` (it writes S3), fail with an error that names them: never
a silent approximation.
"""

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

#: Statements that write S3 on Redshift; not run here.
_NOT_EMULATED = ("UNLOAD",)
#: Where Redshift puts and how it compresses data: accepted, and dropped for PostgreSQL.
_PLACEMENT = (exp.DistStyleProperty, exp.DistKeyProperty, exp.SortKeyProperty)


class UntranslatableSqlError(ValueError):
    """A Redshift statement that the emulator cannot run on PostgreSQL."""


def to_postgres(sql: str) -> list[str]:
    """The PostgreSQL statements of the Redshift ``sql`` (one or more statements, no COPY).

    Raises:
        UntranslatableSqlError: Naming what could not be carried over, and why.
    """
    return [as_postgres(tree) for tree in parse_redshift(sql)]


def parse_redshift(sql: str) -> list[exp.Expression]:
    """The statements of ``sql`` parsed with Redshift's grammar.

    Raises:
        UntranslatableSqlError: A syntax error, or UNLOAD.
    """
    try:
        trees = [tree for tree in sqlglot.parse(sql, read="redshift") if tree is not None]
    except SqlglotError as error:
        raise UntranslatableSqlError(
            f"syntax error in Redshift SQL: {_first_line(error)}"
        ) from None
    for tree in trees:
        if isinstance(tree, exp.Command) and tree.name.upper() in _NOT_EMULATED:
            raise UntranslatableSqlError(
                f"{tree.name.upper()} is not emulated: the emulator's Data API runs SQL"
            )
    return trees


def bind_parameters(tree: exp.Expression, values: dict[str, str]) -> exp.Expression:
    """``tree`` with each ``:name`` placeholder replaced by its value, a string literal.

    The Data API sends every parameter value as a string, which Redshift converts to the type
    the statement needs; PostgreSQL does the same with a string literal.

    Raises:
        UntranslatableSqlError: A placeholder without a value.
    """

    def bind(node: exp.Expression) -> exp.Expression:
        if not isinstance(node, exp.Placeholder) or not node.name:
            return node
        if node.name not in values:
            raise UntranslatableSqlError(f"no value for the parameter :{node.name}")
        return exp.Literal.string(values[node.name])

    return tree.transform(bind)


def as_postgres(tree: exp.Expression) -> str:
    """One parsed Redshift statement written in PostgreSQL's SQL.

    Raises:
        UntranslatableSqlError: A COPY (run by :mod:`lakehouse.emulator.redshift_copy`), or what
            PostgreSQL's writer cannot carry over.
    """
    if isinstance(tree, exp.Copy):
        raise UntranslatableSqlError("COPY is not emulated in this form")
    try:
        return tree.transform(_postgres_type).sql(
            dialect="postgres", unsupported_level=sqlglot.ErrorLevel.RAISE
        )
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
