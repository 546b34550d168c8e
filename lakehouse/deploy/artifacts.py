"""The release artifacts of ``make package`` uploaded to the artifacts bucket for Glue."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lakehouse.release.manifest import MANIFEST_NAME, Manifest

RELEASE_PREFIX = "release"


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
