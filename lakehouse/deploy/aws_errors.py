"""An AWS error during a deployment as one line that names what was being done."""

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError

from lakehouse.errors import ServiceError


@contextmanager
def reported_as_service_errors(action: str) -> Iterator[None]:
    """Turn a boto3 error inside the block into a :class:`ServiceError` about ``action``."""
    try:
        yield
    except (BotoCoreError, ClientError) as error:
        raise ServiceError(f"{action} failed: {error}") from error
