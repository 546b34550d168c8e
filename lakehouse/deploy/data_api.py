"""SQL on Redshift through the Data API: the warehouse DDL, one statement after another.

Each statement is sent, then followed until Redshift has run it: polled soon at first (most DDL
runs in well under a second), then every ``poll_seconds``. The emulator's Data API runs the
statements too (on PostgreSQL), so both are followed the same way.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lakehouse.deploy.plan import WarehouseKind
from lakehouse.errors import ServiceError

#: Follows one statement (by id) until it has run; raises ServiceError when it failed.
StatementWait = Callable[[Any, str], None]
_FAILED = {"FAILED", "ABORTED"}
#: Seconds before the first check of a statement.
_FIRST_POLL = 0.05


@dataclass(frozen=True)
class WarehouseTarget:
    """Where the Data API runs SQL: a workgroup or a cluster, a database, the admin secret."""

    kind: WarehouseKind
    name: str
    database: str
    secret_arn: str

    def api_arguments(self) -> dict[str, str]:
        """The Data API's arguments naming this warehouse."""
        where = "WorkgroupName" if self.kind is WarehouseKind.SERVERLESS else "ClusterIdentifier"
        return {where: self.name, "Database": self.database, "SecretArn": self.secret_arn}


def run_statements(
    client: Any, target: WarehouseTarget, statements: list[str], wait: StatementWait
) -> list[str]:
    """Run ``statements`` in order, each after the previous one has run; returns their ids."""
    ids = []
    for sql in statements:
        statement_id = client.execute_statement(Sql=sql, **target.api_arguments())["Id"]
        wait(client, statement_id)
        ids.append(statement_id)
    return ids


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
