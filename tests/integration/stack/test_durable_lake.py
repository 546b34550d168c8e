"""The local lake survives `lakehouse down`/`up` and a SIGKILL of the emulator (issue 15).

A stack of the module's own holds objects (one uploaded in parts), a Glue table with a partition,
a secret, a bucket's encryption and a CloudWatch metric; after each restart every one of them
reads back the same. The last changes before each kill were never snapshotted: the journal alone
brings them back.
"""

import dataclasses
import hashlib
import io
import os
import shutil
from collections.abc import Iterator

import pytest

from lakehouse.config import Settings
from lakehouse.resources.aws import make_client
from lakehouse.stack.emulator_services import EmulatorService, S3ProxyService
from lakehouse.stack.manager import bring_down, bring_up
from tests.helpers.faults import kill_service, second_stack

pytestmark = [pytest.mark.integration, pytest.mark.embedded_stack]
BUCKET = "durable-lake"
PART = 5 * 1024 * 1024


@pytest.fixture(scope="module")
def own(settings: Settings) -> Iterator[Settings]:
    """A stack of this module's own on free ports with an encrypted bucket; removed at the end."""
    stack = second_stack(settings)
    stack = dataclasses.replace(stack, state_dir=stack.state_dir.with_name("test-durable-lake"))
    shutil.rmtree(stack.state_dir, ignore_errors=True)
    bring_up(stack)
    s3 = make_client(stack, "s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_encryption(
        Bucket=BUCKET,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    yield stack
    bring_down(stack)
    shutil.rmtree(stack.state_dir, ignore_errors=True)


def write_lake(stack: Settings, tag: str) -> None:
    """Objects, catalog entries, a secret and a metric named after ``tag``."""
    s3, glue = make_client(stack, "s3"), make_client(stack, "glue")
    s3.put_object(Bucket=BUCKET, Key=f"{tag}/small.csv", Body=b"id,name\n1,\xc3\xa9\n")
    s3.upload_fileobj(io.BytesIO(os.urandom(2 * PART + 7)), BUCKET, f"{tag}/parts.bin")
    glue.create_table(
        DatabaseName=stack.glue_database,
        TableInput={
            "Name": f"table_{tag}",
            "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "string"}]},
            "PartitionKeys": [{"Name": "ingest_date", "Type": "string"}],
        },
    )
    glue.create_partition(
        DatabaseName=stack.glue_database,
        TableName=f"table_{tag}",
        PartitionInput={"Values": ["2024-07-01"], "StorageDescriptor": {"Location": f"s3://{tag}"}},
    )
    make_client(stack, "secretsmanager").create_secret(Name=f"secret/{tag}", SecretString=tag)
    make_client(stack, "cloudwatch").put_metric_data(
        Namespace="durable", MetricData=[{"MetricName": tag, "Value": 1.0}]
    )


def read_lake(stack: Settings) -> dict:
    """Everything the lake holds that the tests wrote, in a comparable form."""
    s3, glue = make_client(stack, "s3"), make_client(stack, "glue")
    objects = {
        entry["Key"]: hashlib.sha256(
            s3.get_object(Bucket=BUCKET, Key=entry["Key"])["Body"].read()
        ).hexdigest()
        for entry in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    }
    tables = {
        table["Name"]: [
            partition["Values"]
            for partition in glue.get_partitions(
                DatabaseName=stack.glue_database, TableName=table["Name"]
            )["Partitions"]
        ]
        for table in glue.get_tables(DatabaseName=stack.glue_database)["TableList"]
    }
    secrets = make_client(stack, "secretsmanager")
    names = [entry["Name"] for entry in secrets.list_secrets()["SecretList"]]
    metrics = make_client(stack, "cloudwatch").list_metrics(Namespace="durable")["Metrics"]
    return {
        "objects": objects,
        "encryption": s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"],
        "tables": tables,
        "secrets": {
            name: secrets.get_secret_value(SecretId=name)["SecretString"] for name in names
        },
        "metrics": sorted(metric["MetricName"] for metric in metrics),
    }


def test_the_lake_survives_lakehouse_down_and_up(own):
    write_lake(own, "first")
    before = read_lake(own)

    assert bring_down(own) == ["postgres", "emulator", "s3proxy"]
    assert bring_up(own) == ["s3proxy", "emulator", "postgres"]
    assert read_lake(own) == before
    assert len(before["objects"]) == 2


def test_the_lake_survives_a_sigkill_of_the_emulator_and_s3proxy(own):
    write_lake(own, "second")  # journaled only: no snapshot since the last start
    before = read_lake(own)

    kill_service(EmulatorService(), own)
    kill_service(S3ProxyService(), own)

    assert bring_up(own) == ["s3proxy", "emulator"]
    assert read_lake(own) == before
    assert sorted(before["tables"]) == ["table_first", "table_second"]
