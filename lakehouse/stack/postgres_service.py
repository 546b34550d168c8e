"""The warehouse: the project's PostgreSQL cluster on 127.0.0.1, started and stopped with pg_ctl."""

from pathlib import Path

import psycopg
from psycopg import sql

from lakehouse.config import WAREHOUSE_DATABASE, Settings
from lakehouse.errors import ServiceError
from lakehouse.resources.warehouse import WarehouseCredentials
from lakehouse.stack.paths import StackPaths
from lakehouse.stack.postgres_cluster import (
    SUPERUSER,
    find_bindir,
    give_to_owner,
    init_cluster,
    read_password,
    run_as_owner,
)
from lakehouse.stack.processes import is_alive, read_command, read_pid

HOST = "127.0.0.1"


class PostgresService:
    """PostgreSQL 15 listening on ``127.0.0.1:settings.warehouse_port`` only."""

    name = "postgres"
    port_variable = "LAKEHOUSE_WAREHOUSE_PORT"
    start_timeout = 60.0

    def endpoint(self, settings: Settings) -> tuple[str, int]:
        """Return the host and port the warehouse listens on."""
        return HOST, settings.warehouse_port

    def find_pid(self, settings: Settings) -> int | None:
        """Return the postmaster PID of the project's cluster, if it runs."""
        pid = read_pid(StackPaths.of(settings).postgres_data / "postmaster.pid")
        if pid is None or not is_alive(pid) or "postgres" not in read_command(pid):
            return None
        return pid

    def start(self, settings: Settings) -> int:
        """Create the cluster if needed, start it with ``pg_ctl`` and return the postmaster PID."""
        paths, log = StackPaths.of(settings), self.log_file(settings)
        init_cluster(paths, log)
        log.touch()
        give_to_owner(log)
        pg_ctl = [str(find_bindir() / "pg_ctl"), "-D", str(paths.postgres_data), "-l", str(log)]
        port = f"-p {settings.warehouse_port}"
        run_as_owner([*pg_ctl, "-w", "-t", "60", "-o", port, "start"], "start", log)
        pid = self.find_pid(settings)
        if pid is None:
            raise ServiceError(f"PostgreSQL exited right after it started; see {log}")
        return pid

    def stop(self, settings: Settings, pid: int) -> None:
        """Stop the cluster with ``pg_ctl stop -m fast`` (``pid`` is the postmaster's)."""
        data = StackPaths.of(settings).postgres_data
        pg_ctl = [str(find_bindir() / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
        run_as_owner(pg_ctl, f"stop of postmaster {pid}", self.log_file(settings))

    def is_healthy(self, settings: Settings) -> bool:
        """Return whether the cluster accepts a login with the stack's credentials."""
        paths = StackPaths.of(settings)
        if not paths.password_file.is_file():
            return False
        try:
            with _connect(settings, "postgres", connect_timeout=2) as connection:
                connection.execute("select 1")
        except psycopg.OperationalError:
            return False
        return True

    def log_file(self, settings: Settings) -> Path:
        """Return the server log of the cluster."""
        return StackPaths.of(settings).log_file(self.name)


def build_credentials(settings: Settings) -> WarehouseCredentials:
    """Return the credentials of the embedded warehouse, as stored in its secret."""
    password = read_password(StackPaths.of(settings))
    return WarehouseCredentials(
        HOST, settings.warehouse_port, WAREHOUSE_DATABASE, SUPERUSER, password
    )


def ensure_database(settings: Settings) -> None:
    """Create the warehouse database ``salesdb`` unless it exists."""
    with _connect(settings, "postgres", autocommit=True) as connection:
        found = connection.execute(
            "select 1 from pg_database where datname = %s", (WAREHOUSE_DATABASE,)
        ).fetchone()
        if found is None:
            connection.execute(
                sql.SQL("create database {}").format(sql.Identifier(WAREHOUSE_DATABASE))
            )


def _connect(settings: Settings, dbname: str, **options: object) -> psycopg.Connection:
    credentials = build_credentials(settings)
    return psycopg.connect(
        host=credentials.host,
        port=credentials.port,
        user=credentials.username,
        password=credentials.password,
        dbname=dbname,
        **options,
    )
