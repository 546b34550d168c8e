"""``ListObjectVersions`` on s3proxy, which keeps one version of each object.

s3proxy answers ``GET /<bucket>?versions`` with NotImplemented. Its objects are what an
unversioned S3 bucket holds: each is its only version, with version id ``null``, as S3 lists them.
The request's prefix, key marker and page size are kept; pages follow with ``NextKeyMarker``.
"""

from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

# Parses only the answers of the project's own s3proxy.
from xml.etree import ElementTree  # nosec B405

from lakehouse.emulator.object_store import S3_NS, ObjectStore, StartResponse, unavailable

_VERSION_FIELDS = ("ETag", "Size", "StorageClass", "LastModified")


def is_list_versions(environ: dict[str, Any]) -> bool:
    """Whether the request is ``ListObjectVersions`` (``GET /<bucket>?versions``)."""
    bucket, _, key = environ.get("PATH_INFO", "/").lstrip("/").partition("/")
    query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
    return environ["REQUEST_METHOD"] == "GET" and bool(bucket) and not key and "versions" in query


def list_versions(
    objects: ObjectStore, environ: dict[str, Any], start_response: StartResponse
) -> Iterable[bytes]:
    """Answer ``ListObjectVersions`` from s3proxy's ``ListObjects`` of the same page."""
    bucket = environ["PATH_INFO"].strip("/")
    query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
    listing = {"prefix": query.get("prefix", ""), "max-keys": query.get("max-keys", "1000")}
    if query.get("key-marker"):
        listing["marker"] = query["key-marker"]
    try:
        found = objects.fetch("GET", f"/{quote(bucket)}?{urlencode(listing)}")
    except OSError as error:
        return unavailable(start_response, f"s3proxy at {objects.url} is not answering: {error}")
    if not found.status.startswith("200"):  # e.g. NoSuchBucket: S3's error body, as it is
        start_response(found.status, found.headers)
        return [found.body]
    answer = render_versions(bucket, listing, found.body)
    start_response(
        "200 OK", [("Content-Type", "application/xml"), ("Content-Length", str(len(answer)))]
    )
    return [answer]


def render_versions(bucket: str, listing: dict[str, str], objects_xml: bytes) -> bytes:
    """A ``ListVersionsResult`` document of the objects in a ``ListBucketResult`` document."""
    found = ElementTree.fromstring(objects_xml)  # noqa: S314  # nosec B314
    result = ElementTree.Element("ListVersionsResult", xmlns=S3_NS[1:-1])
    for name, value in (
        ("Name", bucket),
        ("Prefix", listing["prefix"]),
        ("KeyMarker", listing.get("marker", "")),
        ("MaxKeys", listing["max-keys"]),
        ("IsTruncated", found.findtext(f"{S3_NS}IsTruncated", "false")),
    ):
        ElementTree.SubElement(result, name).text = value
    last_key = None
    for entry in found.iter(f"{S3_NS}Contents"):
        version = ElementTree.SubElement(result, "Version")
        last_key = entry.findtext(f"{S3_NS}Key", "")
        ElementTree.SubElement(version, "Key").text = last_key
        ElementTree.SubElement(version, "VersionId").text = "null"
        ElementTree.SubElement(version, "IsLatest").text = "true"
        for field in _VERSION_FIELDS:
            ElementTree.SubElement(version, field).text = entry.findtext(f"{S3_NS}{field}", "")
    if found.findtext(f"{S3_NS}IsTruncated") == "true" and last_key is not None:
        ElementTree.SubElement(result, "NextKeyMarker").text = last_key
        ElementTree.SubElement(result, "NextVersionIdMarker").text = "null"
    return ElementTree.tostring(result, xml_declaration=True, encoding="utf-8")
