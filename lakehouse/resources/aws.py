"""boto3 clients for S3, Glue, Secrets Manager and CloudWatch: the emulator or real AWS."""

import threading
from typing import Any

import boto3
from botocore.config import Config

from lakehouse.config import AwsCredentials, Settings

_RETRIES = Config(
    retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=5, read_timeout=60
)
#: boto3's default session is not safe to create clients from in several threads at once (the
#: emulator's crawls, job runs and COPYs do); clients, once made, are.
_CLIENT_LOCK = threading.Lock()


def make_client(settings: Settings, service: str) -> Any:
    """Return a boto3 client for ``service`` on the active profile.

    On the emulator the client signs with :meth:`Settings.aws_credentials` (the root test
    credentials, or a role's session); on AWS it uses the default credential chain.
    """
    credentials = settings.aws_credentials() or AwsCredentials(None, None)  # type: ignore[arg-type]
    with _CLIENT_LOCK:
        return boto3.client(
            service,
            region_name=settings.region,
            endpoint_url=settings.aws_endpoint_url,
            aws_access_key_id=credentials.access_key,
            aws_secret_access_key=credentials.secret_key,
            aws_session_token=credentials.session_token,
            config=_RETRIES,
        )
