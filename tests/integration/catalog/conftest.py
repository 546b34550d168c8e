"""A raw bucket and Glue database of each test's own, so a crawl sees only that test's files."""

import dataclasses
import uuid
from collections.abc import Iterator

import pytest

from lakehouse.config import Settings
from lakehouse.ingest.raw_zone import list_keys
from lakehouse.resources.aws import make_client
from lakehouse.stack.provision import create_bucket, create_glue_database


@pytest.fixture
def lake(stack: Settings) -> Iterator[Settings]:
    """Settings of the test stack pointing at a fresh raw bucket and Glue database."""
    suffix = uuid.uuid4().hex[:8]
    settings = dataclasses.replace(
        stack, raw_bucket=f"{stack.raw_bucket}-crawl-{suffix}", glue_database=f"crawl_{suffix}"
    )
    s3, glue = make_client(settings, "s3"), make_client(settings, "glue")
    create_bucket(s3, settings.raw_bucket, settings.region)
    create_glue_database(glue, settings.glue_database)
    yield settings
    for key in list_keys(s3, settings.raw_bucket, ""):
        s3.delete_object(Bucket=settings.raw_bucket, Key=key)
    s3.delete_bucket(Bucket=settings.raw_bucket)
    glue.delete_database(Name=settings.glue_database)
