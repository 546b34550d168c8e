"""`lakehouse airflow` provisions Airflow's home, DAGs folder and connections from the settings."""

import json

from lakehouse.cli.airflow_commands import build_airflow_env
from lakehouse.config import PROJECT_ROOT, load_settings


def test_the_local_profile_gets_a_home_under_the_state_dir_and_an_emulator_aws_connection(tmp_path):
    settings = load_settings({"LAKEHOUSE_STATE_DIR": str(tmp_path), "AWS_REGION": "eu-west-1"})

    env = build_airflow_env(settings)

    assert env["AIRFLOW_HOME"] == str(tmp_path / "airflow")
    assert env["AIRFLOW__CORE__DAGS_FOLDER"] == str(PROJECT_ROOT / "airflow" / "dags")
    assert json.loads(env["AIRFLOW_CONN_AWS_DEFAULT"]) == {
        "conn_type": "aws",
        "login": "test",
        "password": "test",
        "extra": {"endpoint_url": "http://127.0.0.1:4566", "region_name": "eu-west-1"},
    }


def test_the_aws_profile_keeps_the_default_aws_credential_chain(tmp_path):
    settings = load_settings({"LAKEHOUSE_PROFILE": "aws", "LAKEHOUSE_STATE_DIR": str(tmp_path)})

    env = build_airflow_env(settings)

    assert "AIRFLOW_CONN_AWS_DEFAULT" not in env
