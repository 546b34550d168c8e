"""Checks before anything is created: a known region, working credentials, free bucket names."""

import boto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from lakehouse.config import Settings
from lakehouse.deploy.plan import DeployOptions
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


def check_bucket_names(settings: Settings, options: DeployOptions, account: str) -> None:
    """Fail when a bucket the storage stack would create already exists outside it.

    The buckets outlive a deleted storage stack (``DeletionPolicy: Retain``); `lakehouse destroy`
    keeps the stack with them unless asked to delete the data, so such buckets were left by a
    stack deleted another way (the console, an older version), and CloudFormation would fail on
    the first one after creating the key.

    Raises:
        ServiceError: Naming each bucket and the two ways on.
    """
    s3 = make_client(settings, "s3")
    taken = []
    for bucket in options.bucket_names(account, settings.region):
        try:
            s3.head_bucket(Bucket=bucket)
        except ClientError:
            continue
        taken.append(bucket)
    if taken:
        raise ServiceError(
            f"the storage stack's buckets already exist outside stack "
            f"{options.stack_name('storage')}: {', '.join(taken)} (kept when an earlier storage"
            " stack was deleted); empty and delete them to start afresh, or deploy with another"
            " --stack-prefix"
        )
