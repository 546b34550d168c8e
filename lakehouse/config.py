"""Settings: every endpoint, bucket, DSN and knob, derived once from ``LAKEHOUSE_PROFILE``.

This is the only module that reads the environment and the only one that branches on where the
pipeline runs. Call :func:`load_settings` when a command or task starts and pass the result down.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple, TypeVar
from urllib.parse import urlsplit

from lakehouse.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
Number = TypeVar("Number", int, float)
EMULATOR_URL = "http://127.0.0.1:4566"


class AwsCredentials(NamedTuple):
    """Keys a client signs its AWS requests with; a session token for a role's session."""

    access_key: str
    secret_key: str
    session_token: str | None = None


#: The emulator's root credentials (they may call anything); they open nothing outside this
#: machine.
EMULATOR_CREDENTIALS = AwsCredentials("test", "test")
#: Values of ``LAKEHOUSE_SPARK_JIT``; the first is the default.
SPARK_JIT_MODES = ("quick", "full")
#: Values of ``LAKEHOUSE_SPARK_ENGINE_JIT``; the first is the default.
ENGINE_JIT_MODES = ("full", "quick")
#: Values of ``LAKEHOUSE_SPARK_CODEGEN``; the first is the default.
SPARK_CODEGEN_MODES = ("on", "off")
#: Prefixes of the environment and Airflow Variables that name the deployed Redshift
#: (see :class:`RedshiftTarget`).
REDSHIFT_ENV, REDSHIFT_VARIABLE = "LAKEHOUSE_REDSHIFT", "lakehouse_redshift"
REDSHIFT_PARTS = ("workgroup", "cluster", "database", "secret_arn", "iam_role")
#: The Airflow Variables of :meth:`RedshiftTarget.airflow_variables`.
REDSHIFT_VARIABLES = tuple(f"{REDSHIFT_VARIABLE}_{part}" for part in REDSHIFT_PARTS)
#: The warehouse's database: the embedded PostgreSQL's, and the deployment's default.
WAREHOUSE_DATABASE = "salesdb"
_TRUE, _FALSE = frozenset({"1", "true", "yes", "on"}), frozenset({"0", "false", "no", "off", ""})


@dataclass(frozen=True)
class RedshiftTarget:
    """The Redshift that the Data API runs SQL on (the aws profile's warehouse).

    A Serverless workgroup or a provisioned cluster, a database, the secret holding the admin's
    credentials, and the IAM role its COPY statements assume to read S3. ``lakehouse deploy``
    prints it as ``LAKEHOUSE_REDSHIFT_*`` variables and as Airflow Variables.
    """

    name: str
    database: str
    secret_arn: str
    serverless: bool = True
    iam_role: str = ""

    def copy_role(self) -> str:
        """The IAM role that COPY names.

        Raises:
            ConfigError: None is set.
        """
        if not self.iam_role:
            raise ConfigError(
                f"no IAM role for Redshift's COPY: set {REDSHIFT_ENV}_IAM_ROLE (or the Airflow"
                f" Variable {REDSHIFT_VARIABLE}_iam_role) to what `lakehouse deploy` printed"
            )
        return self.iam_role

    def api_arguments(self) -> dict[str, str]:
        """The Data API's arguments naming this warehouse."""
        where = "WorkgroupName" if self.serverless else "ClusterIdentifier"
        return {where: self.name, "Database": self.database, "SecretArn": self.secret_arn}

    def env(self) -> dict[str, str]:
        """The environment variables that name it (read back by :func:`load_settings`)."""
        where = "WORKGROUP" if self.serverless else "CLUSTER"
        return {
            f"{REDSHIFT_ENV}_{where}": self.name,
            f"{REDSHIFT_ENV}_DATABASE": self.database,
            f"{REDSHIFT_ENV}_SECRET_ARN": self.secret_arn,
            **({f"{REDSHIFT_ENV}_IAM_ROLE": self.iam_role} if self.iam_role else {}),
        }

    def airflow_variables(self) -> dict[str, str]:
        """The Airflow Variables that name it for the aws DAG (the kind it is not left empty)."""
        return {
            f"{REDSHIFT_VARIABLE}_workgroup": self.name if self.serverless else "",
            f"{REDSHIFT_VARIABLE}_cluster": "" if self.serverless else self.name,
            f"{REDSHIFT_VARIABLE}_database": self.database,
            f"{REDSHIFT_VARIABLE}_secret_arn": self.secret_arn,
            f"{REDSHIFT_VARIABLE}_iam_role": self.iam_role,
        }

    @classmethod
    def from_airflow_variables(cls, values: Mapping[str, str]) -> "RedshiftTarget":
        """The target that :meth:`airflow_variables` named (``values``: Variable -> value).

        Raises:
            ConfigError: Neither a workgroup nor a cluster is named, or both, or no secret.
        """
        target = _redshift_target(values, REDSHIFT_VARIABLE)
        if target is None:
            raise ConfigError(
                f"no Redshift named: set the Airflow Variable {REDSHIFT_VARIABLE}_workgroup (or"
                " _cluster), _database and _secret_arn to what `lakehouse deploy` printed"
            )
        return target


