"""``make package``: the artifacts, their manifest, and reproducible archives."""

import json
import zipfile
from pathlib import Path

import pytest

from lakehouse.config import PROJECT_ROOT
from lakehouse.release.archives import write_zip
from lakehouse.release.manifest import MANIFEST_NAME, sha256_of, verify
from lakehouse.release.package import (
    GLUE_ENTRY,
    build_release,
    main,
    uv_wheel,
)


def fake_wheel(root: Path, out_dir: Path) -> Path:
    """Stands in for `uv build`: the wheel's contents are not what these tests check."""
    wheel = out_dir / "lakehouse-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"wheel built from " + root.name.encode())
    return wheel


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    dist = tmp_path_factory.mktemp("dist")
    build_release(PROJECT_ROOT, dist, build_wheel=fake_wheel)
    return dist, json.loads((dist / MANIFEST_NAME).read_text())


def test_manifest_lists_every_file_in_dist_with_its_hash(release):
    dist, manifest = release
    on_disk = {p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file()}
    listed = {item["path"] for item in manifest["artifacts"]}
    assert listed == on_disk - {MANIFEST_NAME}
    assert verify(dist) == []
    for item in manifest["artifacts"]:
        assert item["sha256"] == sha256_of(dist / item["path"])
        assert item["size"] == (dist / item["path"]).stat().st_size


def test_manifest_names_the_version_and_commit(release):
    _, manifest = release
    assert manifest["version"] == "0.1.0"
    assert manifest["commit"]


def test_glue_bundle_has_the_wheel_and_the_spark_job_library(release):
    dist, manifest = release
    kinds = {item["kind"]: item["path"] for item in manifest["artifacts"]}
    assert kinds["glue-wheel"] == "glue/lakehouse-0.1.0-py3-none-any.whl"
    members = zipfile.ZipFile(dist / kinds["glue-job-library"]).namelist()
    assert "spark_app/jobs/glue_etl.py" in members
    assert not [m for m in members if "__pycache__" in m or m.endswith(".pyc")]


def test_glue_bundle_has_the_entry_script_and_what_the_job_imports(release):
    dist, manifest = release
    kinds = {item["kind"]: item["path"] for item in manifest["artifacts"]}
    entry = dist / kinds["glue-entry-script"]
    assert entry.read_bytes() == (PROJECT_ROOT / GLUE_ENTRY).read_bytes()
    members = zipfile.ZipFile(dist / kinds["glue-job-library"]).namelist()
    for module in ("spark_app/copy_manifests.py", "validation/gates.py", "lakehouse/config.py"):
        assert module in members


def test_dag_bundle_holds_the_dag_folder_relative_to_it(release):
    dist, _ = release
    members = zipfile.ZipFile(dist / "dags" / "airflow_dags.zip").namelist()
    dags = PROJECT_ROOT / "airflow" / "dags"
    expected = {
        p.relative_to(dags).as_posix() for p in dags.rglob("*.py") if "__pycache__" not in p.parts
    }
    assert expected <= set(members)


def test_sql_scripts_are_shipped_for_both_dialects(release):
    dist, _ = release
    postgres = (dist / "sql" / "postgres" / "002_star_tables_generated.sql").read_text()
    redshift = (dist / "sql" / "redshift" / "001_warehouse_ddl.sql").read_text()
    assert "create table if not exists star.sales_fact" in postgres
    assert "varchar(256)" in redshift
    assert "create materialized view star.mv_product_performance" in redshift
    assert "varchar(256)" not in postgres
    assert (dist / "sql" / "postgres" / "001_create_schemas.sql").is_file()
    assert list((dist / "sql" / "postgres" / "checks").glob("*.sql"))


def test_packaging_twice_gives_the_same_hashes(release, tmp_path):
    _, manifest = release
    build_release(PROJECT_ROOT, tmp_path / "again", build_wheel=fake_wheel)
    again = json.loads((tmp_path / "again" / MANIFEST_NAME).read_text())
    assert again["artifacts"] == manifest["artifacts"]


def test_zip_ignores_file_times(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.py").write_text("x = 1\n")
    first = write_zip(tmp_path / "one.zip", [source / "a.py"], source)
    (source / "a.py").touch()
    second = write_zip(tmp_path / "two.zip", [source / "a.py"], source)
    assert sha256_of(first) == sha256_of(second)


def test_verify_reports_a_changed_artifact(tmp_path):
    build_release(PROJECT_ROOT, tmp_path, build_wheel=fake_wheel)
    (tmp_path / "glue" / "lakehouse-0.1.0-py3-none-any.whl").write_bytes(b"tampered")
    assert verify(tmp_path) == [
        "glue/lakehouse-0.1.0-py3-none-any.whl: sha256 differs from the manifest"
    ]


def test_uv_builds_a_wheel_of_the_three_packages(tmp_path):
    wheel = uv_wheel(PROJECT_ROOT, tmp_path)
    assert wheel.parent == tmp_path
    assert [p.name for p in tmp_path.iterdir()] == [wheel.name]
    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert {"lakehouse", "spark_app", "validation"} <= tops


def test_package_command_builds_the_real_wheel_and_prints_where(tmp_path, capsys):
    assert main(["--dist", str(tmp_path / "dist")]) == 0
    out = capsys.readouterr().out
    assert f"into {tmp_path / 'dist'}/ (manifest.json)" in out
    assert verify(tmp_path / "dist") == []
