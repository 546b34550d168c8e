"""The ``export NAME=value`` lines of `lakehouse env`: the active profile's settings for a shell."""

import shlex
from collections.abc import Iterable, Mapping

from lakehouse.config import EMULATOR_CREDENTIALS, Profile, Settings, require_redshift
from lakehouse.resources.warehouse import read_credentials


def env_lines(settings: Settings) -> list[str]:
    """Return ``export`` lines for the active profile, the warehouse's included.

    Raises:
        ServiceError: When the warehouse secret cannot be read.
        ConfigError: On the aws profile, when no deployed Redshift is named.
    """
    return format_exports(build_env(settings, warehouse_env(settings)))


def warehouse_env(settings: Settings) -> dict[str, str]:
    """How the profile reaches its warehouse: locally a DSN, on aws the Data API's target.

    The DSN comes from the warehouse's secret. On aws Redshift sits in private subnets and
    takes no direct connection: the variables name the workgroup or cluster for the Data API.

    Raises:
        ServiceError: When the warehouse secret cannot be read.
        ConfigError: On the aws profile, when no deployed Redshift is named.
    """
    if settings.profile is not Profile.AWS:
        return {"LAKEHOUSE_WAREHOUSE_DSN": read_credentials(settings).dsn}
    return require_redshift(settings).env()


def build_env(settings: Settings, warehouse: Mapping[str, str]) -> list[tuple[str, str]]:
    """Return the variables a shell needs to reach the active profile, in a stable order.

    The emulator's endpoint and test credentials appear only when AWS APIs are emulated;
    ``warehouse`` (:func:`warehouse_env`) comes last.
    """
    pairs = [("LAKEHOUSE_PROFILE", str(settings.profile))]
    if settings.aws_endpoint_url is not None:
        pairs.append(("AWS_ENDPOINT_URL", settings.aws_endpoint_url))
    # boto3 reads its region from AWS_DEFAULT_REGION, the AWS CLI and the SDKs from either
    pairs += [("AWS_REGION", settings.region), ("AWS_DEFAULT_REGION", settings.region)]
    if settings.is_emulated:  # the root test credentials, never a session of the environment
        access_key, secret_key, _ = EMULATOR_CREDENTIALS
        pairs += [("AWS_ACCESS_KEY_ID", access_key), ("AWS_SECRET_ACCESS_KEY", secret_key)]
    return [
        *pairs,
        ("LAKEHOUSE_RAW_BUCKET", settings.raw_bucket),
        ("LAKEHOUSE_CURATED_BUCKET", settings.curated_bucket),
        *warehouse.items(),
    ]


def format_exports(pairs: Iterable[tuple[str, str]]) -> list[str]:
    """Return one ``export NAME=value`` line per pair, the value quoted for POSIX shells."""
    return [f"export {name}={shlex.quote(value)}" for name, value in pairs]
