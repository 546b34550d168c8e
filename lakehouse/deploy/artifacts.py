"""The release artifacts of ``make package`` in the artifacts bucket: for Glue and for Airflow.

- ``release/``: every artifact and the manifest; the Glue job runs its entry script and library
  from there (the Glue role reads ``release/*``);
- ``airflow/``: what an MWAA environment (or any Airflow that syncs a DAG folder from S3) loads,
  where the Airflow role reads it: ``dags/`` (the DAG bundle unpacked), ``requirements.txt``
  and ``startup.sh``, which exports the deployment's settings for the DAG's tasks.
"""

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from lakehouse.release.manifest import MANIFEST_NAME, Manifest
from lakehouse.stack.env import format_exports

RELEASE_PREFIX = "release"
AIRFLOW_PREFIX = "airflow"
#: Variables MWAA sets itself, which a startup script may not change.
_SET_BY_MWAA = frozenset({"AWS_REGION", "AWS_DEFAULT_REGION"})


@dataclass(frozen=True)
class GlueArtifacts:
    """``s3://`` URLs of what the Glue job runs."""

    entry_script: str
    library: str


def upload_release(s3: Any, bucket: str, dist: Path, manifest: Manifest) -> GlueArtifacts:
    """Upload every artifact and the manifest under ``release/``; returns the Glue job's URLs.

    Re-uploading the same release overwrites the same keys (the bucket keeps older versions).
    """
    urls = {}
    for artifact in manifest.artifacts:
        key = f"{RELEASE_PREFIX}/{artifact.path}"
        s3.upload_file(str(dist / artifact.path), bucket, key)
        urls[artifact.kind] = f"s3://{bucket}/{key}"
    s3.upload_file(str(dist / MANIFEST_NAME), bucket, f"{RELEASE_PREFIX}/{MANIFEST_NAME}")
    return GlueArtifacts(entry_script=urls["glue-entry-script"], library=urls["glue-job-library"])


class AirflowArtifacts(NamedTuple):
    """Keys of what MWAA loads (``DagS3Path``, ``RequirementsS3Path``, ``StartupScriptS3Path``)."""

    dags: str
    requirements: str
    startup_script: str


#: Where :func:`upload_airflow` puts them.
AIRFLOW_ARTIFACTS = AirflowArtifacts(
    f"{AIRFLOW_PREFIX}/dags", f"{AIRFLOW_PREFIX}/requirements.txt", f"{AIRFLOW_PREFIX}/startup.sh"
)


def upload_airflow(
    s3: Any, bucket: str, dist: Path, manifest: Manifest, env: Mapping[str, str]
) -> AirflowArtifacts:
    """Put the DAG folder, requirements and a startup script exporting ``env`` under ``airflow/``.

    The DAG folder is replaced: keys of an earlier release that this one lacks are deleted, so a
    removed module does not linger in the workers' folder.
    """
    paths = {artifact.kind: dist / artifact.path for artifact in manifest.artifacts}
    dags, requirements, startup = AIRFLOW_ARTIFACTS
    uploaded = set()
    with zipfile.ZipFile(paths["dag-bundle"]) as bundle:
        for member in bundle.namelist():
            key = f"{dags}/{member}"
            s3.put_object(Bucket=bucket, Key=key, Body=bundle.read(member))
            uploaded.add(key)
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{dags}/"):
        for stale in {item["Key"] for item in page.get("Contents", [])} - uploaded:
            s3.delete_object(Bucket=bucket, Key=stale)
    s3.upload_file(str(paths["mwaa-requirements"]), bucket, requirements)
    s3.put_object(Bucket=bucket, Key=startup, Body=startup_script(env).encode())
    return AIRFLOW_ARTIFACTS


def startup_script(env: Mapping[str, str]) -> str:
    """MWAA's startup script: ``env`` exported for every Airflow component (no secret in it)."""
    exported = {name: value for name, value in env.items() if name not in _SET_BY_MWAA}
    lines = [
        "#!/bin/sh",
        "# The lakehouse deployment's settings for the DAG's tasks (written by lakehouse deploy).",
        *format_exports(exported.items()),
    ]
    return "\n".join(lines) + "\n"
