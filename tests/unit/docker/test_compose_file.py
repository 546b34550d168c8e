"""docker-compose.yml, checked without Docker: schema per profile, services, ports and the address
they bind to, health, dependencies, volumes, memory and pinned images."""

import json
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

from lakehouse.config import PROJECT_ROOT

COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
ENV_EXAMPLE = PROJECT_ROOT / ".env.example"
PROFILES = ("moto", "localstack")
ONE_SHOT = {"init", "airflow-init"}
EMULATORS = {"moto", "localstack"}
#: ``${NAME}``, ``${NAME:-default}`` (a ``$$`` is a literal dollar for the container's shell).
VARIABLE = re.compile(r"(?<!\$)\$\{(?P<name>[A-Z0-9_]+)(?::-(?P<default>[^}]*))?\}")
EIGHT_GB = 8 * 1024**3
#: Where the stack publishes its ports unless ``.env`` opts in to another address.
LOOPBACK = "127.0.0.1"
#: Compose's address for a port published with none: every interface of the host.
EVERY_INTERFACE = "0.0.0.0"


def interpolate(text: str, env: Mapping[str, str] | None = None) -> str:
    """The file as Compose reads it with ``env`` as .env (default none): each variable replaced by
    its value there, or else by its default."""
    env = env or {}

    def value(match: re.Match) -> str:
        return env.get(match.group("name"), match.group("default") or "")

    return VARIABLE.sub(value, text).replace("$$", "$")


def load_compose(env: Mapping[str, str] | None = None) -> dict:
    return yaml.safe_load(interpolate(COMPOSE_FILE.read_text(), env))


def env_example() -> dict[str, str]:
    """The .env that `make up` creates from .env.example."""
    return dict(re.findall(r"^([A-Z0-9_]+)=(.*)$", ENV_EXAMPLE.read_text(), re.MULTILINE))


def published(entry: str | dict) -> tuple[str, str, str]:
    """(host address, host port, container port) of a ``ports`` entry, short or long syntax.

    Short syntax is ``[[ADDRESS:]HOST_PORT:]CONTAINER_PORT``; with no address Compose publishes
    on every interface (and with no host port, on a random one).
    """
    if isinstance(entry, dict):
        address = entry.get("host_ip", EVERY_INTERFACE)
        return address, str(entry.get("published", "")), str(entry["target"])
    *host, container = str(entry).rsplit(":", 2)
    address, port = ([EVERY_INTERFACE, ""][: 2 - len(host)] + host)[-2:]
    return address, port, container


def published_ports(compose: dict) -> dict[str, list[tuple[str, str, str]]]:
    """The published ports of every service that publishes any."""
    ports = {name: service.get("ports", []) for name, service in compose["services"].items()}
    return {name: sorted(map(published, entries)) for name, entries in ports.items() if entries}


def active(compose: dict, profile: str) -> dict:
    """The project as `docker compose --profile <profile>` sees it."""
    services = {
        name: service
        for name, service in compose["services"].items()
        if profile in service.get("profiles", [profile])
    }
    return {**compose, "services": services}


def compose_schema() -> dict:
    files = resources.files("check_jsonschema") / "builtin_schemas" / "vendor"
    return json.loads((files / "compose-spec.json").read_text())


