"""The bench's stack environment: its own ports and state, and the JIT chosen by scale."""

from lakehouse.bench.stack_env import bench_env


def test_the_bench_points_at_its_own_ports_and_state_folder() -> None:
    env = bench_env({"LAKEHOUSE_STATE_DIR": "/state"}, 100_000)

    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4577"
    assert (env["LAKEHOUSE_WAREHOUSE_PORT"], env["LAKEHOUSE_STATE_DIR"]) == ("5449", "/state/bench")
    assert (env["LAKEHOUSE_SPARK_ENGINE_PORT"], env["LAKEHOUSE_SPARK_ENGINE_UI_PORT"]) == (
        "15012",
        "15013",
    )


def test_the_jit_is_quick_below_a_million_lines_and_full_from_there() -> None:
    assert bench_env({}, 100_000)["LAKEHOUSE_SPARK_JIT"] == "quick"
    assert bench_env({}, 1_000_000)["LAKEHOUSE_SPARK_JIT"] == "full"


def test_the_callers_jit_wins() -> None:
    assert bench_env({"LAKEHOUSE_SPARK_JIT": "quick"}, 10_000_000)["LAKEHOUSE_SPARK_JIT"] == "quick"
