"""The warehouse connection (PostgreSQL or Redshift) with credentials from Secrets Manager."""

import json
from dataclasses import dataclass
from urllib.parse import quote

import psycopg
from botocore.exceptions import BotoCoreError, ClientError

from lakehouse.config import WAREHOUSE_DATABASE, Settings
from lakehouse.errors import ServiceError
from lakehouse.resources.aws import make_client


@dataclass(frozen=True)
class WarehouseCredentials:
    """Connection parameters as stored in the warehouse secret (the RDS/Redshift secret shape)."""

    host: str
    port: int
    dbname: str
    username: str
    password: str

    @property
    def dsn(self) -> str:
        """A ``postgresql://`` URL that psql and psycopg accept."""
        user, password = quote(self.username, safe=""), quote(self.password, safe="")
        return f"postgresql://{user}:{password}@{self.host}:{self.port}/{self.dbname}"

    @property
    def redacted_dsn(self) -> str:
        """:attr:`dsn` with ``...`` for the password: what a summary may print."""
        user = quote(self.username, safe="")
        return f"postgresql://{user}:...@{self.host}:{self.port}/{self.dbname}"

    def to_secret(self) -> str:
        """JSON text of the secret."""
        return json.dumps(
            {
                "engine": "postgres",
                "host": self.host,
                "port": self.port,
                "dbname": self.dbname,
                "username": self.username,
                "password": self.password,
            }
        )


def read_credentials(settings: Settings) -> WarehouseCredentials:
    """Read the warehouse credentials from Secrets Manager.

    Raises:
        ServiceError: When the secret cannot be read, naming it and what to do.
    """
    client = make_client(settings, "secretsmanager")
    try:
        secret = client.get_secret_value(SecretId=settings.warehouse_secret_id)
    except (ClientError, BotoCoreError) as error:
        raise ServiceError(
            f"cannot read the warehouse secret {settings.warehouse_secret_id!r} from Secrets"
            f" Manager ({error}); on the local profile run `lakehouse up` first"
        ) from error
    fields = json.loads(secret["SecretString"])
    return WarehouseCredentials(
        host=fields["host"],
        port=int(fields["port"]),
        dbname=fields.get("dbname", WAREHOUSE_DATABASE),
        username=fields["username"],
        password=fields["password"],
    )


def connect(settings: Settings, *, autocommit: bool = False) -> psycopg.Connection:
    """Open a connection to the warehouse with the credentials from Secrets Manager.

    Raises:
        ServiceError: When the warehouse does not answer or refuses the credentials.
    """
    credentials = read_credentials(settings)
    try:
        return psycopg.connect(credentials.dsn, autocommit=autocommit, connect_timeout=10)
    except psycopg.OperationalError as error:
        raise ServiceError(
            f"cannot connect to the warehouse at {credentials.host}:{credentials.port}"
            f"/{credentials.dbname} ({error}); check `lakehouse status`"
        ) from error
