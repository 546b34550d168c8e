import pytest

from lakehouse.config import load_settings
from lakehouse.errors import ConfigError
from lakehouse.stack.env import build_env, format_exports, warehouse_env

DSN = "postgresql://lakehouse:pw@127.0.0.1:5439/salesdb"
REDSHIFT = {
    "LAKEHOUSE_REDSHIFT_WORKGROUP": "acme-warehouse",
    "LAKEHOUSE_REDSHIFT_DATABASE": "salesdb",
    "LAKEHOUSE_REDSHIFT_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:1:secret:acme",
}


def test_build_env_on_the_local_profile_includes_the_emulator_and_its_test_credentials():
    settings = load_settings({"LAKEHOUSE_PROFILE": "local"})

    assert build_env(settings, {"LAKEHOUSE_WAREHOUSE_DSN": DSN}) == [
        ("LAKEHOUSE_PROFILE", "local"),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("LAKEHOUSE_RAW_BUCKET", "lakehouse-raw"),
        ("LAKEHOUSE_CURATED_BUCKET", "lakehouse-curated"),
        ("LAKEHOUSE_WAREHOUSE_DSN", DSN),
    ]


def test_build_env_on_the_aws_profile_names_the_redshift_of_the_data_api_and_no_endpoint():
    settings = load_settings({"LAKEHOUSE_PROFILE": "aws", "AWS_REGION": "eu-west-1", **REDSHIFT})

    assert build_env(settings, warehouse_env(settings)) == [
        ("LAKEHOUSE_PROFILE", "aws"),
        ("AWS_REGION", "eu-west-1"),
        ("AWS_DEFAULT_REGION", "eu-west-1"),
        ("LAKEHOUSE_RAW_BUCKET", "lakehouse-raw"),
        ("LAKEHOUSE_CURATED_BUCKET", "lakehouse-curated"),
        *REDSHIFT.items(),  # no DSN: Redshift takes no direct connection
    ]


def test_the_aws_profile_without_a_deployed_redshift_says_what_to_set():
    settings = load_settings({"LAKEHOUSE_PROFILE": "aws"})

    with pytest.raises(ConfigError, match="LAKEHOUSE_REDSHIFT_WORKGROUP"):
        warehouse_env(settings)


def test_format_exports_quotes_values_that_a_shell_would_split_or_expand():
    pairs = [
        ("PLAIN", "lakehouse-raw"),
        ("SPACES", "a b"),
        ("QUOTE", "it's"),
        ("DOLLAR", "pa$$word&x"),
    ]

    assert format_exports(pairs) == [
        "export PLAIN=lakehouse-raw",
        "export SPACES='a b'",
        """export QUOTE='it'"'"'s'""",
        "export DOLLAR='pa$$word&x'",
    ]
