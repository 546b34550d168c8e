"""Bring the embedded stack up and down, and report its state.

`bring_up` starts what is not running, waits until each service is healthy and then provisions
(see :mod:`lakehouse.stack.provision`); `bring_down` stops only the processes `bring_up` recorded.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from lakehouse.config import Profile, Settings
from lakehouse.errors import ConfigError, ServiceError
from lakehouse.stack.emulator_services import EmulatorService, S3ProxyService
from lakehouse.stack.endpoints import is_port_open, wait_until
from lakehouse.stack.paths import StackPaths
from lakehouse.stack.postgres_service import PostgresService
from lakehouse.stack.processes import hold_lock, is_alive, read_pid, remove_pid, write_pid
from lakehouse.stack.provision import provision
from lakehouse.stack.spark_cluster import SparkMasterService, SparkWorkerService
from lakehouse.stack.spark_engine import SparkEngineService


class Service(Protocol):
    """One process of the embedded stack."""

    name: str
    port_variable: str
    start_timeout: float

    def endpoint(self, settings: Settings) -> tuple[str, int]:
        """Return the host and port the service listens on."""

    def find_pid(self, settings: Settings) -> int | None:
        """Return the PID of the project's own running process, or ``None``."""

    def start(self, settings: Settings) -> int:
        """Start the service detached and return its PID."""

    def stop(self, settings: Settings, pid: int) -> None:
        """Stop the service running as ``pid``."""

    def is_healthy(self, settings: Settings) -> bool:
        """Return whether the service answers requests."""

    def log_file(self, settings: Settings) -> Path:
        """Return the service's log file."""


#: In start order: the emulator restores its state into s3proxy's buckets.
SERVICES: tuple[Service, ...] = (S3ProxyService(), EmulatorService(), PostgresService())
#: Started too when ``settings.spark_cluster`` is set (`lakehouse up --spark-cluster`).
CLUSTER_SERVICES: tuple[Service, ...] = (SparkMasterService(), SparkWorkerService())
#: Started last when ``settings.spark_engine`` is set (the default): its driver may run on the
#: cluster.
ENGINE_SERVICES: tuple[Service, ...] = (SparkEngineService(),)


@dataclass(frozen=True)
class ServiceStatus:
    """State of one service of the embedded stack, as `lakehouse status` shows it."""

    name: str
    endpoint: str
    running: bool
    healthy: bool
    pid: int | None
    detail: str


def bring_up(settings: Settings) -> list[str]:
    """Start the embedded stack (idempotent), wait until it is healthy and provision it.

    Returns:
        Names of the services this call started; empty when all were already up.

    Raises:
        ConfigError: When the profile is not ``local``.
        ServiceError: When a port is taken by another process or a service does not get healthy.
    """
    _require_local(settings)
    services = _chosen_services(settings.spark_cluster, settings.spark_engine)
    started: list[Service] = []
    with hold_lock(StackPaths.of(settings).lock_file):
        _require_free_ports(services, settings)
        try:
            for service in services:
                pid = service.find_pid(settings)
                if pid is None:
                    pid = service.start(settings)
                    write_pid(StackPaths.of(settings).pid_file(service.name), pid)
                    started.append(service)
                _wait_healthy(service, settings, pid)
            provision(settings)
        except Exception:
            _stop_services(settings, started)  # leave nothing half-started behind
            raise
    return [service.name for service in started]


def bring_down(settings: Settings, services: Sequence[Service] | None = None) -> list[str]:
    """Stop the services `bring_up` started (by their recorded PIDs) and remove their PID files.

    Args:
        settings: Settings of the stack.
        services: The services to stop; default: all, the Spark cluster and engine included.

    Returns:
        Names of the services this call stopped.
    """
    with hold_lock(StackPaths.of(settings).lock_file):
        return _stop_services(settings, services or _chosen_services(cluster=True, engine=True))


