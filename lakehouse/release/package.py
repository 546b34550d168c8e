"""``make package``: the release artifacts the seed's "Build & Package" stage names, in ``dist/``.

- ``glue/``: the project wheel, ``spark_app.zip`` (the job library for ``--extra-py-files``: the
  ``spark_app`` and ``validation`` packages and the ``lakehouse`` modules they import) and the
  entry script ``glue_entry.py``;
- ``dags/airflow_dags.zip``: the DAG folder as Airflow (or MWAA) loads it, with the project's
  packages its tasks import and the warehouse SQL they read beside the DAG;
- ``airflow/requirements.txt``: what an MWAA worker installs for the aws DAG's tasks;
- ``sql/postgres/`` and ``sql/redshift/``: the warehouse scripts for both dialects;
- ``manifest.json``: every artifact's path, kind, size and SHA-256, plus notes.

Idempotent: ``dist/`` is emptied first, and the zips are reproducible, so the same sources give
the same hashes (the wheel too: hatchling dates its members to a fixed epoch).
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lakehouse.config import PROJECT_ROOT
from lakehouse.release.archives import source_files, write_zip
from lakehouse.release.manifest import Manifest
from lakehouse.release.sql_scripts import write_sql_scripts

GLUE_ENTRY = Path("spark_app/glue_entry.py")
#: Packages of the Glue job library; Glue itself brings pyspark, delta, boto3 and numpy.
GLUE_LIBRARY_PACKAGES = ("spark_app", "validation", "lakehouse")

#: Folders of the project shipped in the DAG bundle, beside the DAG: the packages the aws DAG's
#: tasks import (without Spark) and the SQL files they read.
DAG_BUNDLE_FOLDERS = ("lakehouse", "spark_app", "warehouse_sql")
#: Distributions the aws DAG's tasks import that an MWAA worker's Airflow image does not bring
#: (tests/unit/airflow/test_aws_profile_tasks.py checks that there are no others).
WORKER_DISTRIBUTIONS = ("deltalake", "numpy", "psycopg", "pyarrow")

#: Builds the project wheel into the given folder and returns its path.
WheelBuilder = Callable[[Path, Path], Path]


def uv_wheel(root: Path, out_dir: Path) -> Path:
    """Build the project wheel with uv (hatchling backend) into ``out_dir``; returns its path."""
    uv = shutil.which("uv") or str(root / ".tools" / "bin" / "uv")
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [uv, "build", "--wheel", "--quiet", "--out-dir", scratch, str(root)], check=True
        )
        wheels = sorted(Path(scratch).glob("*.whl"))
        if len(wheels) != 1:
            raise RuntimeError(f"expected one wheel from uv build, found {len(wheels)}")
        return Path(shutil.move(wheels[0], out_dir / wheels[0].name))


def project_table(root: Path) -> dict[str, Any]:
    """The ``[project]`` table of ``root/pyproject.toml``."""
    import tomllib  # noqa: PLC0415 (only the release needs it)

    with (root / "pyproject.toml").open("rb") as stream:
        return dict(tomllib.load(stream)["project"])


def project_version(root: Path) -> str:
    """``[project].version`` of ``root/pyproject.toml``."""
    return str(project_table(root)["version"])


def git_commit(root: Path) -> str:
    """Commit of the work tree (``+dirty`` when it has changes), or ``unknown`` without git."""
    git = shutil.which("git")
    if git is None:
        return "unknown"
    head = subprocess.run(
        [git, "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    )
    if head.returncode != 0:
        return "unknown"
    status = subprocess.run(
        [git, "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    )
    return head.stdout.strip() + ("+dirty" if status.stdout.strip() else "")


def package_glue(root: Path, dist: Path, manifest: Manifest, build_wheel: WheelBuilder) -> None:
    """The Glue job bundle: wheel, job library zip and entry script."""
    glue = dist / "glue"
    glue.mkdir(parents=True)
    manifest.add(dist, build_wheel(root, glue), "glue-wheel")
    files = [path for package in GLUE_LIBRARY_PACKAGES for path in source_files(root / package)]
    manifest.add(dist, write_zip(glue / "spark_app.zip", files, root), "glue-job-library")
    entry = Path(shutil.copy2(root / GLUE_ENTRY, glue / GLUE_ENTRY.name))
    manifest.add(dist, entry, "glue-entry-script")


def package_dags(root: Path, dist: Path, manifest: Manifest) -> None:
    """The DAG bundle, a DAG folder: ``airflow/dags`` and the :data:`DAG_BUNDLE_FOLDERS`.

    Unpacked, it is what an Airflow without the project installed (MWAA) loads: the DAG folder
    is on its ``sys.path``, so the project's packages beside the DAG import, and the project root
    that they read ``warehouse_sql/`` from is that folder.
    """
    dags = root / "airflow" / "dags"
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        shutil.copytree(dags, folder, dirs_exist_ok=True)
        for name in DAG_BUNDLE_FOLDERS:
            shutil.copytree(root / name, folder / name)
        bundle = write_zip(dist / "dags" / "airflow_dags.zip", source_files(folder), folder)
    manifest.add(dist, bundle, "dag-bundle")


def package_worker_requirements(root: Path, dist: Path, manifest: Manifest) -> None:
    """MWAA's ``requirements.txt``: the :data:`WORKER_DISTRIBUTIONS` as the project pins them."""
    pinned = project_table(root)["dependencies"]
    names = {re.split(r"[\[<>=!~; ]", spec, maxsplit=1)[0].lower(): spec for spec in pinned}
    lines = [
        "# What an MWAA worker installs for the lakehouse DAG's aws tasks (`make package`).",
        *(names[name] for name in WORKER_DISTRIBUTIONS),
    ]
    target = dist / "airflow" / "requirements.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    manifest.add(dist, target, "mwaa-requirements")


def package_sql(root: Path, dist: Path, manifest: Manifest) -> None:
    """The warehouse SQL scripts for PostgreSQL and Redshift."""
    for dialect, paths in write_sql_scripts(root / "warehouse_sql", dist / "sql").items():
        for path in paths:
            manifest.add(dist, path, f"sql-{dialect.value}")


def build_release(
    root: Path = PROJECT_ROOT, dist: Path | None = None, build_wheel: WheelBuilder = uv_wheel
) -> Manifest:
    """Build every artifact into ``dist`` (default ``root/dist``, emptied first) + manifest."""
    dist = dist or root / "dist"
    if dist.exists():
        shutil.rmtree(dist)
    dist.mkdir(parents=True)
    manifest = Manifest(version=project_version(root), commit=git_commit(root))
    package_glue(root, dist, manifest, build_wheel)
    package_dags(root, dist, manifest)
    package_worker_requirements(root, dist, manifest)
    package_sql(root, dist, manifest)
    manifest.write(dist)
    return manifest


def main(argv: list[str] | None = None) -> int:
    """Command line of ``make package``: build the release and print a one-line summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=PROJECT_ROOT / "dist", help="output folder")
    args = parser.parse_args(argv)
    manifest = build_release(PROJECT_ROOT, args.dist)
    print(f"packaged {len(manifest.artifacts)} artifacts into {args.dist}/ (manifest.json)")
    for note in manifest.notes:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
