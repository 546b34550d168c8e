"""Secrets that moto holds, read in the emulator's own process (under its lock)."""

import json
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.secretsmanager.exceptions import SecretNotFoundException
from moto.secretsmanager.models import secretsmanager_backends


def secret_fields(secret_id: str, region: str) -> dict[str, Any]:
    """The JSON fields of a secret of the emulator's account.

    Raises:
        SecretNotFoundException: No such secret.
    """
    backend = secretsmanager_backends[DEFAULT_ACCOUNT_ID][region]
    return json.loads(backend.get_secret_value(secret_id, None, None)["SecretString"])


def secret_exists(arn: str) -> bool:
    """Whether the secret ``arn:aws:secretsmanager:<region>:<account>:secret:...`` exists."""
    parts = arn.split(":")
    if len(parts) < 7 or parts[2] != "secretsmanager":
        return False
    try:
        secretsmanager_backends[parts[4]][parts[3]].describe_secret(arn)
    except (SecretNotFoundException, KeyError):  # KeyError: a region moto does not know
        return False
    return True
