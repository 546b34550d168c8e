"""SQL on Redshift through the Data API: statements in order, batches, a query's row.

Each statement is sent, then followed until Redshift has run it: polled soon at first (most DDL
runs in well under a second), then every ``poll_seconds``. The emulator's Data API runs the
statements too (on PostgreSQL), so both are followed the same way.
"""

import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from lakehouse.config import RedshiftTarget
from lakehouse.errors import ServiceError

#: Follows one statement (by id) until it has run; raises ServiceError when it failed.
StatementWait = Callable[[Any, str], None]
_FAILED = {"FAILED", "ABORTED"}
#: Type names whose values the Data API sends as text and Python reads as Decimal.
_DECIMAL_TYPES = ("numeric", "decimal")
#: Seconds before the first check of a statement.
_FIRST_POLL = 0.05


def run_statements(
    client: Any, target: RedshiftTarget, statements: list[str], wait: StatementWait
) -> list[str]:
    """Run ``statements`` in order, each after the previous one has run; returns their ids."""
    ids = []
    for sql in statements:
        statement_id = client.execute_statement(Sql=sql, **target.api_arguments())["Id"]
        wait(client, statement_id)
        ids.append(statement_id)
    return ids


def run_batch(
    client: Any,
    target: RedshiftTarget,
    statements: list[str],
    wait: StatementWait,
    parameters: Mapping[str, str] | None = None,
) -> str:
    """Run ``statements`` as one transaction (BatchExecuteStatement); its id once it has run.

    ``parameters`` are the values of the statements' ``:name`` placeholders, sent apart from the
    SQL (each a non-empty string, as the Data API takes them).
    """
    bound = {"Parameters": as_sql_parameters(parameters)} if parameters else {}
    statement_id = client.batch_execute_statement(
        Sqls=statements, **target.api_arguments(), **bound
    )["Id"]
    wait(client, statement_id)
    return statement_id


def sql_literal(value: str) -> str:
    """``value`` as a Redshift string literal, for where SQL takes no parameter (COPY's source).

    Raises:
        ValueError: ``value`` holds a backslash or a control character, which Redshift's
            literals would read otherwise than PostgreSQL's; no name or URL of the project does.
    """
    if "\\" in value or any(ord(char) < 32 for char in value):
        raise ValueError(f"not sent to Redshift as a literal: {value[:80]!r}")
    return "'" + value.replace("'", "''") + "'"


def as_sql_parameters(values: Mapping[str, str]) -> list[dict[str, str]]:
    """The Data API's ``Parameters`` for ``values`` (placeholder name -> value)."""
    return [{"name": name, "value": value} for name, value in values.items()]


def fetch_rows(client: Any, target: RedshiftTarget, sql: str, wait: StatementWait) -> list[tuple]:
    """Every row of a query's result (all its pages), as Python values.

    ``None`` for a NULL; a ``numeric``/``decimal`` column, which the Data API sends as text, as a
    :class:`~decimal.Decimal`, the way psycopg reads it.

    Raises:
        ServiceError: The query failed.
    """
    statement_id = client.execute_statement(Sql=sql, **target.api_arguments())["Id"]
    wait(client, statement_id)
    rows: list[tuple] = []
    types: list[str] = []
    token = None
    while True:
        more = {"NextToken": token} if token else {}
        page = client.get_statement_result(Id=statement_id, **more)
        # the columns' types come with the first page at least
        types = [column.get("typeName", "") for column in page.get("ColumnMetadata", [])] or types
        for record in page["Records"]:
            named = [*types, *[""] * (len(record) - len(types))]
            rows.append(tuple(map(field_value, record, named)))
        token = page.get("NextToken")
        if not token:
            return rows


def fetch_row(client: Any, target: RedshiftTarget, sql: str, wait: StatementWait) -> tuple:
    """The first row of a query's result, as :func:`fetch_rows` reads it.

    Raises:
        ServiceError: The query failed, or returned no row.
    """
    rows = fetch_rows(client, target, sql, wait)
    if not rows:
        raise ServiceError(f"Redshift query returned no row\n  {sql[:200]}")
    return rows[0]


def field_value(field: dict[str, Any], type_name: str = "") -> Any:
    """A Data API result field's value: its one typed member, ``None`` for ``isNull``.

    A ``numeric`` or ``decimal`` column's text becomes a :class:`~decimal.Decimal`.
    """
    if field.get("isNull"):
        return None
    (value,) = field.values()
    if type_name.lower().startswith(_DECIMAL_TYPES) and isinstance(value, str):
        return Decimal(value)
    return value


def poll_until_finished(
    poll_seconds: float, timeout_seconds: float = 900, sleep: Callable[[float], None] = time.sleep
) -> StatementWait:
    """A wait that polls DescribeStatement until FINISHED: first soon, then every poll."""

    def wait(client: Any, statement_id: str) -> None:
        deadline, pause = time.monotonic() + timeout_seconds, min(_FIRST_POLL, poll_seconds)
        while True:
            described = client.describe_statement(Id=statement_id)
            if described["Status"] == "FINISHED":
                return
            if described["Status"] in _FAILED:
                raise ServiceError(
                    f"Redshift statement failed: {described.get('Error', described['Status'])}"
                    f"\n  {described.get('QueryString', '')[:200]}"
                )
            if time.monotonic() > deadline:
                raise ServiceError(f"Redshift statement {statement_id} still running; gave up")
            sleep(pause)
            pause = min(pause * 2, poll_seconds)

    return wait
