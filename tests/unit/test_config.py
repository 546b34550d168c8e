import dataclasses
from pathlib import Path

import pytest

from lakehouse.config import EMULATOR_URL, AwsCredentials, Profile, RedshiftTarget, load_settings
from lakehouse.errors import ConfigError


def test_the_local_profile_is_the_default_and_points_at_the_emulator():
    settings = load_settings({})
    assert settings.profile is Profile.LOCAL
    assert settings.aws_endpoint_url == EMULATOR_URL
    assert settings.aws_credentials() == AwsCredentials("test", "test")
    assert settings.raw_url("sales") == "s3://lakehouse-raw/sales"


def test_a_role_session_in_the_environment_signs_the_emulators_requests():
    session = {"AWS_ACCESS_KEY_ID": "ASIA1", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "t"}

    assert load_settings(session).aws_credentials() == AwsCredentials("ASIA1", "s", "t")
    # keys without a session token are not a role's: the emulator's root credentials sign
    assert load_settings({**session, "AWS_SESSION_TOKEN": ""}).aws_credentials() == (
        "test",
        "test",
        None,
    )
    assert load_settings({**session, "LAKEHOUSE_PROFILE": "aws"}).aws_credentials() is None


def test_the_aws_profile_has_no_endpoint_and_uses_the_default_credential_chain():
    settings = load_settings({"LAKEHOUSE_PROFILE": "aws"})
    assert settings.aws_endpoint_url is None
    assert settings.aws_credentials() is None


def test_environment_variables_override_every_default():
    settings = load_settings(
        {
            "AWS_ENDPOINT_URL": "http://127.0.0.1:9999",
            "AWS_REGION": "eu-west-1",
            "LAKEHOUSE_RAW_BUCKET": "raw",
            "LAKEHOUSE_CURATED_BUCKET": "curated",
            "LAKEHOUSE_WAREHOUSE_PORT": "6543",
            "LAKEHOUSE_QUARANTINE_THRESHOLD": "0.2",
            "LAKEHOUSE_SPARK_JIT": "Full",
            "LAKEHOUSE_SPARK_CODEGEN": "Off",
            "LAKEHOUSE_SPARK_ENGINE": "no",
            "LAKEHOUSE_SPARK_ENGINE_PORT": "25002",
            "LAKEHOUSE_DASHBOARD_CACHE_SECONDS": "5",
            "LAKEHOUSE_SENSOR_POKE_SECONDS": "2",
            "LAKEHOUSE_STATE_DIR": "/tmp/state",
            "LAKEHOUSE_GX_DIR": "/tmp/gx",
        }
    )
    assert (settings.aws_endpoint_url, settings.region) == ("http://127.0.0.1:9999", "eu-west-1")
    assert settings.curated_url("sales_fact") == "s3://curated/sales_fact"
    assert (settings.warehouse_port, settings.quarantine_threshold) == (6543, 0.2)
    assert (settings.state_dir, settings.gx_dir) == (Path("/tmp/state"), Path("/tmp/gx"))
    assert (settings.spark_jit, settings.dashboard_cache_seconds) == ("full", 5)
    assert settings.sensor_poke_seconds == 2
    assert settings.spark_codegen is False
    assert (settings.spark_engine, settings.spark_engine_port) == (False, 25002)


def test_a_relative_state_folder_is_taken_from_the_current_folder():
    settings = load_settings({"LAKEHOUSE_STATE_DIR": "state", "LAKEHOUSE_GX_DIR": "gx"})

    assert (settings.state_dir, settings.gx_dir) == (Path.cwd() / "state", Path.cwd() / "gx")


def test_great_expectations_keeps_its_files_in_the_state_dir_by_default():
    assert load_settings({"LAKEHOUSE_STATE_DIR": "/tmp/state"}).gx_dir == Path("/tmp/state/gx")


def test_the_spark_jit_defaults_to_quick_and_code_generation_to_on():
    assert (load_settings({}).spark_jit, load_settings({}).spark_codegen) == ("quick", True)


def test_runs_use_the_warm_spark_engine_on_port_15002_by_default():
    settings = load_settings({})

    assert (settings.spark_engine, settings.spark_engine_port) == (True, 15002)
    assert settings.spark_engine_ui_port == 15003


