"""Real faults for the fault tests: a stack of a test's own to break, and the breaking itself.

The suite's emulator and PostgreSQL serve every other test's requests and connections, so the
emulator and warehouse faults hit a second embedded stack instead, started with the project's own
stack code on free ports.
"""

import contextlib
import dataclasses
import os
import signal
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from pyspark.sql import SparkSession

from lakehouse.config import Settings
from lakehouse.stack.detached_service import DetachedService
from lakehouse.stack.emulator_services import EmulatorService
from lakehouse.stack.endpoints import free_port, is_port_open, wait_until
from lakehouse.stack.paths import StackPaths
from lakehouse.stack.postgres_cluster import find_bindir, run_as_owner
from lakehouse.stack.postgres_service import PostgresService
from lakehouse.stack.processes import write_pid
from tests.helpers.cli import run_command
from tests.helpers.lake import lake_cli_env


def second_stack(suite: Settings) -> Settings:
    """Settings of a second embedded stack: free ports, its state beside the suite stack's.

    The state folder is named after the suite's, so a session reuses the cluster it created.
    """
    return dataclasses.replace(
        suite,
        aws_endpoint_url=f"http://127.0.0.1:{free_port()}",
        s3proxy_port=free_port(),
        warehouse_port=free_port(),
        state_dir=suite.state_dir.with_name(f"{suite.state_dir.name}-faults"),
    )


def stack_cli_env(cli_env: dict[str, str], lake: Settings) -> dict[str, str]:
    """Process environment for the `lakehouse` CLI on ``lake``, whose stack is a second one."""
    return {
        **lake_cli_env(cli_env, lake),
        "AWS_ENDPOINT_URL": str(lake.aws_endpoint_url),
        "LAKEHOUSE_S3PROXY_PORT": str(lake.s3proxy_port),
        "LAKEHOUSE_WAREHOUSE_PORT": str(lake.warehouse_port),
        "LAKEHOUSE_STATE_DIR": str(lake.state_dir),
    }


@contextlib.contextmanager
def routed_to_emulator(spark: SparkSession, lake: Settings) -> Iterator[None]:
    """Route the shared Spark session's S3A calls for ``lake``'s buckets to ``lake``'s emulator.

    S3A reads per-bucket options (``fs.s3a.bucket.<name>.<option>``) when it first opens a
    bucket, so every other bucket stays on the session's own endpoint.
    """
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    keys = {
        f"fs.s3a.bucket.{bucket}.endpoint": lake.aws_endpoint_url
        for bucket in (lake.raw_bucket, lake.curated_bucket)
    }
    for key, value in keys.items():
        conf.set(key, value)
    try:
        yield
    finally:
        for key in keys:
            conf.unset(key)


def kill_emulator(settings: Settings) -> None:
    """SIGKILL the emulator endpoint of ``settings``' stack (s3proxy, behind it, keeps running)."""
    kill_service(EmulatorService(), settings)


def kill_service(service: DetachedService, settings: Settings) -> None:
    """SIGKILL ``service`` of ``settings``' stack; returns once its process and port are gone.

    A dying JVM loses its command line before it closes its sockets: until the port is free,
    `lakehouse up` would find it taken.
    """
    pid = service.find_pid(settings)
    assert pid is not None, f"{service.name} to kill does not run"
    os.kill(pid, signal.SIGKILL)
    host, port = service.endpoint(settings)
    assert wait_until(lambda: service.find_pid(settings) is None, 10)
    assert wait_until(lambda: not is_port_open(host, port), 10)


def restart_warehouse(settings: Settings) -> None:
    """`pg_ctl restart -m fast` of ``settings``' cluster: every session ends, open transactions
    roll back; returns when it accepts connections again.

    The new postmaster's PID is recorded as the stack's, so that `bring_down` stops it.
    """
    paths, postgres = StackPaths.of(settings), PostgresService()
    log = postgres.log_file(settings)
    # -l: the new postmaster must not inherit the pipes run_as_owner reads to their end.
    pg_ctl = [str(find_bindir() / "pg_ctl"), "-D", str(paths.postgres_data), "-l", str(log)]
    run_as_owner([*pg_ctl, "-m", "fast", "-w", "restart"], "restart", log)
    write_pid(paths.pid_file(postgres.name), postgres.find_pid(settings))


def start_run(env: dict[str, str], source: Path, run_date: date, log: Path) -> subprocess.Popen:
    """`lakehouse run` in a process group of its own (CLI and Spark JVM), its output in ``log``."""
    with log.open("w") as output:
        return subprocess.Popen(
            run_command(source, run_date),
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def kill_run(run: subprocess.Popen) -> None:
    """SIGKILL the run's whole process group, its Spark JVM included, and wait until it is gone."""
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    assert wait_until(lambda: not _group_alive(run.pid), 30), "the killed run left processes"


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True