class Profile(StrEnum):
    """Where the pipeline runs."""

    LOCAL = "local"
    DOCKER = "docker"
    AWS = "aws"


@dataclass(frozen=True)
class Settings:
    """Resolved configuration of one run.

    Attributes:
        profile: local (embedded services), docker (the Compose stack) or aws.
        region: AWS region.
        aws_endpoint_url: Emulator endpoint; ``None`` on the aws profile.
        raw_bucket: Bucket of the raw zone (source CSV files and quarantine).
        curated_bucket: Bucket of the curated zone (Delta star tables).
        glue_database: Glue database holding the raw tables.
        warehouse_secret_id: Secrets Manager id of the warehouse credentials.
        redshift: The deployed Redshift (aws profile), from ``LAKEHOUSE_REDSHIFT_WORKGROUP`` or
            ``_CLUSTER``, ``_DATABASE`` and ``_SECRET_ARN``; ``None`` when they are not set.
        warehouse_port: Port of the embedded PostgreSQL warehouse.
        s3proxy_port: Port of the embedded s3proxy, which keeps the lake's objects on disk behind
            the emulator (loopback only); default: the emulator's port + 1.
        spark_master: Spark master URL; defaults to the embedded cluster's when it is enabled.
        role_session: A role's session on the emulator (``AWS_ACCESS_KEY_ID``,
            ``AWS_SECRET_ACCESS_KEY`` and ``AWS_SESSION_TOKEN`` all set, as STS AssumeRole gives
            them): what clients sign with instead of the emulator's root credentials.
        enforce_iam: Whether `lakehouse up` starts the emulator with IAM evaluation on.
        spark_cluster: Whether `lakehouse up` also starts a standalone Spark master and worker.
        spark_master_port: Port of the embedded cluster's master (``spark://127.0.0.1:<port>``).
        spark_master_ui_port: Port of the embedded master's web UI.
        spark_worker_ui_port: Port of the embedded worker's web UI.
        quarantine_threshold: Largest share of quarantined rows per entity a run accepts.
        spark_jit: How the Spark driver JVM compiles: ``quick`` (C1 alone: starts fast, suits
            batches up to a few hundred thousand lines) or ``full`` (C1 then C2: slower to warm
            up, far faster on millions of lines).
        spark_codegen: Whether Spark compiles each query to Java code (``on``: fast on large
            batches) or interprets it (``off``: no compiling, faster on samples of a few
            hundred lines).
        spark_engine: Whether `lakehouse up` starts the warm Spark engine (a Spark Connect
            server) that runs share; a run without it starts a Spark session of its own.
        spark_engine_jit: How the engine's driver JVM compiles (``LAKEHOUSE_SPARK_ENGINE_JIT``):
            ``full`` by default, as it lives across runs; ``quick`` costs less CPU for a few
            small runs (the test suite's).
        spark_engine_port: Port of the engine's Spark Connect endpoint (loopback only).
        spark_engine_ui_port: Port of the engine's Spark web UI and its REST API (loopback
            only); default: the engine's port + 1.
        dashboard_cache_seconds: Seconds the dashboards keep a query's result before asking the
            warehouse again.
        sensor_poke_seconds: Seconds between two checks of the aws DAG's sensors (the day's raw
            files, the crawler's run), which give their worker slot back in between.
        state_dir: Runtime state of the embedded stack (data, PIDs, logs); git-ignored.
        gx_dir: Great Expectations' stores and the Data Docs site; default ``<state_dir>/gx``.
        jars_dir: Folder of the JVM jars fetched from the project's pom.
        s3proxy_jars_dir: Folder of s3proxy's jar (``docker/s3proxy/pom.xml``).
    """

    profile: Profile
    region: str
    aws_endpoint_url: str | None
    raw_bucket: str
    curated_bucket: str
    glue_database: str
    warehouse_secret_id: str
    redshift: RedshiftTarget | None
    warehouse_port: int
    s3proxy_port: int
    spark_master: str
    role_session: AwsCredentials | None
    enforce_iam: bool
    spark_cluster: bool
    spark_master_port: int
    spark_master_ui_port: int
    spark_worker_ui_port: int
    quarantine_threshold: float
    spark_jit: str
    spark_codegen: bool
    spark_engine: bool
    spark_engine_jit: str
    spark_engine_port: int
    spark_engine_ui_port: int
    dashboard_cache_seconds: int
    sensor_poke_seconds: int
    state_dir: Path
    gx_dir: Path
    jars_dir: Path
    s3proxy_jars_dir: Path

    @property
    def is_emulated(self) -> bool:
        """Whether AWS APIs are served by the emulator (local and docker profiles)."""
        return self.aws_endpoint_url is not None

    def aws_credentials(self) -> AwsCredentials | None:
        """Credentials for the emulator, or ``None`` to use the default AWS chain.

        On the emulator: the role session of the environment when there is one, else the
        emulator's root credentials.
        """
        if not self.is_emulated:
            return None
        return self.role_session or EMULATOR_CREDENTIALS

    def raw_url(self, *parts: str) -> str:
        """``s3://`` URL inside the raw bucket."""
        return "/".join((f"s3://{self.raw_bucket}", *parts))

    def curated_url(self, *parts: str) -> str:
        """``s3://`` URL inside the curated bucket."""
        return "/".join((f"s3://{self.curated_bucket}", *parts))