def _stop_services(settings: Settings, services: Sequence[Service]) -> list[str]:
    """Stop ``services`` in reverse order, by their recorded PIDs; returns the names stopped."""
    paths, stopped = StackPaths.of(settings), []
    for service in reversed(services):
        pid_file = paths.pid_file(service.name)
        pid = read_pid(pid_file)
        if pid is not None and service.find_pid(settings) == pid:
            service.stop(settings, pid)
            stopped.append(service.name)
        remove_pid(pid_file)
    return stopped


def read_status(settings: Settings) -> list[ServiceStatus]:
    """Return the state of every service; the Spark cluster's and engine's if on or up."""
    cluster = settings.spark_cluster or _any_running(CLUSTER_SERVICES, settings)
    engine = settings.spark_engine or _any_running(ENGINE_SERVICES, settings)
    services = _chosen_services(cluster, engine)
    return [_read_one_status(service, settings) for service in services]


def _chosen_services(cluster: bool, engine: bool) -> tuple[Service, ...]:
    """The stack's services in start order, with the Spark cluster and engine if chosen."""
    return SERVICES + (CLUSTER_SERVICES if cluster else ()) + (ENGINE_SERVICES if engine else ())


def _any_running(services: Sequence[Service], settings: Settings) -> bool:
    return any(service.find_pid(settings) for service in services)


def _require_local(settings: Settings) -> None:
    if settings.profile is not Profile.LOCAL:
        raise ConfigError(
            f"the embedded stack runs on the local profile, not on {settings.profile!s};"
            " set LAKEHOUSE_PROFILE=local (the docker profile starts with `make up`)"
        )


def _require_free_ports(services: Sequence[Service], settings: Settings) -> None:
    """Fail before starting anything when a service to start would find its port taken."""
    for service in services:
        host, port = service.endpoint(settings)
        if service.find_pid(settings) is None and is_port_open(host, port):
            raise ServiceError(
                f"port {host}:{port} for {service.name} is taken by a process that `lakehouse up`"
                f" did not start; stop that process or choose another port in"
                f" {service.port_variable}"
            )


def _wait_healthy(service: Service, settings: Settings, pid: int) -> None:
    """Wait until ``service`` answers; fail at once, quoting its log, if its process ``pid`` ends.

    Judged by the PID alone: while a launcher becomes its JVM (``exec``), its command line
    reads empty for an instant, so the service's own lookup by command line may miss it.
    """
    ended = False

    def answers_or_ended() -> bool:
        nonlocal ended
        ended = not is_alive(pid)
        return ended or service.is_healthy(settings)

    if wait_until(answers_or_ended, service.start_timeout) and not ended:
        return
    log = service.log_file(settings)
    if ended:
        reason = f"stopped while starting ({_read_last_line(log)})"
    else:
        reason = f"did not get healthy within {service.start_timeout:.0f} s"
    raise ServiceError(f"{service.name} {reason}; see {log}")


def _read_last_line(log: Path) -> str:
    lines = log.read_text(errors="replace").strip().splitlines() if log.is_file() else []
    return lines[-1] if lines else "no output"


def _read_one_status(service: Service, settings: Settings) -> ServiceStatus:
    host, port = service.endpoint(settings)
    pid = service.find_pid(settings)
    healthy = service.is_healthy(settings)
    if pid is not None:
        detail = f"log {service.log_file(settings)}" if healthy else "running but not answering"
    elif is_port_open(host, port):
        detail = f"port {port} is used by a process that `lakehouse up` did not start"
    elif service in ENGINE_SERVICES and not settings.spark_engine:
        detail = "off (LAKEHOUSE_SPARK_ENGINE=false): each run starts its own Spark"
    else:
        flag = " --spark-cluster" if service in CLUSTER_SERVICES else ""
        detail = f"stopped; run `lakehouse up{flag}`"
    return ServiceStatus(service.name, f"{host}:{port}", pid is not None, healthy, pid, detail)
