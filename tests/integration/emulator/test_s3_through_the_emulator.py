"""S3 through the emulator endpoint, as boto3 sends it: objects live in s3proxy, bucket
configuration in moto, and what each client of the lake relies on works across the two."""

import io
import os
import urllib.request
import uuid
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from lakehouse.config import Settings
from lakehouse.resources.aws import make_client
from lakehouse.stack.paths import StackPaths

pytestmark = pytest.mark.integration


@pytest.fixture
def bucket(stack: Settings) -> Iterator[str]:
    """A bucket of the test's own, emptied and deleted at the end."""
    s3, name = make_client(stack, "s3"), f"emulator-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=name)
    yield name
    for entry in s3.list_objects_v2(Bucket=name).get("Contents", []):
        s3.delete_object(Bucket=name, Key=entry["Key"])
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
