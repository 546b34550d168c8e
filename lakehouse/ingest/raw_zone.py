"""The raw zone's layout in S3 and the few object operations the ingest and the crawler share.

Layout: ``s3://<raw_bucket>/<entity>/ingest_date=<YYYY-MM-DD>/<file name>``, plus folders whose
names start with ``_`` (``_manifests/``, ``_quarantine/``) that hold no source data.
"""

import codecs
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from lakehouse.config import Settings
from lakehouse.errors import ServiceError, SourceError

PARTITION_KEY = "ingest_date"
MANIFEST_FOLDER = "_manifests"
QUARANTINE_FOLDER = "_quarantine"
CSV_SUFFIXES = (".csv", ".csv.gz")
GZIP_SUFFIX = ".gz"
#: Compressed bytes a header check reads from the start of an object.
HEADER_SAMPLE_BYTES = 64 * 1024
_GZIP_WBITS = 16 + zlib.MAX_WBITS


@dataclass(frozen=True)
class ObjectHead:
    """The decoded text at the start of an object.

    Attributes:
        text: UTF-8 text (byte-order mark removed) of the bytes read.
        truncated: Whether the object goes on past ``text``; its last line may then be partial.
    """

    text: str
    truncated: bool


def format_partition(value: date | str) -> str:
    """Return the Hive-style partition folder of an ingest date, e.g. ``ingest_date=2024-05-01``."""
    text = value.isoformat() if isinstance(value, date) else value
    return f"{PARTITION_KEY}={text}"


def build_partition_prefix(entity: str, value: date | str) -> str:
    """Return the key prefix (ending in ``/``) of an entity's partition for an ingest date."""
    return f"{entity}/{format_partition(value)}/"


def quarantine_prefix(entity: str, run_id: str) -> str:
    """Key prefix, in the raw bucket, of one entity's quarantine records for a run."""
    return f"{QUARANTINE_FOLDER}/{entity}/run_id={run_id}/"


def build_manifest_key(run_date: date) -> str:
    """Return the key of the landing manifest of ``run_date``."""
    return f"{MANIFEST_FOLDER}/{format_partition(run_date)}.json"


def is_csv_name(name: str) -> bool:
    """Return whether a file or key name is a source CSV file (``.csv`` or ``.csv.gz``)."""
    return name.endswith(CSV_SUFFIXES)


def list_keys(s3: Any, bucket: str, prefix: str) -> list[str]:
    """Return every object key under ``prefix``, in key order."""
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return [item["Key"] for page in pages for item in page.get("Contents", ())]


def read_object(s3: Any, bucket: str, key: str) -> bytes | None:
    """Return the body of the object at ``key``, or ``None`` when there is none."""
    try:
        return s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "NoSuchKey":
            return None
        raise


def put_json(s3: Any, bucket: str, key: str, text: str) -> None:
    """Put ``text`` at ``key`` as a JSON object."""
    s3.put_object(Bucket=bucket, Key=key, Body=text.encode(), ContentType="application/json")


def list_folders(s3: Any, bucket: str, prefix: str) -> list[str]:
    """Return the names of the folders directly under ``prefix`` (without the trailing ``/``)."""
    pages = s3.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, Prefix=prefix, Delimiter="/"
    )
    prefixes = [item["Prefix"] for page in pages for item in page.get("CommonPrefixes", ())]
    return [folder[len(prefix) :].rstrip("/") for folder in prefixes]


def read_object_head(s3: Any, bucket: str, key: str, max_bytes: int) -> ObjectHead:
    """Read at most ``max_bytes`` from the start of an object and decode them as text.

    A ``.gz`` object is gunzipped as far as the bytes read go, and the decompressed text is
    capped at ``max_bytes`` too, so memory stays bounded whatever the compression ratio.

    Raises:
        SourceError: When a ``.gz`` object is not gzip data.
    """
    try:
        response = s3.get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{max_bytes - 1}")
    except ClientError as error:
        # S3 answers a ranged GET of an empty object with 416 InvalidRange.
        if error.response.get("Error", {}).get("Code") == "InvalidRange":
            return ObjectHead(text="", truncated=False)
        raise
    data = response["Body"].read()
    truncated = _object_size(response) > len(data)
    if key.endswith(GZIP_SUFFIX):
        inflater = zlib.decompressobj(_GZIP_WBITS)
        try:
            data = inflater.decompress(data, max_bytes)
        except zlib.error as error:
            raise SourceError(
                f"s3://{bucket}/{key} is not a valid gzip file ({error}); "
                "compress it with gzip or drop the .gz suffix, then land it again"
            ) from error
        truncated = truncated or not inflater.eof or bool(inflater.unused_data)
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    return ObjectHead(text=decoder.decode(data, final=not truncated), truncated=truncated)


def _object_size(response: dict[str, Any]) -> int:
    """Total size of an object from a (possibly ranged) GET response."""
    content_range = response.get("ContentRange")
    if content_range:
        return int(content_range.rsplit("/", 1)[1])
    return int(response["ContentLength"])


@contextmanager
def translate_aws_errors(settings: Settings, action: str) -> Iterator[None]:
    """Turn an unreachable AWS endpoint or a missing raw bucket into a :class:`ServiceError`.

    Args:
        settings: Settings naming the endpoint and the raw bucket.
        action: What was being done, for the message (e.g. ``"landing source files"``).
    """
    where = settings.aws_endpoint_url or f"AWS region {settings.region}"
    try:
        yield
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "NoSuchBucket":
            raise
        raise ServiceError(
            f"{action}: raw bucket {settings.raw_bucket!r} does not exist at {where}; "
            "start the stack with `lakehouse up` (or create the bucket on the aws profile)"
        ) from error
    except BotoCoreError as error:
        raise ServiceError(
            f"{action}: cannot reach the AWS APIs at {where} ({error}); "
            "start the stack with `lakehouse up` or check AWS_ENDPOINT_URL"
        ) from error