@pytest.mark.parametrize(
    ("env", "message"),
    [
        # an unknown profile names the variable and the choices
        (
            {"LAKEHOUSE_PROFILE": "prod"},
            "LAKEHOUSE_PROFILE='prod' is not one of: local, docker, aws",
        ),
        # a number that does not parse names the variable
        (
            {"LAKEHOUSE_WAREHOUSE_PORT": "five"},
            "LAKEHOUSE_WAREHOUSE_PORT='five' is not a valid int",
        ),
        # a choice outside the list names the variable and the choices
        (
            {"LAKEHOUSE_SPARK_JIT": "c2"},
            "LAKEHOUSE_SPARK_JIT='c2' is not one of: quick, full",
        ),
        (
            {"LAKEHOUSE_SPARK_CODEGEN": "auto"},
            "LAKEHOUSE_SPARK_CODEGEN='auto' is not one of: on, off",
        ),
        (
            {"LAKEHOUSE_SPARK_ENGINE": "sometimes"},
            "LAKEHOUSE_SPARK_ENGINE='sometimes' is not a boolean; use true or false",
        ),
        # a Redshift is a workgroup or a cluster, never both, and needs its secret
        (
            {"LAKEHOUSE_REDSHIFT_WORKGROUP": "w", "LAKEHOUSE_REDSHIFT_CLUSTER": "c"},
            "set LAKEHOUSE_REDSHIFT_WORKGROUP (Redshift Serverless) or LAKEHOUSE_REDSHIFT_CLUSTER"
            " (a provisioned cluster), not both",
        ),
        (
            {"LAKEHOUSE_REDSHIFT_CLUSTER": "c"},
            "LAKEHOUSE_REDSHIFT_SECRET_ARN is not set: the Data API needs the admin secret's ARN"
            " (`lakehouse deploy` prints it)",
        ),
    ],
)
def test_an_invalid_setting_is_a_config_error_naming_the_variable(env, message):
    with pytest.raises(ConfigError) as caught:
        load_settings(env)
    assert str(caught.value) == message


@pytest.mark.parametrize(("serverless", "role"), [(True, "arn:role"), (False, "")])
def test_a_redshift_target_reads_back_from_the_variables_it_prints(serverless, role):
    target = RedshiftTarget(
        "acme-warehouse", "salesdb", "arn:secret", serverless=serverless, iam_role=role
    )

    assert load_settings({"LAKEHOUSE_PROFILE": "aws", **target.env()}).redshift == target
    assert load_settings({"LAKEHOUSE_PROFILE": "aws"}).redshift is None


def test_a_copy_without_an_iam_role_says_which_variable_to_set():
    target = RedshiftTarget("acme-warehouse", "salesdb", "arn:secret")

    assert dataclasses.replace(target, iam_role="arn:role").copy_role() == "arn:role"
    with pytest.raises(ConfigError, match="set LAKEHOUSE_REDSHIFT_IAM_ROLE"):
        target.copy_role()


def test_a_redshift_target_names_the_workgroup_or_the_cluster_for_airflow_leaving_the_other_empty():
    cluster = RedshiftTarget(
        "acme-warehouse", "salesdb", "arn:secret", serverless=False, iam_role="arn:role"
    )
    serverless = dataclasses.replace(cluster, serverless=True)

    assert cluster.airflow_variables() == {
        "lakehouse_redshift_workgroup": "",
        "lakehouse_redshift_cluster": "acme-warehouse",
        "lakehouse_redshift_database": "salesdb",
        "lakehouse_redshift_secret_arn": "arn:secret",
        "lakehouse_redshift_iam_role": "arn:role",
    }
    assert cluster.api_arguments() == {
        "ClusterIdentifier": "acme-warehouse",
        "Database": "salesdb",
        "SecretArn": "arn:secret",
    }
    for target in (cluster, serverless):
        assert RedshiftTarget.from_airflow_variables(target.airflow_variables()) == target


def test_a_dag_without_the_redshift_variables_says_which_to_set():
    with pytest.raises(ConfigError, match="Airflow Variable lakehouse_redshift_workgroup"):
        RedshiftTarget.from_airflow_variables({"lakehouse_redshift_database": "salesdb"})
