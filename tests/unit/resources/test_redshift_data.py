"""Statements through the Redshift Data API: in order, each followed until it has run."""

from decimal import Decimal

import pytest

from lakehouse.config import RedshiftTarget
from lakehouse.errors import ServiceError
from lakehouse.resources.redshift_data import (
    fetch_row,
    fetch_rows,
    poll_until_finished,
    run_batch,
    run_statements,
)


class FakeDataApi:
    """Records statements; each statement reports the given statuses one call after another."""

    def __init__(self, *statuses: str) -> None:
        self.statuses = list(statuses)
        self.sent: list[dict] = []

    def execute_statement(self, **arguments: str) -> dict:
        self.sent.append(arguments)
        return {"Id": f"id-{len(self.sent)}"}

    def batch_execute_statement(self, **arguments: str) -> dict:
        self.sent.append(arguments)
        return {"Id": f"batch-{len(self.sent)}"}

    def get_statement_result(self, Id: str) -> dict:  # noqa: N803 (the API's name)
        return {"Records": [[{"longValue": 3}, {"isNull": True}, {"stringValue": "L1"}]]}

    def describe_statement(self, Id: str) -> dict:  # noqa: N803 (the API's name)
        status = self.statuses.pop(0) if self.statuses else "FINISHED"
        return {
            "Id": Id,
            "Status": status,
            "Error": "syntax error at or near x",
            "QueryString": "x",
        }


@pytest.mark.parametrize(
    ("serverless", "where"),
    [
        (True, "WorkgroupName"),  # serverless: by workgroup
        (False, "ClusterIdentifier"),  # cluster: by identifier
    ],
)
def test_statements_are_sent_in_order_to_the_workgroup_or_the_cluster(serverless, where):
    api = FakeDataApi()
    target = RedshiftTarget("acme-warehouse", "salesdb", "arn:secret", serverless=serverless)
    wait = poll_until_finished(0, sleep=lambda _: None)
    ids = run_statements(api, target, ["create schema a", "create schema b"], wait)
    assert ids == ["id-1", "id-2"]
    assert api.sent == [
        {"Sql": sql, where: "acme-warehouse", "Database": "salesdb", "SecretArn": "arn:secret"}
        for sql in ("create schema a", "create schema b")
    ]


def test_polling_waits_until_the_statement_has_finished_soon_at_first_then_every_poll():
    statuses = ["SUBMITTED", *["STARTED"] * 7, "FINISHED"]
    api, pauses = FakeDataApi(*statuses), []
    poll_until_finished(2.0, sleep=pauses.append)(api, "id-1")
    assert pauses == [0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 2.0, 2.0]


def test_a_failed_statement_stops_the_deploy_with_redshifts_error():
    with pytest.raises(ServiceError, match="syntax error at or near x"):
        poll_until_finished(0, sleep=lambda _: None)(FakeDataApi("STARTED", "FAILED"), "id-1")


def test_a_statement_still_running_after_the_timeout_is_an_error():
    wait = poll_until_finished(0, timeout_seconds=-1, sleep=lambda _: None)
    with pytest.raises(ServiceError, match="still running"):
        wait(FakeDataApi("STARTED"), "id-1")


def test_a_batch_is_one_call_and_a_querys_first_row_comes_back_as_python_values():
    api = FakeDataApi()
    target = RedshiftTarget("acme-warehouse", "salesdb", "arn:secret")
    wait = poll_until_finished(0, sleep=lambda _: None)

    batch = run_batch(api, target, ["delete from t", "insert into t select 1"], wait)
    row = fetch_row(api, target, "select count(*), max(k), min(id) from t", wait)

    assert batch == "batch-1"
    assert api.sent[0]["Sqls"] == ["delete from t", "insert into t select 1"]
    assert api.sent[0]["WorkgroupName"] == "acme-warehouse"
    assert row == (3, None, "L1")


#: A query's result in two pages, by NextToken; the column types come with the first one.
PAGES = {
    None: {
        "ColumnMetadata": [{"typeName": "int8"}, {"typeName": "numeric"}],
        "Records": [[{"longValue": 1}, {"stringValue": "10.50"}]],
        "NextToken": "page-2",
    },
    "page-2": {"Records": [[{"longValue": 2}, {"isNull": True}]]},
}


class PagedResult(FakeDataApi):
    """A Data API whose query result comes in :data:`PAGES`."""

    def get_statement_result(self, Id: str, NextToken: str | None = None) -> dict:  # noqa: N803
        return PAGES[NextToken]


def test_every_page_of_a_result_is_read_and_numeric_text_becomes_a_decimal():
    wait = poll_until_finished(0, sleep=lambda _: None)
    target = RedshiftTarget("acme-warehouse", "salesdb", "arn:secret")

    rows = fetch_rows(PagedResult(), target, "select id, amount from t", wait)

    assert rows == [(1, Decimal("10.50")), (2, None)]
