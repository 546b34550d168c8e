"""Before a deploy: an unknown region or missing credentials give one clear message."""

import pytest

from lakehouse.config import load_settings
from lakehouse.deploy.preflight import caller_account, check_region
from lakehouse.errors import ConfigError


def test_an_unknown_region_is_named_with_how_to_choose_another():
    with pytest.raises(ConfigError, match=r"'us-nowhere-1' .*--region"):
        check_region("us-nowhere-1")


def test_a_known_region_passes():
    check_region("eu-west-1")


def test_missing_credentials_say_how_to_provide_them(monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", raising=False)
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", raising=False)
    settings = load_settings({"LAKEHOUSE_PROFILE": "aws"})
    with pytest.raises(ConfigError, match="no AWS credentials found: set AWS_PROFILE"):
        caller_account(settings)
