"""The environment of the bench's own stack: ports and a state folder apart from the user's."""

from collections.abc import Mapping

from lakehouse.config import load_settings

#: Defaults of the bench stack's ports; `LAKEHOUSE_BENCH_*_PORT` override them.
EMULATOR_PORT, WAREHOUSE_PORT, ENGINE_PORT = "4577", "5449", "15012"
#: Histories from this many lines run the Spark driver with the full JIT (C2), unless
#: ``LAKEHOUSE_SPARK_JIT`` says otherwise: it pays for its warm-up from about a million lines.
FULL_JIT_LINES = 1_000_000


def bench_env(env: Mapping[str, str], lines: int) -> dict[str, str]:
    """``env`` pointed at the bench stack: local profile, its own ports and ``<state>/bench``.

    Args:
        env: The caller's environment.
        lines: Sales lines of the history; they choose the Spark JIT.
    """
    state_dir = load_settings(env).state_dir / "bench"
    emulator = env.get("LAKEHOUSE_BENCH_EMULATOR_PORT", EMULATOR_PORT)
    return {
        **env,
        "LAKEHOUSE_PROFILE": "local",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{emulator}",
        "LAKEHOUSE_WAREHOUSE_PORT": env.get("LAKEHOUSE_BENCH_WAREHOUSE_PORT", WAREHOUSE_PORT),
        "LAKEHOUSE_STATE_DIR": str(state_dir),
        "LAKEHOUSE_SPARK_JIT": env.get("LAKEHOUSE_SPARK_JIT")
        or ("full" if lines >= FULL_JIT_LINES else "quick"),
        "LAKEHOUSE_SPARK_ENGINE_PORT": env.get("LAKEHOUSE_BENCH_ENGINE_PORT", ENGINE_PORT),
        "LAKEHOUSE_SPARK_ENGINE_UI_PORT": env.get(
            "LAKEHOUSE_BENCH_ENGINE_UI_PORT", str(int(ENGINE_PORT) + 1)
        ),
    }
