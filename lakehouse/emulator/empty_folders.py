"""Folders s3proxy leaves behind with no object in them, which keep a bucket from being deleted.

s3proxy's filesystem store creates a key's folders before its bytes arrive. An upload cut short
(a client that gave up or was killed) leaves those folders empty: no listing shows an object in
them, yet s3proxy refuses to delete the bucket (``BucketNotEmpty``), where S3 deletes a bucket
with no object. Deleting a folder marker (``folder/``) removes an empty folder and its empty
parents, so the emulator clears them that way before it asks s3proxy again.
"""

from collections.abc import Iterator
from urllib.parse import quote, urlencode

# Parses only the answers of the project's own s3proxy.
from xml.etree import ElementTree  # nosec B405

from lakehouse.emulator.object_store import S3_NS, ObjectStore


def remove_empty_folders(objects: ObjectStore, bucket: str) -> bool:
    """Remove the folders of ``bucket`` when it holds no object; returns whether any were.

    Raises:
        OSError: When s3proxy does not answer.
    """
    if _list(objects, bucket, {"max-keys": "1"}).find(f"{S3_NS}Contents") is not None:
        return False
    leaves = list(_leaf_folders(objects, bucket, ""))
    for folder in leaves:
        uri = f"/{quote(bucket)}/{quote(folder)}"
        objects.fetch("PUT", uri)  # the folder becomes a marker, which a DELETE removes
        objects.fetch("DELETE", uri)
    return bool(leaves)


def _leaf_folders(objects: ObjectStore, bucket: str, prefix: str) -> Iterator[str]:
    """The innermost folders under ``prefix`` (each ending in ``/``)."""
    for folder in _subfolders(objects, bucket, prefix):
        inner = list(_leaf_folders(objects, bucket, folder))
        yield from inner or [folder]


def _subfolders(objects: ObjectStore, bucket: str, prefix: str) -> Iterator[str]:
    query = {"list-type": "2", "delimiter": "/", "prefix": prefix}
    while True:
        page = _list(objects, bucket, query)
        for entry in page.iter(f"{S3_NS}CommonPrefixes"):
            yield entry.findtext(f"{S3_NS}Prefix", "")
        token = page.findtext(f"{S3_NS}NextContinuationToken")
        if page.findtext(f"{S3_NS}IsTruncated") != "true" or not token:
            return
        query = {**query, "continuation-token": token}


def _list(objects: ObjectStore, bucket: str, query: dict[str, str]) -> ElementTree.Element:
    answer = objects.fetch("GET", f"/{quote(bucket)}?{urlencode(query)}")
    return ElementTree.fromstring(answer.body)  # noqa: S314  # nosec B314
