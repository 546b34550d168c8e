"""The Redshift Data API on the stack's PostgreSQL: statements that really run.

moto's Data API records statements and never runs them. Here ExecuteStatement and
BatchExecuteStatement (one transaction) run each statement, its ``:name`` parameters bound to the
request's ``Parameters``, carried over from Redshift's SQL
(:mod:`lakehouse.emulator.redshift_sql`; a COPY from Parquet by
:mod:`lakehouse.emulator.redshift_copy`), in a thread on the stack's PostgreSQL; DescribeStatement,
GetStatementResult, ListStatements and CancelStatement answer as Redshift's Data API does.

Each warehouse (a ``ClusterIdentifier`` or a ``WorkgroupName``) and database is a PostgreSQL
database of its own, ``rs_<warehouse>_<database>``, created on its first statement, so a
deployment's DDL never touches the local pipeline's ``salesdb``. A request authenticates as the Data
API allows: a ``SecretArn`` (which must name a secret the emulator holds), or temporary
credentials (a cluster's ``DbUser``, or the caller's IAM identity with neither); never both.
Statements run as the warehouse's admin (the stack's own secret), not as that secret's or
``DbUser``'s user, whose passwords PostgreSQL does not know.
Statements are kept in memory: a restarted emulator knows none.
"""

import base64
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg
from moto.core.exceptions import JsonRESTError
from psycopg import sql as pgsql

from lakehouse.emulator import json_protocol
from lakehouse.emulator.redshift_copy import copy_plan, run_copy
from lakehouse.emulator.redshift_sql import as_postgres, bind_parameters, parse_redshift

log = logging.getLogger(__name__)
SUBMITTED, STARTED = "SUBMITTED", "STARTED"
FINISHED, FAILED, ABORTED = "FINISHED", "FAILED", "ABORTED"
ENDED = frozenset({FINISHED, FAILED, ABORTED})
#: Connection arguments of the warehouse's admin on a database (psycopg's keywords).
AdminLogin = Callable[[], dict[str, Any]]
_UNSAFE = re.compile(r"[^a-z0-9]+")


class DataApiError(JsonRESTError):
    """An error of the Data API, by its type (``ValidationException``, ...)."""

    code = 400


@dataclass
class Statement:
    """One statement, or one batch (its ``parts``), and what became of it."""

    request: dict[str, Any]
    sqls: list[str]
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)
    status: str = SUBMITTED
    error: str = ""
    parts: list["Statement"] = field(default_factory=list)
    columns: list[dict[str, Any]] = field(default_factory=list)
    rows: list[tuple[Any, ...]] | None = None
    row_count: int = -1

    def end(self, status: str, error: str = "") -> None:
        """Record how it ended (a cancel before the end wins)."""
        if self.status not in ENDED:
            self.status, self.error, self.updated = status, error, time.time()

    def describe(self) -> dict[str, Any]:
        """DescribeStatement's answer."""
        target = {k: v for k, v in self.request.items() if k in _TARGET_KEYS}
        described = {
            "Id": self.id,
            **target,
            "QueryString": self.sqls[0] if len(self.sqls) == 1 else "",
            "Status": self.status,
            "CreatedAt": self.created,
            "UpdatedAt": self.updated,
            "Duration": int((self.updated - self.created) * 1e9) if self.status in ENDED else -1,
            "HasResultSet": self.rows is not None,
            "ResultRows": len(self.rows) if self.rows is not None else self.row_count,
            "RedshiftPid": 0,
        }
        if self.error:
            described["Error"] = self.error
        if self.parts:
            described["SubStatements"] = [
                {
                    "Id": part.id,
                    "QueryString": part.sqls[0],
                    "Status": part.status,
                    "HasResultSet": part.rows is not None,
                    "ResultRows": part.row_count,
                    **({"Error": part.error} if part.error else {}),
                }
                for part in self.parts
            ]
        return described


_TARGET_KEYS = ("ClusterIdentifier", "WorkgroupName", "Database", "SecretArn", "DbUser")


