import gzip
import io
from datetime import date
from typing import Any

import pytest
from botocore.exceptions import ClientError

from lakehouse.errors import SourceError
from lakehouse.ingest.raw_zone import (
    ObjectHead,
    build_manifest_key,
    build_partition_prefix,
    is_csv_name,
    read_object_head,
)


class RangedObjects:
    """Answers ranged GETs the way S3 does, from objects held in memory."""

    def __init__(self, objects: dict[str, bytes]) -> None:
        self.objects = objects

    def get_object(self, Bucket: str, Key: str, Range: str) -> dict[str, Any]:  # noqa: N803
        data = self.objects[Key]
        if not data:
            raise ClientError({"Error": {"Code": "InvalidRange"}}, "GetObject")
        last = min(int(Range.rsplit("-", 1)[1]), len(data) - 1)
        return {
            "Body": io.BytesIO(data[: last + 1]),
            "ContentLength": last + 1,
            "ContentRange": f"bytes 0-{last}/{len(data)}",
        }


def test_partition_prefix_and_manifest_key_follow_the_raw_zone_layout() -> None:
    run_date = date(2024, 5, 1)

    assert (build_partition_prefix("sales", run_date), build_manifest_key(run_date)) == (
        "sales/ingest_date=2024-05-01/",
        "_manifests/ingest_date=2024-05-01.json",
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sales.csv", True),  # plain CSV
        ("sales.csv.gz", True),  # gzip-compressed CSV
        ("sales.gz", False),  # compressed, but not CSV
        ("sales.csv.bak", False),  # a backup copy
    ],
)
def test_is_csv_name_accepts_csv_and_gzip_csv_only(name: str, expected: bool) -> None:
    assert is_csv_name(name) is expected


def test_read_object_head_reads_a_small_object_whole_without_its_byte_order_mark() -> None:
    s3 = RangedObjects({"a.csv": "\ufeffid,name\n1,Zoë\n".encode()})

    assert read_object_head(s3, "raw", "a.csv", 1024) == ObjectHead("id,name\n1,Zoë\n", False)


def test_read_object_head_stops_at_the_byte_limit_and_says_so() -> None:
    s3 = RangedObjects({"a.csv": b"id\n" + b"1\n" * 100})

    assert read_object_head(s3, "raw", "a.csv", 7) == ObjectHead("id\n1\n1\n", True)


def test_read_object_head_gunzips_a_whole_gzip_object() -> None:
    s3 = RangedObjects({"a.csv.gz": gzip.compress(b"id\n1\n")})

    assert read_object_head(s3, "raw", "a.csv.gz", 1024) == ObjectHead("id\n1\n", False)


def test_read_object_head_gunzips_the_start_of_a_gzip_object_larger_than_the_limit() -> None:
    text = "id,value\n" + "".join(f"{n},{n * 7919 % 10007}\n" for n in range(5000))
    s3 = RangedObjects({"a.csv.gz": gzip.compress(text.encode())})

    head = read_object_head(s3, "raw", "a.csv.gz", 4096)

    assert (head.truncated, text.startswith(head.text), 0 < len(head.text) <= 4096) == (
        True,
        True,
        True,
    )


def test_read_object_head_of_an_empty_object_is_empty_text() -> None:
    s3 = RangedObjects({"a.csv": b""})

    assert read_object_head(s3, "raw", "a.csv", 1024) == ObjectHead("", False)


def test_read_object_head_rejects_a_gz_object_that_is_not_gzip() -> None:
    s3 = RangedObjects({"sales.csv.gz": b"sale_id\nS1\n"})

    with pytest.raises(SourceError) as caught:
        read_object_head(s3, "raw", "sales.csv.gz", 1024)

    assert str(caught.value) == (
        "s3://raw/sales.csv.gz is not a valid gzip file (Error -3 while decompressing data: "
        "incorrect header check); compress it with gzip or drop the .gz suffix, then land it again"
    )
