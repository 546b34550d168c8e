"""Checks before anything is created: a known region and working credentials."""

import boto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from lakehouse.config import Settings
from lakehouse.errors import ConfigError, ServiceError
from lakehouse.resources.aws import make_client


def check_region(region: str) -> None:
    """Fail unless CloudFormation, Glue and Redshift exist in ``region``.

    Raises:
        ConfigError: Naming the region and how to choose another.
    """
    session = boto3.session.Session()
    for service in ("cloudformation", "glue", "redshift"):
        if region not in session.get_available_regions(service):
            raise ConfigError(
                f"AWS region {region!r} has no {service} (or does not exist): set AWS_REGION or"
                " pass --region, e.g. --region us-east-1"
            )


def caller_account(settings: Settings) -> str:
    """Account id of the credentials in use (STS GetCallerIdentity).

    Raises:
        ConfigError: When no credentials are found or AWS refuses them.
        ServiceError: When STS cannot be reached.
    """
    try:
        return make_client(settings, "sts").get_caller_identity()["Account"]
    except NoCredentialsError:
        raise ConfigError(
            "no AWS credentials found: set AWS_PROFILE (after `aws configure` or"
            " `aws sso login`) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        ) from None
    except ClientError as error:
        raise ConfigError(
            f"AWS refused the credentials in {settings.region}: {error}; check AWS_PROFILE,"
            " the keys, and that the region is enabled for the account"
        ) from None
    except BotoCoreError as error:
        where = settings.aws_endpoint_url or f"AWS in {settings.region}"
        raise ServiceError(f"cannot reach STS at {where}: {error}") from None
