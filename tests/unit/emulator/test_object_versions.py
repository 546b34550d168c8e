from xml.etree import ElementTree

from lakehouse.emulator.object_versions import is_list_versions, render_versions

NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
LISTING = b"""<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>lake</Name><Prefix>a/</Prefix><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>
  <Contents><Key>a/1.csv</Key><LastModified>2026-12-05T10:00:00.000Z</LastModified>
    <ETag>"e1"</ETag><Size>10</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>a/2.csv</Key><LastModified>2026-12-05T10:01:00.000Z</LastModified>
    <ETag>"e2"</ETag><Size>20</Size><StorageClass>STANDARD</StorageClass></Contents>
</ListBucketResult>"""


def test_render_versions_lists_each_object_as_its_only_version_and_pages_on():
    document = ElementTree.fromstring(
        render_versions("lake", {"prefix": "a/", "max-keys": "2"}, LISTING)
    )

    versions = [
        {field.tag.removeprefix(NS): field.text for field in version}
        for version in document.iter(f"{NS}Version")
    ]
    assert versions == [
        {
            "Key": "a/1.csv",
            "VersionId": "null",
            "IsLatest": "true",
            "ETag": '"e1"',
            "Size": "10",
            "StorageClass": "STANDARD",
            "LastModified": "2026-12-05T10:00:00.000Z",
        },
        {
            "Key": "a/2.csv",
            "VersionId": "null",
            "IsLatest": "true",
            "ETag": '"e2"',
            "Size": "20",
            "StorageClass": "STANDARD",
            "LastModified": "2026-12-05T10:01:00.000Z",
        },
    ]
    assert [
        document.findtext(f"{NS}{name}") for name in ("Name", "IsTruncated", "NextKeyMarker")
    ] == [
        "lake",
        "true",
        "a/2.csv",
    ]


def test_is_list_versions_matches_only_a_bucket_get_with_versions():
    def environ(method: str, path: str, query: str) -> dict:
        return {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query}

    assert [
        is_list_versions(environ("GET", "/lake", "versions&prefix=a")),
        is_list_versions(environ("GET", "/lake", "versioning")),
        is_list_versions(environ("GET", "/lake/key", "versions")),
        is_list_versions(environ("DELETE", "/lake", "versions")),
    ] == [True, False, False, False]
