import pytest

from lakehouse.errors import ServiceError
from lakehouse.stack import postgres_cluster
from lakehouse.stack.paths import StackPaths


@pytest.mark.parametrize(
    ("euid", "expected"),
    [
        (0, ["runuser", "-u", "postgres", "--"]),  # root hands PostgreSQL to its own OS user
        (1000, []),  # an ordinary user runs it as themself
    ],
)
def test_owner_prefix_runs_postgres_as_the_unprivileged_user_only_when_root(
    monkeypatch, euid, expected
):
    monkeypatch.setattr(postgres_cluster.os, "geteuid", lambda: euid)

    assert postgres_cluster.owner_prefix() == expected


def test_find_bindir_tells_how_to_install_postgres_when_it_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(postgres_cluster.shutil, "which", lambda name: None)
    monkeypatch.setattr(postgres_cluster, "_FALLBACK_BINDIR", tmp_path)

    with pytest.raises(ServiceError, match=r"apt-get install postgresql-15.*make setup"):
        postgres_cluster.find_bindir()


def test_read_password_of_a_missing_file_says_how_to_recreate_the_cluster(tmp_path):
    with pytest.raises(ServiceError, match=r"warehouse\.password is missing; remove .*postgres"):
        postgres_cluster.read_password(StackPaths(tmp_path))


def test_init_cluster_leaves_an_existing_cluster_and_its_password_alone(tmp_path):
    paths = StackPaths(tmp_path)
    paths.postgres_data.mkdir()
    (paths.postgres_data / "PG_VERSION").write_text("15\n")
    paths.password_file.write_text("kept\n")

    postgres_cluster.init_cluster(paths, tmp_path / "postgres.log")

    assert (sorted(p.name for p in tmp_path.iterdir()), postgres_cluster.read_password(paths)) == (
        ["postgres", "warehouse.password"],
        "kept",
    )
