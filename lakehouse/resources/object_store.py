"""Access to the curated zone's Delta tables from Python (delta-rs), without Spark."""

from deltalake import DeltaTable
from deltalake.exceptions import TableNotFoundError

from lakehouse.config import Settings
from lakehouse.errors import ServiceError


def delta_storage_options(settings: Settings) -> dict[str, str]:
    """delta-rs storage options for the active profile (emulator endpoint and its credentials)."""
    options = {"AWS_REGION": settings.region}
    credentials = settings.aws_credentials()
    if settings.aws_endpoint_url and credentials:
        options |= {
            "AWS_ENDPOINT_URL": settings.aws_endpoint_url,
            "AWS_ALLOW_HTTP": "true",
            "AWS_ACCESS_KEY_ID": credentials.access_key,
            "AWS_SECRET_ACCESS_KEY": credentials.secret_key,
            "AWS_S3_ADDRESSING_STYLE": "path",
        }
        if credentials.session_token:
            options["AWS_SESSION_TOKEN"] = credentials.session_token
    return options


def open_delta(settings: Settings, table: str, version: int | None = None) -> DeltaTable:
    """The current snapshot of curated table ``table``, or its snapshot at ``version``.

    Raises:
        ServiceError: When the table does not exist (the transform has not run).
    """
    delta = find_delta(settings, table, version)
    if delta is None:
        raise ServiceError(
            f"no Delta table at {settings.curated_url(table)}: run the transform first"
            " (`lakehouse run`)"
        )
    return delta


def find_delta(settings: Settings, table: str, version: int | None = None) -> DeltaTable | None:
    """Curated table ``table`` (at ``version``), or ``None`` when there is no Delta table there.

    Raises:
        ServiceError: When the object store cannot be read.
    """
    url = settings.curated_url(table)
    try:
        return DeltaTable(url, version, storage_options=delta_storage_options(settings))
    except TableNotFoundError:
        return None
    except OSError as error:
        raise ServiceError(
            f"cannot read the Delta table at {url} ({error}); check that the bucket exists and"
            " the object store answers (`lakehouse status`)"
        ) from error