class DataApi:
    """Statements run on the PostgreSQL that ``admin`` logs in to."""

    def __init__(
        self,
        admin: AdminLogin,
        secret_exists: Callable[[str], bool],
        s3: Callable[[str | None], Any],
    ) -> None:
        """Run statements as ``admin``, check secrets with ``secret_exists``.

        A COPY reads S3 with ``s3(role)``, the client of the IAM role that it names.
        """
        self.admin, self.secret_exists, self.s3 = admin, secret_exists, s3
        self.statements: dict[str, Statement] = {}
        self.created: set[str] = set()
        self.lock = threading.Lock()

    def execute(self, request: dict[str, Any], sqls: Sequence[str]) -> Statement:
        """ExecuteStatement (one SQL) or BatchExecuteStatement (several): start and return it.

        Raises:
            DataApiError: A ValidationException naming what the request lacks.
        """
        self.check_target(request)
        statement = Statement(request, list(sqls))
        if len(sqls) > 1:
            statement.parts = [Statement(request, [sql]) for sql in sqls]
            for number, part in enumerate(statement.parts, 1):
                part.id = f"{statement.id}:{number}"
        self.statements[statement.id] = statement
        threading.Thread(target=self._run, args=(statement,), daemon=True).start()
        return statement

    def answer(self, action: str, request: dict[str, Any]) -> dict[str, Any]:
        """The answer to one Data API action.

        Raises:
            DataApiError: As the Data API raises it; an action not emulated is a
                ValidationException that names it.
        """
        if action in ("ExecuteStatement", "BatchExecuteStatement"):
            sqls = [required(request, "Sql")] if action == "ExecuteStatement" else None
            statement = self.execute(request, sqls or required(request, "Sqls"))
            target = {k: v for k, v in request.items() if k in _TARGET_KEYS}
            return {"Id": statement.id, "CreatedAt": statement.created, **target}
        if action == "DescribeStatement":
            return self.get(required(request, "Id")).describe()
        if action == "GetStatementResult":
            return self.result(required(request, "Id"))
        if action == "ListStatements":
            return self.listed(request)
        if action == "CancelStatement":
            return {"Status": self.cancel(required(request, "Id"))}
        raise DataApiError("ValidationException", f"{action} is not emulated")

    def get(self, statement_id: str) -> Statement:
        """The statement (or batch part, ``<id>:<n>``) ``statement_id``.

        Raises:
            DataApiError: ResourceNotFoundException.
        """
        batch_id, _, number = statement_id.partition(":")
        statement = self.statements.get(batch_id)
        if statement is not None and number:
            index = int(number) - 1 if number.isdigit() else -1
            statement = statement.parts[index] if 0 <= index < len(statement.parts) else None
        if statement is None:
            raise DataApiError("ResourceNotFoundException", f"Query does not exist: {statement_id}")
        return statement

    def result(self, statement_id: str) -> dict[str, Any]:
        """GetStatementResult: the rows of a finished statement with a result set.

        Raises:
            DataApiError: ResourceNotFoundException, or ValidationException when it has none.
        """
        statement = self.get(statement_id)
        if statement.status != FINISHED or statement.rows is None:
            raise DataApiError(
                "ValidationException",
                f"Query {statement_id} has no result set (status {statement.status})",
            )
        return {
            "ColumnMetadata": statement.columns,
            "Records": [[data_field(value) for value in row] for row in statement.rows],
            "TotalNumRows": len(statement.rows),
        }

    def listed(self, request: dict[str, Any]) -> dict[str, Any]:
        """ListStatements, newest first, of one status when the request names one."""
        wanted = request.get("Status", "ALL")
        statements = sorted(self.statements.values(), key=lambda s: s.created, reverse=True)
        return {
            "Statements": [
                {
                    key: value
                    for key, value in s.describe().items()
                    if key not in ("SubStatements", "Duration", "RedshiftPid", "ResultRows")
                }
                | {"IsBatchStatement": bool(s.parts)}
                for s in statements
                if wanted in ("ALL", s.status)
            ]
        }

    def cancel(self, statement_id: str) -> bool:
        """CancelStatement: True when it had not ended (it ends ABORTED)."""
        statement = self.get(statement_id)
        with self.lock:
            if statement.status in ENDED:
                return False
            statement.end(ABORTED, "Query cancelled by the user")
        return True

    def check_target(self, request: dict[str, Any]) -> None:
        """Raise a ValidationException unless the request names one warehouse and how it logs in.

        A secret the emulator holds, or temporary credentials: a ``DbUser`` (clusters only) or
        the caller's IAM identity (neither given).
        """
        warehouses = [key for key in ("ClusterIdentifier", "WorkgroupName") if request.get(key)]
        if len(warehouses) != 1 or not request.get("Database"):
            raise DataApiError(
                "ValidationException",
                "name one ClusterIdentifier or WorkgroupName, and a Database",
            )
        if request.get("DbUser") and (request.get("SecretArn") or request.get("WorkgroupName")):
            raise DataApiError(
                "ValidationException",
                "DbUser goes with a ClusterIdentifier and no SecretArn (temporary credentials)",
            )
        if request.get("SecretArn") and not self.secret_exists(request["SecretArn"]):
            raise DataApiError(
                "ValidationException", f"secret {request['SecretArn']} does not exist"
            )

    def drop_warehouse(self, warehouse: str) -> list[str]:
        """Drop every database of ``warehouse`` (it was deleted); the names dropped."""
        prefix = postgres_database(warehouse, "")
        with self.lock, psycopg.connect(**self.admin(), autocommit=True) as connection:
            names = [
                name
                for (name,) in connection.execute("select datname from pg_database").fetchall()
                if name.startswith(prefix)
            ]
            for name in names:
                drop = pgsql.SQL("drop database if exists {} with (force)")
                connection.execute(drop.format(pgsql.Identifier(name)))
                self.created.discard(name)
        return names

    def database(self, request: dict[str, Any]) -> str:
        """The PostgreSQL database of the request's warehouse and database; created if new."""
        warehouse = request.get("ClusterIdentifier") or request.get("WorkgroupName") or ""
        name = postgres_database(warehouse, request["Database"])
        with self.lock:
            if name not in self.created:
                with psycopg.connect(**self.admin(), autocommit=True) as connection:
                    exists = connection.execute(
                        "select 1 from pg_database where datname = %s", (name,)
                    ).fetchone()
                    if not exists:
                        create = pgsql.SQL("create database {}").format(pgsql.Identifier(name))
                        connection.execute(create)
                self.created.add(name)
        return name

    def _run(self, statement: Statement) -> None:
        """Run every statement of ``statement`` in one transaction; record the outcome.

        A failure of the failing part is FAILED with the error; the parts before it, rolled back,
        and after it, never run, are ABORTED. So is everything after a CancelStatement.
        """
        with self.lock:
            if statement.status == ABORTED:
                return
            statement.status = STARTED
        parts, current = statement.parts or [statement], None
        try:
            login = {**self.admin(), "dbname": self.database(statement.request)}
            with psycopg.connect(**login) as connection:
                for current in parts:
                    current.status = STARTED
                    self._execute(connection, current)
                    if statement.status == ABORTED:
                        connection.rollback()
                        break
        except Exception as error:  # noqa: BLE001 (any failure is the statement's, as on Redshift)
            if current is not None and current is not statement:
                current.end(FAILED, _error_message(error))
            statement.end(FAILED, _error_message(error))
        for part in parts:
            part.end(FINISHED if statement.status == STARTED else ABORTED)
        statement.end(FINISHED)
        log.info("statement %s: %s %s", statement.id, statement.status, statement.error)

    def _execute(self, connection: psycopg.Connection, part: Statement) -> None:
        """Run one Redshift statement (a COPY, or SQL); keep the last result it gives."""
        values = {p["name"]: p["value"] for p in part.request.get("Parameters") or []}
        for parsed in parse_redshift(part.sqls[0]):
            tree = bind_parameters(parsed, values)
            plan = copy_plan(tree)
            if plan is not None:
                part.row_count = run_copy(connection, plan, self.s3(plan.iam_role))
                continue
            cursor = connection.execute(as_postgres(tree))  # the Data API's purpose: run SQL
            part.row_count = cursor.rowcount
            if cursor.description is not None:
                part.columns = [
                    {"name": column.name, "label": column.name, "typeName": _type_name(column)}
                    for column in cursor.description
                ]
                part.rows = cursor.fetchall()


