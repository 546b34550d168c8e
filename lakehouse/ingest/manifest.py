"""The landing manifest: what was landed for an ingest date, and what a new landing must change.

The manifest is a JSON object ``{file name: {"sha256", "size", "key"}}`` stored at
``s3://<raw_bucket>/_manifests/ingest_date=<YYYY-MM-DD>.json``.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class ManifestEntry:
    """One landed file.

    Attributes:
        sha256: Hex SHA-256 of the file's bytes.
        size: Size in bytes.
        key: Object key in the raw bucket.
    """

    sha256: str
    size: int
    key: str


#: File name -> entry.
Manifest = dict[str, ManifestEntry]


@dataclass(frozen=True)
class LandingPlan:
    """What a landing uploads, keeps and deletes.

    Attributes:
        upload: File names to upload (new, changed, or missing from the bucket).
        unchanged: File names already landed with the same content.
        delete: Object keys in the partitions that no source file maps to any more.
    """

    upload: list[str]
    unchanged: list[str]
    delete: list[str]


def describe_file(path: Path, key: str) -> ManifestEntry:
    """Return the manifest entry of a local file landed at ``key``."""
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    return ManifestEntry(sha256=digest, size=path.stat().st_size, key=key)


def plan_landing(previous: Manifest, current: Manifest, existing_keys: set[str]) -> LandingPlan:
    """Compare the source folder with the last landing so the partitions mirror the folder.

    Args:
        previous: The manifest of the last landing of the same ingest date (empty if none).
        current: The manifest the source folder yields now.
        existing_keys: Keys currently in the entities' partitions of that date.

    Returns:
        Files to upload, files unchanged, and keys to delete, each sorted.
    """
    unchanged = sorted(
        name
        for name, entry in current.items()
        if previous.get(name) == entry and entry.key in existing_keys
    )
    upload = sorted(set(current) - set(unchanged))
    wanted = {entry.key for entry in current.values()}
    return LandingPlan(upload=upload, unchanged=unchanged, delete=sorted(existing_keys - wanted))


def dump_manifest(manifest: Manifest) -> str:
    """Return the manifest as JSON text, keys sorted."""
    return json.dumps({name: asdict(entry) for name, entry in manifest.items()}, sort_keys=True)


def load_manifest(text: str) -> Manifest:
    """Parse manifest JSON text.

    Raises:
        ValueError: When the text is not a manifest.
    """
    raw = json.loads(text)
    if not isinstance(raw, Mapping):
        raise ValueError("a manifest must be a JSON object")
    try:
        return {name: ManifestEntry(**fields) for name, fields in raw.items()}
    except TypeError as error:
        raise ValueError(f"malformed manifest entry: {error}") from error
