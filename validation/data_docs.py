"""Publish the Data Docs site to the curated bucket, under ``_data_docs/``."""

import mimetypes
from pathlib import Path

from lakehouse.config import Settings
from lakehouse.resources.aws import make_client

#: Key prefix of the Data Docs in the curated bucket.
DATA_DOCS_PREFIX = "_data_docs"


def publish_data_docs(settings: Settings, site: Path) -> str:
    """Upload every file of the local site to the curated bucket; returns the site's index URL.

    Re-uploading overwrites each file with its new version; the site is static HTML, so the
    bucket (or a static website in front of it) serves it as it is.
    """
    s3 = make_client(settings, "s3")
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        key = f"{DATA_DOCS_PREFIX}/{path.relative_to(site).as_posix()}"
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        s3.upload_file(
            str(path), settings.curated_bucket, key, ExtraArgs={"ContentType": content_type}
        )
    return settings.curated_url(DATA_DOCS_PREFIX, "index.html")
