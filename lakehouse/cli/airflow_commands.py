"""`lakehouse airflow ARGS...`: the Airflow CLI with the project's DAGs, home and connections.

Airflow's home is ``<state_dir>/airflow`` (SQLite metadata database), its DAGs folder is the
repository's ``airflow/dags``, and the connection ``aws_default`` (the emulator on local
profiles) is provisioned as an environment variable, so nothing is typed by hand. The tasks
reach the warehouse as the pipeline's steps do (local: the DSN in its secret; aws: the Redshift
Data API). Without arguments it runs ``airflow standalone``.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import typer
from rich.console import Console

from lakehouse.config import PROJECT_ROOT, Profile, Settings, load_settings
from lakehouse.errors import ServiceError

console = Console()
UI_URL = "http://localhost:8080"
ADMIN_USER = "admin"
#: Commands that create or migrate the metadata database themselves.
SELF_MIGRATING = ("standalone", "db")


def build_airflow_env(settings: Settings) -> dict[str, str]:
    """Airflow settings and connections of the project, as environment variables."""
    env = {
        "AIRFLOW_HOME": str(settings.state_dir / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "airflow" / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{ADMIN_USER}:admin",
    }
    credentials = settings.aws_credentials()
    if credentials:
        extra = {"endpoint_url": settings.aws_endpoint_url, "region_name": settings.region}
        if credentials.session_token:  # the tasks call as a role's session
            extra["aws_session_token"] = credentials.session_token
        connection = {
            "conn_type": "aws",
            "login": credentials.access_key,
            "password": credentials.secret_key,
            "extra": extra,
        }
        env["AIRFLOW_CONN_AWS_DEFAULT"] = json.dumps(connection)
    return env


def exec_airflow(args: list[str], env: dict[str, str]) -> None:
    """Replace this process with the Airflow CLI (migrating its database first when needed)."""
    bin_dir = Path(sys.executable).parent
    airflow = str(bin_dir / "airflow")
    # The child inherits this environment; standalone starts its components as `airflow ...`.
    full_env = {**os.environ, **env, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    database = Path(env["AIRFLOW_HOME"]) / "airflow.db"
    if args[0] not in SELF_MIGRATING and not database.exists():
        _migrate(airflow, full_env)
    sys.stdout.flush()  # exec drops what Python still buffers
    os.execve(airflow, [airflow, *args], full_env)  # noqa: S606 - our own venv's airflow


def _migrate(airflow: str, env: dict[str, str]) -> None:
    migrate = [airflow, "db", "migrate"]
    done = subprocess.run(migrate, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise ServiceError(
            f"`airflow db migrate` failed in {env['AIRFLOW_HOME']}: {done.stderr.strip()[-500:]};"
            " delete that folder to start Airflow's metadata database afresh"
        )


def airflow(ctx: typer.Context) -> None:
    """Run Airflow with the project's DAGs and connections (default: `airflow standalone`).

    Examples: `lakehouse airflow` (UI and scheduler), `lakehouse airflow dags test
    sales_star_pipeline 2024-06-30 --conf '{"source": "/path/to/csv"}'`.
    """
    from lakehouse.stack.manager import bring_up

    settings = load_settings()
    if settings.profile is Profile.LOCAL:
        bring_up(settings)
    env = build_airflow_env(settings)
    args = ctx.args or ["standalone"]
    if args[0] == "standalone":
        passwords = Path(env["AIRFLOW_HOME"]) / "simple_auth_manager_passwords.json.generated"
        console.print(
            f"Airflow UI: {UI_URL}  login: {ADMIN_USER}, password in {passwords}", soft_wrap=True
        )
    exec_airflow(args, env)


def register(app: typer.Typer) -> None:
    """Add the `airflow` command to ``app``."""
    app.command(
        rich_help_panel="Orchestration",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    )(airflow)
