import dataclasses
import itertools

import pytest

import spark_app.session
from lakehouse.config import load_settings
from lakehouse.errors import ServiceError
from lakehouse.stack import spark_engine
from lakehouse.stack.spark_engine import ENGINE_CLASS, SparkEngineService, engine_session


@pytest.fixture
def settings(tmp_path):
    jars = tmp_path / "jars"
    jars.mkdir()
    (jars / "delta-spark.jar").touch()
    env = {"LAKEHOUSE_STATE_DIR": str(tmp_path / "state"), "LAKEHOUSE_JARS_DIR": str(jars)}
    return load_settings({**env, "LAKEHOUSE_SPARK_ENGINE_PORT": "25002"})


def options(command: list[str], name: str) -> list[str]:
    """Values of every ``name`` option in ``command``."""
    return [value for option, value in itertools.pairwise(command) if option == name]


def test_the_engine_is_spark_connects_server_on_loopback_with_a_runs_session_settings(settings):
    command = SparkEngineService().command(settings)
    conf = dict(item.split("=", 1) for item in options(command, "--conf"))

    assert command[-1] == "spark-internal"
    assert options(command, "--class") == [ENGINE_CLASS]
    assert options(command, "--master") == ["local[*]"]
    assert conf["spark.connect.grpc.binding.address"] == "127.0.0.1"
    assert conf["spark.connect.grpc.binding.port"] == "25002"
    assert (conf["spark.ui.enabled"], conf["spark.ui.port"]) == ("true", "25003")
    session_conf = spark_app.session.session_conf(settings)
    assert conf.items() >= {**session_conf, "spark.ui.enabled": "true"}.items()
    assert SparkEngineService().endpoint(settings) == ("127.0.0.1", 25002)


def test_the_engine_compiles_with_c2_whatever_the_runs_jit_unless_told_otherwise(settings):
    java_options = options(SparkEngineService().command(settings), "--driver-java-options")
    quick = dataclasses.replace(settings, spark_engine_jit="quick")
    quick_options = options(SparkEngineService().command(quick), "--driver-java-options")

    assert (settings.spark_jit, settings.spark_engine_jit) == ("quick", "full")
    assert java_options == [spark_app.session.DRIVER_JAVA_OPTIONS["full"] + " -Xlog:cds*=off"]
    assert quick_options == [spark_app.session.DRIVER_JAVA_OPTIONS["quick"] + " -Xlog:cds*=off"]


@pytest.mark.parametrize(
    "env",
    [
        {"LAKEHOUSE_SPARK_ENGINE": "false"},
        {"LAKEHOUSE_PROFILE": "docker"},
        {"LAKEHOUSE_PROFILE": "aws"},
    ],
)
def test_a_run_starts_its_own_spark_when_the_engine_is_off_or_not_local(env, monkeypatch):
    monkeypatch.setattr(SparkEngineService, "find_pid", lambda self, settings: 1)
    monkeypatch.setattr(spark_app.session, "running_session", lambda: None)

    assert engine_session(load_settings(env)) is None


def test_a_run_starts_its_own_spark_when_this_stacks_engine_is_not_running(settings, monkeypatch):
    monkeypatch.setattr(spark_app.session, "running_session", lambda: None)

    assert SparkEngineService().find_pid(settings) is None
    assert engine_session(settings) is None


def test_a_spark_session_running_in_the_process_wins_over_the_engine(settings, monkeypatch):
    monkeypatch.setattr(SparkEngineService, "find_pid", lambda self, settings: 1)
    monkeypatch.setattr(spark_app.session, "running_session", object)

    assert engine_session(settings) is None


def test_the_engine_url_is_spark_connects_on_loopback(settings):
    assert spark_engine.engine_url(settings) == "sc://127.0.0.1:25002"


def test_the_engines_job_count_is_its_newest_job_id_plus_one_from_its_web_ui(settings, monkeypatch):
    answers = {
        "http://127.0.0.1:25003/api/v1/applications": [{"id": "local-1", "name": "spark-engine"}],
        "http://127.0.0.1:25003/api/v1/applications/local-1/jobs": [{"jobId": 41}, {"jobId": 7}],
    }
    monkeypatch.setattr(spark_engine, "_read_json", answers.__getitem__)

    assert spark_engine.engine_jobs_started(settings) == 42


def test_an_engine_whose_web_ui_does_not_answer_is_a_service_error(settings):
    with pytest.raises(ServiceError, match=r"web UI at http://127\.0\.0\.1:25003/api/v1/"):
        spark_engine.engine_jobs_started(settings)