def load_settings(env: Mapping[str, str] | None = None, profile: str | None = None) -> Settings:
    """Build :class:`Settings` from ``env`` (default: the process environment).

    Args:
        env: Environment variables; default ``os.environ``.
        profile: Profile chosen on the command line; overrides ``LAKEHOUSE_PROFILE``.

    Raises:
        ConfigError: When a value is not valid, naming the variable.
    """
    env = os.environ if env is None else env
    profile = _profile(profile or env.get("LAKEHOUSE_PROFILE", Profile.LOCAL))
    home = Path(env.get("LAKEHOUSE_HOME", PROJECT_ROOT))
    default_endpoint = None if profile is Profile.AWS else EMULATOR_URL
    endpoint = env.get("AWS_ENDPOINT_URL", default_endpoint) or None
    spark_cluster = _flag(env, "LAKEHOUSE_SPARK_CLUSTER")
    engine_port = _number(env, "LAKEHOUSE_SPARK_ENGINE_PORT", "15002", int)
    master_port = _number(env, "LAKEHOUSE_SPARK_MASTER_PORT", "7077", int)
    default_master = f"spark://127.0.0.1:{master_port}" if spark_cluster else "local[*]"
    # Absolute: PostgreSQL's tools run as another user, from another folder.
    state_dir = Path(env.get("LAKEHOUSE_STATE_DIR", home / ".lakehouse")).absolute()
    return Settings(
        profile=profile,
        region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
        aws_endpoint_url=endpoint,
        raw_bucket=env.get("LAKEHOUSE_RAW_BUCKET", "lakehouse-raw"),
        curated_bucket=env.get("LAKEHOUSE_CURATED_BUCKET", "lakehouse-curated"),
        glue_database=env.get("LAKEHOUSE_GLUE_DATABASE", "sales"),
        warehouse_secret_id=env.get("LAKEHOUSE_WAREHOUSE_SECRET", "lakehouse/warehouse"),
        redshift=_redshift_target(env, REDSHIFT_ENV, upper=True),
        warehouse_port=_number(env, "LAKEHOUSE_WAREHOUSE_PORT", "5439", int),
        s3proxy_port=_number(env, "LAKEHOUSE_S3PROXY_PORT", str(_next_port(endpoint)), int),
        spark_master=env.get("LAKEHOUSE_SPARK_MASTER", default_master),
        role_session=_role_session(env),
        enforce_iam=_flag(env, "LAKEHOUSE_ENFORCE_IAM"),
        spark_cluster=spark_cluster,
        spark_master_port=master_port,
        spark_master_ui_port=_number(env, "LAKEHOUSE_SPARK_MASTER_UI_PORT", "8090", int),
        spark_worker_ui_port=_number(env, "LAKEHOUSE_SPARK_WORKER_UI_PORT", "8091", int),
        quarantine_threshold=_number(env, "LAKEHOUSE_QUARANTINE_THRESHOLD", "0.05", float),
        spark_jit=_choice(env, "LAKEHOUSE_SPARK_JIT", SPARK_JIT_MODES),
        spark_codegen=_choice(env, "LAKEHOUSE_SPARK_CODEGEN", SPARK_CODEGEN_MODES) == "on",
        spark_engine=_flag(env, "LAKEHOUSE_SPARK_ENGINE", "true"),
        spark_engine_jit=_choice(env, "LAKEHOUSE_SPARK_ENGINE_JIT", ENGINE_JIT_MODES),
        spark_engine_port=engine_port,
        spark_engine_ui_port=_number(
            env, "LAKEHOUSE_SPARK_ENGINE_UI_PORT", str(engine_port + 1), int
        ),
        dashboard_cache_seconds=_number(env, "LAKEHOUSE_DASHBOARD_CACHE_SECONDS", "60", int),
        sensor_poke_seconds=_number(env, "LAKEHOUSE_SENSOR_POKE_SECONDS", "60", int),
        state_dir=state_dir,
        gx_dir=Path(env.get("LAKEHOUSE_GX_DIR", state_dir / "gx")).absolute(),
        jars_dir=Path(env.get("LAKEHOUSE_JARS_DIR", home / ".jars")),
        s3proxy_jars_dir=Path(env.get("LAKEHOUSE_S3PROXY_JARS_DIR", home / ".jars-s3proxy")),
    )


