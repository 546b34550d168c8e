"""Land a source folder's CSV files in the raw zone, one partition per entity and ingest date.

Each file goes to ``s3://<raw_bucket>/<entity>/ingest_date=<YYYY-MM-DD>/<file name>``. Idempotent:
a manifest of the landed files' checksums skips unchanged files, and objects whose source file is
gone are deleted, so each partition mirrors the source folder.
"""

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from lakehouse.config import Settings
from lakehouse.ingest.manifest import (
    LandingPlan,
    Manifest,
    describe_file,
    dump_manifest,
    load_manifest,
    plan_landing,
)
from lakehouse.ingest.raw_zone import (
    GZIP_SUFFIX,
    build_manifest_key,
    build_partition_prefix,
    list_keys,
    put_json,
    read_object,
    translate_aws_errors,
)
from lakehouse.ingest.source_files import find_source_files
from lakehouse.resources.aws import make_client

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LandedFile:
    """One source file and its object in the raw zone.

    Attributes:
        name: File name in the source folder.
        key: Object key in the raw bucket.
        size_bytes: Size of the file.
        uploaded: True when uploaded by this landing, False when already landed unchanged.
    """

    name: str
    key: str
    size_bytes: int
    uploaded: bool


@dataclass(frozen=True)
class LandingReport:
    """What one landing did.

    Attributes:
        run_date: The ingest date landed.
        files: Entity -> its landed files, sorted by name.
        deleted: Keys removed because their source file is gone.
    """

    run_date: date
    files: dict[str, list[LandedFile]]
    deleted: list[str]

    @property
    def uploaded(self) -> list[str]:
        """Names of the files uploaded by this landing."""
        return [item.name for items in self.files.values() for item in items if item.uploaded]

    @property
    def unchanged(self) -> list[str]:
        """Names of the files that were already landed with the same content."""
        return [item.name for items in self.files.values() for item in items if not item.uploaded]


def land_raw(settings: Settings, source_dir: Path, run_date: date) -> LandingReport:
    """Upload the source folder's CSV files to the raw zone's partitions of ``run_date``.

    Args:
        settings: Settings naming the raw bucket and the S3 endpoint.
        source_dir: Folder holding ``<entity>*.csv[.gz]`` files for every entity.
        run_date: Ingest date; names the partitions and the manifest.

    Returns:
        Per entity, each file's key, size and whether it was uploaded or unchanged.

    Raises:
        SourceError: When the folder is missing or its files break the naming contract.
        ServiceError: When S3 or the raw bucket cannot be reached.
    """
    sources = find_source_files(source_dir)
    paths = {path.name: path for files in sources.values() for path in files}
    current = {
        path.name: describe_file(path, build_partition_prefix(entity, run_date) + path.name)
        for entity, files in sources.items()
        for path in files
    }
    s3 = make_client(settings, "s3")
    with translate_aws_errors(settings, f"landing {source_dir}"):
        existing = {
            key
            for entity in sources
            for key in list_keys(s3, settings.raw_bucket, build_partition_prefix(entity, run_date))
        }
        plan = plan_landing(_read_manifest(s3, settings, run_date), current, existing)
        _apply_plan(s3, settings, plan, paths, current)
        put_json(s3, settings.raw_bucket, build_manifest_key(run_date), dump_manifest(current))
    logger.info(
        "landed %s: %d uploaded, %d unchanged, %d deleted",
        source_dir,
        len(plan.upload),
        len(plan.unchanged),
        len(plan.delete),
    )
    return _build_report(run_date, sources, current, plan)


def _read_manifest(s3: Any, settings: Settings, run_date: date) -> Manifest:
    """The manifest of the last landing of ``run_date``; empty when missing or unreadable."""
    key = build_manifest_key(run_date)
    body = read_object(s3, settings.raw_bucket, key)
    if body is None:
        return {}
    try:
        return load_manifest(body.decode())
    except ValueError as error:
        # Re-uploading every file is always correct, so a damaged manifest costs time only.
        logger.warning("ignoring unreadable manifest %s: %s", settings.raw_url(key), error)
        return {}


def _apply_plan(
    s3: Any, settings: Settings, plan: LandingPlan, paths: dict[str, Path], current: Manifest
) -> None:
    """Upload new and changed files (multipart above 8 MB); delete objects of removed files."""
    for name in plan.upload:
        content_type = "application/gzip" if name.endswith(GZIP_SUFFIX) else "text/csv"
        s3.upload_file(
            str(paths[name]),
            settings.raw_bucket,
            current[name].key,
            ExtraArgs={"ContentType": content_type},
        )
    for key in plan.delete:
        s3.delete_object(Bucket=settings.raw_bucket, Key=key)


def _build_report(
    run_date: date, sources: dict[str, list[Path]], current: Manifest, plan: LandingPlan
) -> LandingReport:
    """The landing report, files grouped by entity."""
    uploaded = set(plan.upload)
    files = {
        entity: [
            LandedFile(
                name=path.name,
                key=current[path.name].key,
                size_bytes=current[path.name].size,
                uploaded=path.name in uploaded,
            )
            for path in paths
        ]
        for entity, paths in sources.items()
    }
    return LandingReport(run_date=run_date, files=files, deleted=plan.delete)
