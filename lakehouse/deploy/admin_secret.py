"""The Redshift admin user's secret: a generated password that only Secrets Manager holds."""

import json
from typing import Any

ADMIN_USER = "lakehouse_admin"
#: Characters Redshift does not accept in a password.
_EXCLUDED = "\"'\\/@ "


def ensure_admin_secret(secrets: Any, name: str, kms_key_arn: str = "") -> str:
    """ARN of the admin secret, created with a generated password when it does not exist.

    Idempotent: an existing secret (also one scheduled for deletion, which is restored) is kept
    as it is, so the warehouse's password never changes behind its back.
    """
    try:
        described = secrets.describe_secret(SecretId=name)
    except secrets.exceptions.ResourceNotFoundException:
        return _create(secrets, name, kms_key_arn)
    if described.get("DeletedDate"):
        secrets.restore_secret(SecretId=name)
    return described["ARN"]


def _create(secrets: Any, name: str, kms_key_arn: str) -> str:
    password = secrets.get_random_password(
        PasswordLength=32, ExcludeCharacters=_EXCLUDED, RequireEachIncludedType=True
    )["RandomPassword"]
    value = json.dumps({"username": ADMIN_USER, "password": password})
    encryption = {"KmsKeyId": kms_key_arn} if kms_key_arn else {}
    created = secrets.create_secret(
        Name=name,
        Description="Redshift admin user of the lakehouse warehouse (made by lakehouse deploy)",
        SecretString=value,
        **encryption,
    )
    return created["ARN"]


def schedule_secret_deletion(secrets: Any, name: str, recovery_days: int = 7) -> bool:
    """Schedule the secret's deletion (restorable for ``recovery_days``).

    False when it is absent, or already scheduled (a second destroy).
    """
    try:
        secrets.delete_secret(SecretId=name, RecoveryWindowInDays=recovery_days)
    except (
        secrets.exceptions.ResourceNotFoundException,
        secrets.exceptions.InvalidRequestException,  # "currently marked deleted"
    ):
        return False
    return True
