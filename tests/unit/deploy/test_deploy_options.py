"""Deployment options: safe defaults, names derived from the prefix, a clear error on a bad one."""

import pytest

from lakehouse.deploy.plan import DeployOptions, Encryption, WarehouseKind
from lakehouse.errors import ConfigError


def test_defaults_are_the_smallest_serverless_warehouse_with_a_customer_key():
    options = DeployOptions()
    assert (options.warehouse_kind, options.base_capacity) == (WarehouseKind.SERVERLESS, 8)
    assert options.encryption is Encryption.KMS
    assert options.glue_workers == 2


def test_every_name_derives_from_the_prefix():
    options = DeployOptions(prefix="acme")
    assert options.stack_name("storage") == "acme-storage"
    assert (options.crawler_name, options.job_name) == ("acme-raw", "acme-glue-etl")
    assert options.secret_name == "acme/redshift-admin"
    assert options.glue_log_group == "/lakehouse/acme/glue-etl"


@pytest.mark.parametrize(
    "prefix",
    [
        "Acme",  # upper case is not allowed in bucket names
        "a",  # too short
        "1acme",  # must start with a letter
        "acme_lake",  # underscores are not allowed in bucket names
        "a" * 22,  # bucket names would pass 63 characters
    ],
)
def test_a_prefix_aws_would_refuse_is_a_config_error(prefix):
    with pytest.raises(ConfigError, match="stack prefix"):
        DeployOptions(prefix=prefix)
