"""IAM on the emulator: a role's session may call only what its role allows, whoever calls.

The suite's emulator enforces IAM (``LAKEHOUSE_ENFORCE_IAM``, as `lakehouse up --enforce-iam`).
A role of the test's own may read one folder of a bucket and one Glue database, nothing else:
its session is refused the rest, the root test credentials are not, and a COPY that names the
role reads S3 as the role's session.
"""

import dataclasses
import json
import uuid
from collections.abc import Callable, Iterator

import pytest
from botocore.exceptions import ClientError

from lakehouse.config import Settings, load_settings
from lakehouse.emulator.role_sessions import RoleSessions
from lakehouse.resources.aws import make_client
from lakehouse.stack.provision import create_bucket
from tests.helpers.redshift import redshift_cluster
from tests.integration.emulator.test_redshift_data_api_on_emulator import run

pytestmark = pytest.mark.integration
OBJECTS = {"readable/a.json": b'{"v": "a"}\n', "private/b.json": b'{"v": "b"}\n'}


@pytest.fixture
def bucket(stack: Settings) -> Iterator[str]:
    """A bucket of the test's own with one object in each of two folders; removed after."""
    name, s3 = f"iam-{uuid.uuid4().hex[:8]}", make_client(stack, "s3")
    create_bucket(s3, name, stack.region)
    for key, body in OBJECTS.items():
        s3.put_object(Bucket=name, Key=key, Body=body)
    yield name
    for key in s3.list_objects_v2(Bucket=name).get("Contents", []):
        s3.delete_object(Bucket=name, Key=key["Key"])
    s3.delete_bucket(Bucket=name)


@pytest.fixture
def role(stack: Settings, bucket: str) -> Iterator[str]:
    """A role that may list and read ``readable/`` of ``bucket`` and get one database; its ARN."""
    iam, name = make_client(stack, "iam"), f"reader-{uuid.uuid4().hex[:8]}"
    trust = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=policy(trust))["Role"]["Arn"]
    readable = {"StringLike": {"s3:prefix": "readable/*"}}
    iam.put_role_policy(
        RoleName=name,
        PolicyName="read",
        PolicyDocument=policy(
            allow("s3:GetObject", f"arn:aws:s3:::{bucket}/readable/*"),
            allow("s3:ListBucket", f"arn:aws:s3:::{bucket}", Condition=readable),
            allow("glue:GetDatabase", "*"),
        ),
    )
    yield arn
    iam.delete_role_policy(RoleName=name, PolicyName="read")
    iam.delete_role(RoleName=name)


def allow(action: str, resource: str, **more: object) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **more}


def policy(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def as_role(stack: Settings, role: str) -> Settings:
    """``stack`` calling as a new session of ``role`` (STS AssumeRole, as root)."""
    sessions = RoleSessions(stack.aws_endpoint_url or "", enforce_iam=True)
    session = load_settings(sessions.env(stack.region, role, "test")).role_session
    return dataclasses.replace(stack, role_session=session)


def error_code(call: Callable[[], object]) -> str:
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response["Error"]["Code"]


def test_a_role_session_may_call_only_what_its_role_allows(stack, bucket, role) -> None:
    s3, glue = (make_client(as_role(stack, role), service) for service in ("s3", "glue"))

    assert (
        s3.get_object(Bucket=bucket, Key="readable/a.json")["Body"].read()
        == OBJECTS["readable/a.json"]
    )
    assert len(s3.list_objects_v2(Bucket=bucket, Prefix="readable/")["Contents"]) == 1
    assert glue.get_database(Name=stack.glue_database)["Database"]["Name"] == stack.glue_database
    denied = {
        "read another folder": lambda: s3.get_object(Bucket=bucket, Key="private/b.json"),
        "write": lambda: s3.put_object(Bucket=bucket, Key="readable/c.json", Body=b"{}"),
        "list the whole bucket": lambda: s3.list_objects_v2(Bucket=bucket),
        "list tables": lambda: glue.get_tables(DatabaseName=stack.glue_database),
    }
    codes = {name: error_code(call) for name, call in denied.items()}

    assert codes == {
        **dict.fromkeys(list(denied)[:3], "AccessDenied"),
        "list tables": "AccessDeniedException",
    }
    # the root test credentials stay unrestricted
    assert make_client(stack, "s3").get_object(Bucket=bucket, Key="private/b.json")["Body"].read()


def test_a_copy_reads_s3_as_a_session_of_the_role_it_names(stack, bucket, role) -> None:
    client = make_client(stack, "redshift-data")

    def copy(folder: str) -> str:
        return f"copy t from 's3://{bucket}/{folder}/' iam_role '{role}' format as json 'auto'"

    with redshift_cluster(stack) as target:
        allowed = run(client, target, "create table t (v varchar(5))", copy("readable"))
        refused = run(client, target, copy("private"))

    assert allowed["Status"] == "FINISHED", allowed.get("Error")
    assert allowed["SubStatements"][1]["ResultRows"] == 1
    assert refused["Status"] == "FAILED"
    assert "AccessDenied" in refused["Error"]


def test_a_sessions_key_with_another_token_is_refused_not_taken_for_root(stack, bucket, role):
    session = as_role(stack, role)
    credentials = session.role_session
    assert credentials is not None
    forged = dataclasses.replace(
        session, role_session=credentials._replace(session_token="not-its-token")
    )

    read = make_client(forged, "s3").get_object
    assert error_code(lambda: read(Bucket=bucket, Key="private/b.json")) == "AccessDenied"