def memory_bytes(limit: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([mg])", limit).groups()
    return int(number) * 1024 ** {"m": 2, "g": 3}[unit]


@pytest.fixture(scope="module")
def compose() -> dict:
    return load_compose()


@pytest.mark.parametrize("profile", PROFILES)
def test_each_profile_validates_against_the_compose_specification_schema(compose, profile):
    jsonschema.validate(active(compose, profile), compose_schema())


@pytest.mark.parametrize("profile", PROFILES)
def test_each_profile_runs_one_emulator_and_every_required_dependency(compose, profile):
    services = active(compose, profile)["services"]
    missing = {
        (name, target)
        for name, service in services.items()
        for target, condition in service.get("depends_on", {}).items()
        if condition.get("required", True) and target not in services
    }

    assert (services.keys() & EMULATORS, missing) == ({profile}, set())


def test_the_stack_has_the_services_of_the_issue(compose):
    assert set(compose["services"]) == {
        "moto",
        "s3proxy",
        "localstack",
        "warehouse",
        "init",
        "spark-master",
        "spark-worker-1",
        "spark-worker-2",
        "airflow-init",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "dashboards",
    }


def test_published_ports_are_the_documented_defaults(compose):
    mappings = {
        name: [f"{port}:{container}" for _, port, container in ports]
        for name, ports in published_ports(compose).items()
    }

    assert mappings == {
        "moto": ["4566:4566"],
        "localstack": ["4566:4566"],
        "warehouse": ["5439:5432"],
        "spark-master": ["7077:7077", "8090:8080"],
        "airflow-apiserver": ["8080:8080"],
        "dashboards": ["8501:8501"],
    }


@pytest.mark.parametrize(
    "env",
    [
        pytest.param({}, id="no-env-file"),
        pytest.param(env_example(), id="env-file-from-env-example"),
    ],
)
def test_every_published_port_binds_to_the_loopback_by_default(env):
    ports = published_ports(load_compose(env))
    addresses = {(name, port): address for name, each in ports.items() for address, port, _ in each}

    assert len(addresses) == 7  # every port of the documented defaults above
    assert {key: address for key, address in addresses.items() if address != LOOPBACK} == {}


def test_one_env_variable_publishes_every_port_on_another_address():
    ports = published_ports(load_compose({"LAKEHOUSE_BIND_ADDRESS": EVERY_INTERFACE}))

    assert {address for each in ports.values() for address, _, _ in each} == {EVERY_INTERFACE}


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("127.0.0.1:4566:4566", ("127.0.0.1", "4566", "4566")),  # address, host and container
        ("5439:5432", (EVERY_INTERFACE, "5439", "5432")),  # no address: every interface
        ("8080", (EVERY_INTERFACE, "", "8080")),  # container port only: a random host port
        ({"target": 80, "published": 8000}, (EVERY_INTERFACE, "8000", "80")),  # long syntax
        ({"target": 80, "host_ip": "127.0.0.1"}, ("127.0.0.1", "", "80")),
    ],
)
def test_published_reads_the_address_of_each_ports_syntax(entry, expected):
    assert published(entry) == expected


def test_every_long_running_service_has_a_healthcheck_and_one_shots_do_not_restart(compose):
    services = compose["services"]

    assert [
        name for name in services if name not in ONE_SHOT and "healthcheck" not in services[name]
    ] == []
    assert {name: services[name].get("restart") for name in ONE_SHOT} == dict.fromkeys(
        ONE_SHOT, "no"
    )


def test_dependencies_wait_for_health_or_for_one_shots_to_complete(compose):
    conditions = {
        (target, condition["condition"])
        for service in compose["services"].values()
        for target, condition in service.get("depends_on", {}).items()
    }
    expected = {
        (target, "service_completed_successfully" if target in ONE_SHOT else "service_healthy")
        for target, _ in conditions
    }

    assert conditions == expected
    assert {target for target, _ in conditions} >= {"warehouse", "init", "spark-master", "moto"}


def test_the_emulators_keep_their_state_in_named_volumes(compose):
    services = compose["services"]
    mounts = {
        name: sorted(volume.split(":")[0] for volume in services[name].get("volumes", []))
        for name in ("moto", "s3proxy", "localstack")
    }

    assert mounts == {
        "moto": ["emulator-state"],  # moto's snapshot and journal
        "s3proxy": ["lake-objects"],  # the lake's objects
        "localstack": ["localstack-data"],
    }
    assert "ports" not in services["s3proxy"]  # reached through the emulator only


def test_volumes_are_named_or_inside_the_repository(compose):
    named = set(compose["volumes"])
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                assert (PROJECT_ROOT / source).resolve().is_relative_to(PROJECT_ROOT), volume
                assert (PROJECT_ROOT / source).exists(), volume
            else:
                assert source in named, volume


def test_memory_limits_fit_eight_gb_given_to_docker(compose):
    services = active(compose, "moto")["services"]
    limits = {name: memory_bytes(service["mem_limit"]) for name, service in services.items()}
    running = sum(limit for name, limit in limits.items() if name not in ONE_SHOT)

    assert running <= EIGHT_GB


def test_images_are_pinned_by_version(compose):
    images = {service["image"] for service in compose["services"].values()}

    assert [image for image in images if not re.search(r":\d+(\.\d+)+", image)] == []


def test_the_compose_file_names_no_architecture():
    assert not re.search(r"amd64|x86_64|aarch64|arm64", COMPOSE_FILE.read_text())


def test_env_example_documents_every_variable_of_the_compose_file():
    documented = set(re.findall(r"^([A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), re.MULTILINE))
    used = {match.group("name") for match in VARIABLE.finditer(COMPOSE_FILE.read_text())}

    assert used - documented == set()
    assert "COMPOSE_PROFILES" in documented


def test_the_services_of_the_pipeline_use_the_docker_profile(compose):
    services = compose["services"]
    for name in ("init", "dashboards", "airflow-scheduler"):
        environment = services[name]["environment"]
        assert (environment["LAKEHOUSE_PROFILE"], environment["AWS_ENDPOINT_URL"]) == (
            "docker",
            "http://aws:4566",
        ), name
    assert Path(PROJECT_ROOT / "docker/init/provision.py").is_file()
