"""Provisioning of the embedded stack: warehouse database, buckets, Glue database and secret.

Every step is idempotent, and `lakehouse up` runs all of them each time: the emulator keeps what
they made across restarts, and the secret follows the warehouse's password if that changed.
"""

from typing import Any

from lakehouse.config import Settings
from lakehouse.resources.aws import make_client
from lakehouse.resources.warehouse import WarehouseCredentials
from lakehouse.stack.postgres_service import build_credentials, ensure_database

_US_EAST_1 = "us-east-1"


def provision(settings: Settings) -> None:
    """Create ``salesdb``, both buckets, the Glue database and the warehouse secret."""
    ensure_database(settings)
    s3 = make_client(settings, "s3")
    for bucket in (settings.raw_bucket, settings.curated_bucket):
        create_bucket(s3, bucket, settings.region)
    create_glue_database(make_client(settings, "glue"), settings.glue_database)
    store_secret(
        make_client(settings, "secretsmanager"),
        settings.warehouse_secret_id,
        build_credentials(settings),
    )


def create_bucket(s3: Any, bucket: str, region: str) -> None:
    """Create ``bucket`` in ``region`` unless it exists."""
    if bucket in {entry["Name"] for entry in s3.list_buckets().get("Buckets", [])}:
        return
    options = (
        {}
        if region == _US_EAST_1
        else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    )
    s3.create_bucket(Bucket=bucket, **options)


def create_glue_database(glue: Any, name: str) -> None:
    """Create the Glue database ``name`` unless it exists."""
    try:
        glue.create_database(DatabaseInput={"Name": name})
    except glue.exceptions.AlreadyExistsException:
        return


def store_secret(secrets: Any, secret_id: str, credentials: WarehouseCredentials) -> None:
    """Write ``credentials`` to the secret ``secret_id``: create it, or add a version if changed."""
    value = credentials.to_secret()
    try:
        secrets.create_secret(Name=secret_id, SecretString=value)
    except secrets.exceptions.ResourceExistsException:
        if secrets.get_secret_value(SecretId=secret_id)["SecretString"] != value:
            secrets.put_secret_value(SecretId=secret_id, SecretString=value)
