"""The project's own PostgreSQL cluster: binaries, owning OS user, password and initdb."""

import os
import pwd
import secrets
import shutil
import subprocess
from pathlib import Path

from lakehouse.errors import ServiceError
from lakehouse.stack.paths import StackPaths

SUPERUSER = "lakehouse"
#: PostgreSQL refuses to run as root; when we are root, the cluster belongs to this OS user.
SERVICE_USER = "postgres"
_FALLBACK_BINDIR = Path("/usr/lib/postgresql/15/bin")
_INSTALL_HINT = "run `apt-get install postgresql-15` (or `make setup`)"
# A dev warehouse on a laptop or CI runner with 2 cores. fsync stays on; synchronous_commit off
# may lose the last commits of a crash but never consistency, and every run can be re-run.
_SETTINGS = """
# --- lakehouse: embedded dev warehouse ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
shared_buffers = 256MB
max_wal_size = 2GB
max_connections = 50
synchronous_commit = off
"""


def find_bindir() -> Path:
    """Return the folder of the PostgreSQL server binaries (``initdb``, ``pg_ctl``).

    Raises:
        ServiceError: When no PostgreSQL server is installed.
    """
    candidates = [_FALLBACK_BINDIR]
    pg_config = shutil.which("pg_config")
    if pg_config:
        result = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        )
        candidates.insert(0, Path(result.stdout.strip()))
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    raise ServiceError(f"PostgreSQL server binaries (initdb, pg_ctl) not found; {_INSTALL_HINT}")


def owner_prefix() -> list[str]:
    """Return the command prefix that runs a PostgreSQL binary as the cluster's owner."""
    return ["runuser", "-u", SERVICE_USER, "--"] if os.geteuid() == 0 else []


def give_to_owner(path: Path) -> None:
    """Hand ``path`` to the cluster's OS user when we are root (a no-op otherwise).

    Raises:
        ServiceError: When we are root and the OS user ``postgres`` does not exist.
    """
    if os.geteuid() != 0:
        return
    try:
        owner = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        raise ServiceError(
            f"PostgreSQL cannot run as root and the OS user {SERVICE_USER!r} does not exist;"
            f" {_INSTALL_HINT}, or run `lakehouse up` as an ordinary user"
        ) from None
    os.chown(path, owner.pw_uid, owner.pw_gid)


def run_as_owner(command: list[str], what: str, log: Path) -> None:
    """Run a PostgreSQL binary as the cluster's owner, in its own session.

    Raises:
        ServiceError: When the command fails, with its output and the log to read.
    """
    result = subprocess.run(
        [*owner_prefix(), *command],
        capture_output=True,
        text=True,
        check=False,
        cwd="/",
        start_new_session=True,
    )
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()
        raise ServiceError(f"PostgreSQL {what} failed: {output}; see {log}")


def check_owner_access(data: Path) -> None:
    """Check that the cluster's OS user can write ``data`` (its parent folders must let it in).

    Raises:
        ServiceError: When it cannot, naming the folder and what to do.
    """
    probe = subprocess.run([*owner_prefix(), "test", "-w", str(data)], check=False, cwd="/")
    if probe.returncode != 0:
        raise ServiceError(
            f"the OS user {SERVICE_USER!r} that runs PostgreSQL cannot write {data}; make its"
            " parent folders traversable (chmod o+x) or set LAKEHOUSE_STATE_DIR to a folder it"
            " can reach"
        )


def read_password(paths: StackPaths) -> str:
    """Return the warehouse superuser's password from the stack's password file.

    Raises:
        ServiceError: When the file is missing although the cluster exists.
    """
    try:
        return paths.password_file.read_text().strip()
    except FileNotFoundError:
        raise ServiceError(
            f"the warehouse password file {paths.password_file} is missing; remove"
            f" {paths.postgres_data} and run `lakehouse up` to create a new cluster"
        ) from None


def init_cluster(paths: StackPaths, log: Path) -> None:
    """Create the cluster once: a random superuser password (0600 file), initdb, laptop tuning."""
    data = paths.postgres_data
    if (data / "PG_VERSION").is_file():
        return
    _write_password(paths.password_file)
    data.mkdir(parents=True, exist_ok=True)
    for path in (data, paths.password_file):
        give_to_owner(path)
    check_owner_access(data)
    initdb = [str(find_bindir() / "initdb"), "-D", str(data), "-U", SUPERUSER]
    options = ["-A", "scram-sha-256", f"--pwfile={paths.password_file}", "-E", "UTF8"]
    run_as_owner([*initdb, *options, "--locale=C"], f"initdb in {data}", log)
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(_SETTINGS)


def _write_password(password_file: Path) -> None:
    if password_file.is_file():
        return
    password_file.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(24) + "\n")
