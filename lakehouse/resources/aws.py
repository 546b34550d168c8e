"""boto3 clients for S3, Glue, Secrets Manager and CloudWatch: the emulator or real AWS."""

import threading
from typing import Any

import boto3
from botocore.config import Config

from lakehouse.config import Settings

_RETRIES = Config(
    retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=5, read_timeout=60
)
#: boto3's default session is not safe to create clients from in several threads at once (the
#: emulator's crawls, job runs and COPYs do); clients, once made, are.
_CLIENT_LOCK = threading.Lock()


def make_client(settings: Settings, service: str) -> Any:
    """Return a boto3 client for ``service`` on the active profile.

    On the local and docker profiles the client talks to the emulator with its static test
    credentials; on the aws profile it uses the default credential chain.
    """
    credentials = settings.aws_credentials()
    access_key, secret_key = credentials if credentials else (None, None)
    with _CLIENT_LOCK:
        return boto3.client(
            service,
            region_name=settings.region,
            endpoint_url=settings.aws_endpoint_url,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=_RETRIES,
        )
