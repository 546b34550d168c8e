"""A Redshift of a test's own on the emulator's Data API: a cluster, its database and secret."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

from lakehouse.config import RedshiftTarget, Settings
from lakehouse.emulator.data_api import postgres_database
from lakehouse.resources.aws import make_client
from lakehouse.resources.warehouse import read_credentials
from tests.helpers.service_roles import COPY_ROLE


@contextmanager
def redshift_cluster(stack: Settings) -> Iterator[dict[str, str]]:
    """A cluster and database of the caller's own, with an admin secret; its database dropped.

    Yields the Data API's target arguments (``ClusterIdentifier``, ``Database``, ``SecretArn``).
    """
    cluster = f"acme-{uuid.uuid4().hex[:8]}"
    secrets = make_client(stack, "secretsmanager")
    arn = secrets.create_secret(
        Name=f"{cluster}/redshift-admin", SecretString='{"username": "admin", "password": "x"}'
    )["ARN"]
    try:
        yield {"ClusterIdentifier": cluster, "Database": "dev", "SecretArn": arn}
    finally:
        secrets.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True)
        with psycopg.connect(read_credentials(stack).dsn, autocommit=True) as connection:
            name = sql.Identifier(postgres_database(cluster, "dev"))
            connection.execute(sql.SQL("drop database if exists {} with (force)").format(name))


def deployed_target(target: dict[str, str]) -> RedshiftTarget:
    """The cluster of ``target`` as the deployment names it, with a role for COPY."""
    return RedshiftTarget(
        target["ClusterIdentifier"],
        target["Database"],
        target["SecretArn"],
        serverless=False,
        iam_role=COPY_ROLE,
    )
