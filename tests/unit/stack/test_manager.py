import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from lakehouse.config import Settings, load_settings
from lakehouse.errors import ConfigError, ServiceError
from lakehouse.stack import manager
from lakehouse.stack.paths import StackPaths
from lakehouse.stack.processes import read_pid, write_pid


@dataclass
class FakeService:
    """A service whose process is a PID in memory: stands in for moto and PostgreSQL."""

    name: str
    running_pid: int | None = None
    healthy: bool = True
    port_variable: str = "FAKE_PORT"
    start_timeout: float = 0.05
    stopped: list[int] = field(default_factory=list)

    def endpoint(self, settings: Settings) -> tuple[str, int]:
        return "127.0.0.1", 1

    def find_pid(self, settings: Settings) -> int | None:
        return self.running_pid

    def start(self, settings: Settings) -> int:
        self.running_pid = 1000 + len(self.name)
        return self.running_pid

    def stop(self, settings: Settings, pid: int) -> None:
        self.stopped.append(pid)
        self.running_pid = None

    def is_healthy(self, settings: Settings) -> bool:
        return self.healthy

    def log_file(self, settings: Settings) -> Path:
        return settings.state_dir / "logs" / f"{self.name}.log"


@pytest.fixture
def settings(tmp_path):
    env = {"LAKEHOUSE_PROFILE": "local", "LAKEHOUSE_STATE_DIR": str(tmp_path)}
    return load_settings({**env, "LAKEHOUSE_SPARK_ENGINE": "false"})


@pytest.fixture
def fakes(monkeypatch):
    services = (FakeService("emulator"), FakeService("warehouse"))
    monkeypatch.setattr(manager, "SERVICES", services)
    monkeypatch.setattr(manager, "provision", lambda settings: None)
    monkeypatch.setattr(manager, "is_port_open", lambda host, port: False)
    monkeypatch.setattr(manager, "is_alive", lambda pid: pid in {s.running_pid for s in services})
    return services


def test_bring_up_starts_stopped_services_and_records_their_pids(settings, fakes):
    started = manager.bring_up(settings)

    pid_files = [StackPaths.of(settings).pid_file(name) for name in ("emulator", "warehouse")]
    assert (started, [read_pid(path) for path in pid_files]) == (
        ["emulator", "warehouse"],
        [1008, 1009],
    )


def test_bring_up_returns_nothing_when_every_service_already_runs(settings, fakes):
    manager.bring_up(settings)

    assert manager.bring_up(settings) == []


def test_bring_up_refuses_a_port_taken_by_a_process_it_did_not_start(settings, fakes, monkeypatch):
    monkeypatch.setattr(manager, "is_port_open", lambda host, port: True)

    with pytest.raises(
        ServiceError, match=r"port 127\.0\.0\.1:1 for emulator is taken .*FAKE_PORT"
    ):
        manager.bring_up(settings)


def test_bring_up_starts_nothing_when_a_later_service_port_is_taken(settings, fakes, monkeypatch):
    monkeypatch.setattr(manager, "is_port_open", lambda host, port: port == 2)
    monkeypatch.setattr(fakes[1], "endpoint", lambda settings: ("127.0.0.1", 2))

    with pytest.raises(ServiceError, match=r"port 127\.0\.0\.1:2 for warehouse is taken"):
        manager.bring_up(settings)
    assert [service.running_pid for service in fakes] == [None, None]


def test_bring_up_stops_what_it_started_when_a_later_service_fails(settings, fakes):
    fakes[1].healthy = False

    with pytest.raises(ServiceError, match="warehouse did not get healthy"):
        manager.bring_up(settings)
    assert [(fake.stopped, fake.running_pid) for fake in fakes] == [([1008], None), ([1009], None)]


def test_bring_up_fails_naming_the_log_when_a_service_never_gets_healthy(settings, fakes):
    fakes[1].healthy = False

    with pytest.raises(ServiceError, match=r"warehouse did not get healthy .*warehouse\.log"):
        manager.bring_up(settings)


def test_bring_up_quotes_the_log_when_a_started_service_exits_at_once(settings, fakes, monkeypatch):
    monkeypatch.setattr(manager, "is_alive", lambda pid: False)  # started, then gone
    log = settings.state_dir / "logs" / "emulator.log"
    log.parent.mkdir()
    log.write_text("Running\nPort 1 is in use by another program.\n")

    with pytest.raises(
        ServiceError,
        match=r"emulator stopped while starting \(Port 1 is in use by another program\.\)",
    ):
        manager.bring_up(settings)


def test_bring_up_waits_for_a_started_service_that_its_lookup_misses_for_an_instant(
    settings, fakes, monkeypatch
):
    # Regression: while s3proxy's launcher becomes its JVM (exec), its command line reads
    # empty, so the lookup by command line found no process and the start was called failed.
    monkeypatch.setattr(fakes[0], "find_pid", lambda settings: None)

    assert manager.bring_up(settings) == ["emulator", "warehouse"]


def test_bring_up_starts_the_spark_engine_last_when_it_is_on(settings, fakes, monkeypatch):
    monkeypatch.setattr(manager, "ENGINE_SERVICES", (FakeService("spark-engine"),))
    monkeypatch.setattr(manager, "is_alive", lambda pid: True)

    started = manager.bring_up(dataclasses.replace(settings, spark_engine=True))

    assert started == ["emulator", "warehouse", "spark-engine"]


@pytest.mark.parametrize("profile", ["docker", "aws"])  # both run their services elsewhere
def test_bring_up_refuses_profiles_other_than_local(profile):
    with pytest.raises(ConfigError, match=f"not on {profile}"):
        manager.bring_up(load_settings({"LAKEHOUSE_PROFILE": profile}))


def test_bring_down_stops_recorded_services_in_reverse_order_and_removes_pid_files(settings, fakes):
    manager.bring_up(settings)

    stopped = manager.bring_down(settings)

    assert (
        stopped,
        [fake.stopped for fake in fakes],
        list((settings.state_dir / "pids").iterdir()),
    ) == (
        ["warehouse", "emulator"],
        [[1008], [1009]],
        [],
    )


def test_bring_down_leaves_a_service_it_did_not_start_and_drops_a_stale_pid_file(settings, fakes):
    fakes[0].running_pid = 555  # running, but not recorded by bring_up
    write_pid(StackPaths.of(settings).pid_file("warehouse"), 777)  # recorded, no longer running

    stopped = manager.bring_down(settings)

    assert (stopped, fakes[0].stopped, list((settings.state_dir / "pids").iterdir())) == (
        [],
        [],
        [],
    )


def test_read_status_reports_each_service(settings, fakes):
    fakes[0].running_pid = 42

    assert manager.read_status(settings) == [
        manager.ServiceStatus(
            "emulator", "127.0.0.1:1", True, True, 42, f"log {settings.state_dir}/logs/emulator.log"
        ),
        manager.ServiceStatus(
            "warehouse", "127.0.0.1:1", False, True, None, "stopped; run `lakehouse up`"
        ),
    ]


def test_read_status_lists_the_spark_engine_only_when_it_is_on_or_up(settings, fakes, monkeypatch):
    monkeypatch.setattr(manager, "ENGINE_SERVICES", (FakeService("spark-engine"),))

    names = [status.name for status in manager.read_status(settings)]
    engine = manager.read_status(dataclasses.replace(settings, spark_engine=True))[-1]

    assert (names, engine.name, engine.running, engine.detail) == (
        ["emulator", "warehouse"],
        "spark-engine",
        False,
        "stopped; run `lakehouse up`",
    )