def _role_session(env: Mapping[str, str]) -> AwsCredentials | None:
    """The role session that ``env`` holds, if it holds all three of its variables."""
    names = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
    values = [env.get(name) for name in names]
    return AwsCredentials(*values) if all(values) else None  # type: ignore[arg-type]


def _next_port(endpoint: str | None) -> int:
    """The port after the emulator's (s3proxy's default); 4567 when there is no valid one."""
    try:
        return (urlsplit(endpoint or EMULATOR_URL).port or 4566) + 1
    except ValueError:
        return 4567


def require_redshift(settings: Settings) -> RedshiftTarget:
    """The Redshift the settings name, for work that runs through the Data API.

    Raises:
        ConfigError: When none is named.
    """
    if settings.redshift is None:
        raise ConfigError(
            f"no Redshift named: set {REDSHIFT_ENV}_WORKGROUP (or _CLUSTER), _DATABASE and"
            " _SECRET_ARN to what `lakehouse deploy` printed"
        )
    return settings.redshift


def _redshift_target(
    values: Mapping[str, str], prefix: str, *, upper: bool = False
) -> RedshiftTarget | None:
    """The Redshift that ``values`` name, or ``None`` when they name none.

    Its names: ``<prefix>_workgroup`` or ``_cluster``, ``_database``, ``_secret_arn`` and
    ``_iam_role`` (upper-cased when ``upper``).

    Raises:
        ConfigError: Both a workgroup and a cluster are named, or no secret is.
    """

    def name(part: str) -> str:
        return f"{prefix}_{part.upper() if upper else part}"

    def value(part: str) -> str:
        return values.get(name(part), "").strip()

    workgroup, cluster, secret_arn = value("workgroup"), value("cluster"), value("secret_arn")
    if not workgroup and not cluster:
        return None
    if workgroup and cluster:
        raise ConfigError(
            f"set {name('workgroup')} (Redshift Serverless) or {name('cluster')}"
            " (a provisioned cluster), not both"
        )
    if not secret_arn:
        raise ConfigError(
            f"{name('secret_arn')} is not set: the Data API needs the admin secret's ARN"
            " (`lakehouse deploy` prints it)"
        )
    database = value("database") or WAREHOUSE_DATABASE
    return RedshiftTarget(
        workgroup or cluster,
        database,
        secret_arn,
        serverless=bool(workgroup),
        iam_role=value("iam_role"),
    )


def _profile(value: str) -> Profile:
    try:
        return Profile(value)
    except ValueError:
        choices = ", ".join(profile.value for profile in Profile)
        raise ConfigError(f"LAKEHOUSE_PROFILE={value!r} is not one of: {choices}") from None


def _flag(env: Mapping[str, str], name: str, default: str = "false") -> bool:
    raw = env.get(name, default).strip().lower()
    if raw in _TRUE | _FALSE:
        return raw in _TRUE
    raise ConfigError(f"{name}={raw!r} is not a boolean; use true or false")


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    """The value of ``name``, one of ``choices`` (the first is the default)."""
    raw = env.get(name, choices[0]).strip().lower()
    if raw in choices:
        return raw
    raise ConfigError(f"{name}={raw!r} is not one of: {', '.join(choices)}")


def _number(env: Mapping[str, str], name: str, default: str, kind: type[Number]) -> Number:
    raw = env.get(name, default)
    try:
        return kind(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a valid {kind.__name__}") from None
