"""The Redshift Data API on the emulator runs Redshift's SQL on the stack's PostgreSQL."""

import time
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from lakehouse.config import Settings
from lakehouse.emulator.data_api import postgres_database
from lakehouse.resources.aws import make_client
from lakehouse.resources.warehouse import read_credentials

pytestmark = pytest.mark.integration


@pytest.fixture
def target(stack: Settings) -> Iterator[dict[str, str]]:
    """A cluster and database of the test's own, with an admin secret; its database dropped."""
    cluster = f"acme-{uuid.uuid4().hex[:8]}"
    secrets = make_client(stack, "secretsmanager")
    arn = secrets.create_secret(
        Name=f"{cluster}/redshift-admin", SecretString='{"username": "admin", "password": "x"}'
    )["ARN"]
    yield {"ClusterIdentifier": cluster, "Database": "dev", "SecretArn": arn}
    secrets.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True)
    with psycopg.connect(read_credentials(stack).dsn, autocommit=True) as connection:
        name = sql.Identifier(postgres_database(cluster, "dev"))
        connection.execute(sql.SQL("drop database if exists {}").format(name))


def run(client, target: dict[str, str], *sqls: str) -> dict:
    """Send ``sqls`` (one statement, or a batch) and return the statement once it has ended."""
    if len(sqls) == 1:
        statement_id = client.execute_statement(Sql=sqls[0], **target)["Id"]
    else:
        statement_id = client.batch_execute_statement(Sqls=list(sqls), **target)["Id"]
    for _ in range(300):
        described = client.describe_statement(Id=statement_id)
        if described["Status"] in {"FINISHED", "FAILED", "ABORTED"}:
            return described
        time.sleep(0.05)
    raise AssertionError(f"statement {statement_id} still {described['Status']}")


def test_redshift_ddl_and_a_batch_run_and_return_their_rows(stack, target) -> None:
    client = make_client(stack, "redshift-data")
    created = run(
        client,
        target,
        "create table sales (id int encode az64, payload super) diststyle all sortkey (id)",
    )

    batch = run(
        client,
        target,
        "insert into sales values (1, json_parse('{\"a\": 1}')), (2, null)",
        "select id, payload is null as empty from sales order by id",
    )
    result = client.get_statement_result(Id=batch["SubStatements"][1]["Id"])

    assert created["Status"] == "FINISHED"
    assert [part["Status"] for part in batch["SubStatements"]] == ["FINISHED", "FINISHED"]
    assert [column["name"] for column in result["ColumnMetadata"]] == ["id", "empty"]
    assert result["Records"] == [
        [{"longValue": 1}, {"booleanValue": False}],
        [{"longValue": 2}, {"booleanValue": True}],
    ]
    listed = client.list_statements()["Statements"]
    assert batch["Id"] in {statement["Id"] for statement in listed}


def test_a_failing_batch_rolls_back_as_one_transaction_with_redshifts_error(stack, target):
    client = make_client(stack, "redshift-data")
    run(client, target, "create table kept (id int)")

    failed = run(client, target, "insert into kept values (1)", "select 1 / 0")
    count = run(client, target, "select count(*) from kept")

    assert failed["Status"] == "FAILED"
    assert failed["Error"].startswith("ERROR: division by zero")
    assert client.get_statement_result(Id=count["Id"])["Records"] == [[{"longValue": 0}]]


def test_what_is_not_emulated_fails_by_name_and_the_target_is_checked(stack, target):
    client = make_client(stack, "redshift-data")

    copy = run(client, target, "copy t from 's3://b/t.manifest' iam_role 'r' format as parquet")

    assert copy["Status"] == "FAILED"
    assert "COPY is not emulated" in copy["Error"]
    with pytest.raises(client.exceptions.ValidationException, match="DbUser is refused"):
        client.execute_statement(
            Sql="select 1", DbUser="admin", **{k: v for k, v in target.items() if k != "SecretArn"}
        )
    with pytest.raises(client.exceptions.ValidationException, match="does not exist"):
        client.execute_statement(
            Sql="select 1", **{**target, "SecretArn": target["SecretArn"] + "x"}
        )
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_statement(Id=str(uuid.uuid4()))


def test_each_warehouse_is_a_database_of_its_own_apart_from_the_local_warehouse(stack, target):
    client = make_client(stack, "redshift-data")
    run(client, target, "create table only_here (id int)")

    with psycopg.connect(read_credentials(stack).dsn) as connection:
        databases = {row[0] for row in connection.execute("select datname from pg_database")}
        local = connection.execute("select to_regclass('public.only_here')").fetchone()

    assert postgres_database(target["ClusterIdentifier"], "dev") in databases
    assert local == (None,)
