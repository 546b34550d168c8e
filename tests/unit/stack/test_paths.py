from pathlib import Path

from lakehouse.config import load_settings
from lakehouse.stack.paths import StackPaths


def test_stack_paths_keep_all_state_under_the_state_dir(tmp_path):
    paths = StackPaths.of(load_settings({"LAKEHOUSE_STATE_DIR": str(tmp_path)}))

    assert [
        paths.pid_file("moto"),
        paths.log_file("postgres"),
        paths.postgres_data,
        paths.password_file,
    ] == [
        tmp_path / "pids" / "moto.pid",
        tmp_path / "logs" / "postgres.log",
        tmp_path / "postgres",
        tmp_path / "warehouse.password",
    ]


def test_log_file_creates_the_log_folder(tmp_path):
    StackPaths(Path(tmp_path)).log_file("moto")

    assert (tmp_path / "logs").is_dir()
