import psycopg
import pytest

from lakehouse.resources.aws import make_client
from lakehouse.resources.warehouse import connect, read_credentials
from lakehouse.stack.emulator_services import EmulatorService, S3ProxyService
from lakehouse.stack.endpoints import parse_endpoint
from lakehouse.stack.manager import ServiceStatus, bring_up, read_status
from lakehouse.stack.paths import StackPaths
from lakehouse.stack.postgres_service import PostgresService

pytestmark = [pytest.mark.integration, pytest.mark.embedded_stack]


def test_emulator_serves_the_buckets_over_http(stack):
    names = {bucket["Name"] for bucket in make_client(stack, "s3").list_buckets()["Buckets"]}

    assert {stack.raw_bucket, stack.curated_bucket} <= names


def test_emulator_serves_the_glue_database(stack):
    database = make_client(stack, "glue").get_database(Name=stack.glue_database)["Database"]

    assert database["Name"] == stack.glue_database


def test_secret_holds_credentials_of_the_warehouse_on_loopback(stack):
    credentials = read_credentials(stack)

    assert (credentials.host, credentials.port, credentials.dbname, credentials.username) == (
        "127.0.0.1",
        stack.warehouse_port,
        "salesdb",
        "lakehouse",
    )


def test_credentials_from_the_secret_open_salesdb_over_tcp(stack):
    with connect(stack) as connection:
        row = connection.execute(
            "select 1, current_database(), host(inet_server_addr())"
        ).fetchone()

    assert row == (1, "salesdb", "127.0.0.1")


def test_warehouse_refuses_a_wrong_password(stack):
    credentials = read_credentials(stack)
    dsn = credentials.dsn.replace(credentials.password, "wrong-password")

    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(dsn, connect_timeout=5)


def test_bring_up_again_starts_nothing(stack):
    assert bring_up(stack) == []


def test_read_status_reports_every_service_running_and_healthy(stack):
    host, port = parse_endpoint(stack.aws_endpoint_url)
    logs = StackPaths.of(stack).logs
    pids = [service.find_pid(stack) for service in (S3ProxyService(), EmulatorService())]
    postgres_pid = PostgresService().find_pid(stack)

    # The stack's own services come first; the end-to-end tests' engine, when it has started
    # from this stack's folder, is listed after them.
    assert read_status(stack)[:3] == [
        ServiceStatus(
            "s3proxy",
            f"127.0.0.1:{stack.s3proxy_port}",
            True,
            True,
            pids[0],
            f"log {logs}/s3proxy.log",
        ),
        ServiceStatus(
            "emulator", f"{host}:{port}", True, True, pids[1], f"log {logs}/emulator.log"
        ),
        ServiceStatus(
            "postgres",
            f"127.0.0.1:{stack.warehouse_port}",
            True,
            True,
            postgres_pid,
            f"log {logs}/postgres.log",
        ),
    ]
