"""The Data Docs site: its stored results kept bounded, and its upload to the curated bucket.

The site goes under ``_data_docs/`` in the curated bucket, sending only what the bucket lacks.
"""

import hashlib
import mimetypes
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from lakehouse.config import Settings
from lakehouse.resources.aws import make_client

#: Key prefix of the Data Docs in the curated bucket.
DATA_DOCS_PREFIX = "_data_docs"
#: Validation results kept in the store, and listed by the site's index: the latest ten runs, each
#: of which stores one result per star table and gate. Every checkpoint rebuilds the index from
#: the stored results, so an unbounded store made each run slower than the one before.
KEPT_RESULTS = 100
#: Empty folders are removed once unchanged this long: GX creates a result's folder just before
#: writing the file, so a fresh empty folder may be one that another run is about to fill.
SETTLED_SECONDS = 60
#: What the bucket holds of a file: size in bytes and ETag (without its quotes).
Listed = tuple[int, str]


def stale_results(keys: Iterable[Any], keep: int) -> list[Any]:
    """The validation result keys beyond the ``keep`` newest by run time, newest first."""
    return sorted(keys, key=lambda key: key.run_id.run_time, reverse=True)[keep:]


def prune_results(context: Any, folders: Iterable[Path] = (), keep: int = KEPT_RESULTS) -> int:
    """Remove all but the ``keep`` newest validation results of a GX context; returns how many.

    The next build of the site removes their pages too (GX drops a page whose result is gone).
    Each run leaves the folders of what an earlier one removed empty: the settled ones below
    ``folders`` (the results store's and the site's) go too.
    """
    store = context.validation_results_store
    stale = stale_results(store.list_keys(), keep)
    for key in stale:
        store.remove_key(key)
    for folder in folders:
        remove_empty_folders(folder, before=time.time() - SETTLED_SECONDS)
    return len(stale)


def remove_empty_folders(root: Path, before: float) -> int:
    """Remove the empty folders below ``root`` last changed before ``before`` (epoch seconds).

    Deepest first; a parent emptied here changed now, so it goes in a later call. Returns how
    many folders went.
    """
    folders = sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts))
    removed = 0
    for folder in folders:
        try:
            if folder.stat().st_mtime < before and not any(folder.iterdir()):
                folder.rmdir()
                removed += 1
        except OSError:  # filled or removed meanwhile
            continue
    return removed


def fingerprint(body: bytes) -> Listed:
    """Size and MD5 of a file: what S3 lists for an object put in one part (no SSE-KMS)."""
    return len(body), hashlib.md5(body, usedforsecurity=False).hexdigest()


def listed_files(pages: Iterable[Mapping[str, Any]]) -> dict[str, Listed]:
    """Size and ETag of each object of ``ListObjectsV2`` pages, by key."""
    return {
        item["Key"]: (item["Size"], item["ETag"].strip('"'))
        for page in pages
        for item in page.get("Contents", [])
    }


def files_to_send(site: Path, listed: Mapping[str, Listed]) -> list[tuple[str, bytes]]:
    """Key and content of each file of the site that the bucket lacks or holds in another version.

    Where the bucket's ETag is not an MD5 (SSE-KMS, multipart uploads) every file is sent.
    """
    files = {
        f"{DATA_DOCS_PREFIX}/{path.relative_to(site).as_posix()}": path.read_bytes()
        for path in sorted(p for p in site.rglob("*") if p.is_file())
    }
    return [(key, body) for key, body in files.items() if listed.get(key) != fingerprint(body)]


def publish_data_docs(settings: Settings, site: Path) -> str:
    """Upload the local site's new and changed files to the curated bucket; returns its index URL.

    The static assets and the pages of earlier runs, already there, are not sent again. Files the
    local site no longer has stay in the bucket; the index links only the results it keeps.
    """
    s3 = make_client(settings, "s3")
    pages = s3.get_paginator("list_objects_v2").paginate(
        Bucket=settings.curated_bucket, Prefix=f"{DATA_DOCS_PREFIX}/"
    )
    for key, body in files_to_send(site, listed_files(pages)):
        content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
        s3.put_object(Bucket=settings.curated_bucket, Key=key, Body=body, ContentType=content_type)
    return settings.curated_url(DATA_DOCS_PREFIX, "index.html")
