"""S3 through the emulator endpoint, as boto3 sends it: objects live in s3proxy, bucket
configuration in moto, and what each client of the lake relies on works across the two."""

import io
import os
import socket
import urllib.request
import uuid
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from lakehouse.config import Settings
from lakehouse.ingest.raw_zone import list_keys
from lakehouse.resources.aws import make_client
from lakehouse.stack.paths import StackPaths

pytestmark = pytest.mark.integration


@pytest.fixture
def bucket(stack: Settings) -> Iterator[str]:
    """A bucket of the test's own, emptied and deleted at the end."""
    s3, name = make_client(stack, "s3"), f"emulator-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name)
    yield name
    for key in list_keys(s3, name, ""):
        s3.delete_object(Bucket=name, Key=key)
    s3.delete_bucket(Bucket=name)


def test_objects_keep_their_bytes_metadata_and_keys(stack, bucket):
    s3 = make_client(stack, "s3")
    key = "sales/ingest_date=2024-07-01/ventes été.csv"
    s3.put_object(Bucket=bucket, Key=key, Body=b"a,b\n1,2\n", Metadata={"run_id": "r-1"})
    payload = os.urandom(11 * 1024 * 1024)  # three parts of 5 MiB or less
    s3.upload_fileobj(io.BytesIO(payload), bucket, "big.bin")
    s3.copy_object(Bucket=bucket, Key="copy.csv", CopySource={"Bucket": bucket, "Key": key})

    head = s3.head_object(Bucket=bucket, Key=key)
    ranged = s3.get_object(Bucket=bucket, Key="big.bin", Range="bytes=5-9")["Body"].read()
    listed = s3.list_objects_v2(Bucket=bucket, Prefix="sales/", Delimiter="/")
    signed = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "copy.csv"})
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(signed) as answer:
        presigned = answer.read()

    assert (head["Metadata"], head["ContentLength"]) == ({"run_id": "r-1"}, 8)
    assert ranged == payload[5:10]
    assert [prefix["Prefix"] for prefix in listed["CommonPrefixes"]] == [
        "sales/ingest_date=2024-07-01/"
    ]
    assert presigned == b"a,b\n1,2\n"


def test_a_conditional_write_lets_only_the_first_writer_in(stack, bucket):
    s3 = make_client(stack, "s3")
    s3.put_object(Bucket=bucket, Key="_locks/lease.json", Body=b"first", IfNoneMatch="*")

    with pytest.raises(ClientError, match="PreconditionFailed"):
        s3.put_object(Bucket=bucket, Key="_locks/lease.json", Body=b"second", IfNoneMatch="*")
    assert s3.get_object(Bucket=bucket, Key="_locks/lease.json")["Body"].read() == b"first"


def test_object_versions_list_each_object_once_page_by_page(stack, bucket):
    s3 = make_client(stack, "s3")
    keys = [f"k{number}" for number in range(5)]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())

    pages = s3.get_paginator("list_object_versions").paginate(
        Bucket=bucket, PaginationConfig={"PageSize": 2}
    )
    versions = [(v["Key"], v["VersionId"]) for page in pages for v in page.get("Versions", [])]

    assert versions == [(key, "null") for key in keys]


def test_bucket_configuration_is_kept_by_moto_and_the_bucket_by_both(stack, bucket):
    s3 = make_client(stack, "s3")
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
        },
    )
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})

    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    assert (StackPaths.of(stack).lake / bucket).is_dir()  # s3proxy's folder of the bucket


def test_a_listing_of_many_pages_names_every_key_once(stack, bucket):
    s3 = make_client(stack, "s3")
    names = [f"{n:04d}.html" for n in range(30)]
    folders = ("_data_docs/validations", "_data_docs/static", "sales", "sales-x", "sales_y")
    keys = {f"{folder}/{name}" for folder in folders for name in names}
    keys |= {"a/b.c", "a/b/c", "a/b-c", "a.b/c", "a-b/c", "a_b/c", "a/b/", "a/é", "a/Z", "a/~"}
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"")

    pages = s3.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, PaginationConfig={"PageSize": 7}
    )
    listed = [item["Key"] for page in pages for item in page.get("Contents", ())]

    assert sorted(listed) == sorted(keys)
    assert len(listed) == len(set(listed))


def test_a_bucket_an_upload_was_cut_short_in_is_deleted_once_its_objects_are(stack):
    s3, name = make_client(stack, "s3"), f"emulator-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name)
    s3.put_object(Bucket=name, Key="sales/kept.csv", Body=b"a\n")
    cut_short_upload(stack.s3proxy_port, f"/{name}/_quarantine/run_id=r-1/part-0.json")
    s3.delete_object(Bucket=name, Key="sales/kept.csv")

    s3.delete_bucket(Bucket=name)

    assert name not in [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]


def cut_short_upload(port: int, path: str) -> None:
    """A writer that stops mid-PUT to s3proxy, left with the folders s3proxy made for it."""
    with socket.create_connection(("127.0.0.1", port)) as client:
        request = f"PUT {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n"
        client.sendall(request.encode() + b"x" * 1000)
        client.shutdown(socket.SHUT_WR)
        while client.recv(65536):  # s3proxy answers once it has dropped the upload
            pass