def required(request: dict[str, Any], key: str) -> Any:
    """A field the request must give; else a ValidationException naming it."""
    return json_protocol.required(request, key, lambda m: DataApiError("ValidationException", m))


def postgres_database(warehouse: str, database: str) -> str:
    """The PostgreSQL database of a Redshift warehouse's database: ``rs_<warehouse>_<database>``."""
    return _UNSAFE.sub("_", f"rs_{warehouse}_{database}".lower())[:63]


def _type_name(column: Any) -> str:
    return str(getattr(column, "type_display", None) or column.type_code)


#: How each kind of value is a Data API Field (bool before int: a bool is an int); the rest as text.
_FIELDS: tuple[tuple[type | tuple[type, ...], Callable[[Any], dict[str, Any]]], ...] = (
    (bool, lambda value: {"booleanValue": value}),
    (int, lambda value: {"longValue": value}),
    (float, lambda value: {"doubleValue": value}),
    # SUPER (JSONB here) comes back as Redshift returns it: JSON text
    ((dict, list), lambda value: {"stringValue": json.dumps(value)}),
    (bytes, lambda value: {"blobValue": base64.b64encode(value).decode("ascii")}),
)


def data_field(value: Any) -> dict[str, Any]:
    """One value as the Data API's Field."""
    if value is None:
        return {"isNull": True}
    for kind, field_of in _FIELDS:
        if isinstance(value, kind):
            return field_of(value)
    return {"stringValue": str(value)}


def _error_message(error: Exception) -> str:
    """Redshift-style: ``ERROR: <first line>``."""
    text = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return f"ERROR: {text}"[:2000]
