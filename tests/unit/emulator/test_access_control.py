import io
import json

import pytest

from lakehouse.emulator.access_control import (
    Session,
    access_denied,
    request_scope,
    s3_scope,
)
from lakehouse.emulator.wsgi import credential_scope

AUTH = "AWS4-HMAC-SHA256 Credential=ASIAKEY/20261207/eu-west-1/{}/aws4_request, Signature=x"
SESSION = Session("123456789012", "eu-west-1", "arn:aws:sts::123456789012:assumed-role/r/s", [])


def s3_request(method: str, path: str, query: str = "", body: bytes = b"", **headers: str):
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }


@pytest.mark.parametrize(
    ("method", "path", "query", "expected"),
    [
        ("GET", "/raw/sales/a%20b.csv", "", [("s3:GetObject", ["arn:aws:s3:::raw/sales/a b.csv"])]),
        ("HEAD", "/raw/k", "", [("s3:GetObject", ["arn:aws:s3:::raw/k"])]),
        ("PUT", "/cur/k", "partNumber=1&uploadId=u", [("s3:PutObject", ["arn:aws:s3:::cur/k"])]),
        ("DELETE", "/cur/k", "", [("s3:DeleteObject", ["arn:aws:s3:::cur/k"])]),
        ("HEAD", "/cur", "", [("s3:ListBucket", ["arn:aws:s3:::cur"])]),
        ("GET", "/cur", "list-type=2&prefix=x%2F", [("s3:ListBucket", ["arn:aws:s3:::cur"])]),
        ("GET", "/cur", "versions", [("s3:ListBucketVersions", ["arn:aws:s3:::cur"])]),
    ],
)
def test_an_s3_request_is_its_action_on_its_bucket_or_object(method, path, query, expected):
    assert s3_scope(s3_request(method, path, query)).actions == expected


def test_a_listing_gives_its_prefix_a_copy_reads_its_source_a_batch_delete_each_key():
    listing = s3_scope(s3_request("GET", "/raw", "list-type=2&prefix=_quarantine%2F"))
    copy = s3_scope(s3_request("PUT", "/cur/new", x_amz_copy_source="/cur/old%20one"))
    keys = b"<Delete><Object><Key>a</Key></Object><Object><Key>b/c</Key></Object></Delete>"
    delete = s3_scope(s3_request("POST", "/cur", "delete", keys))

    assert listing.context == {"s3:prefix": "_quarantine/"}
    assert copy.actions[1] == ("s3:GetObject", ["arn:aws:s3:::cur/old one"])
    assert delete.actions == [("s3:DeleteObject", ["arn:aws:s3:::cur/a", "arn:aws:s3:::cur/b/c"])]


def json_request(target: str, fields: dict, signing_name: str) -> dict:
    body = json.dumps(fields).encode()
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "CONTENT_TYPE": "application/x-amz-json-1.1",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "HTTP_X_AMZ_TARGET": target,
        "HTTP_AUTHORIZATION": AUTH.format(signing_name),
    }


GLUE = "arn:aws:glue:eu-west-1:123456789012"


@pytest.mark.parametrize(
    ("target", "fields", "signing_name", "expected"),
    [
        (
            "AWSGlue.GetTable",
            {"DatabaseName": "sales", "Name": "orders"},
            "glue",
            (
                "glue:GetTable",
                [f"{GLUE}:catalog", f"{GLUE}:database/sales", f"{GLUE}:table/sales/orders"],
            ),
        ),
        (
            "AWSGlue.StartJobRun",
            {"JobName": "etl"},
            "glue",
            ("glue:StartJobRun", [f"{GLUE}:job/etl"]),
        ),
        (
            "AWSGlue.StartCrawler",
            {"Name": "raw"},
            "glue",
            ("glue:StartCrawler", [f"{GLUE}:crawler/raw"]),
        ),
        (
            "Logs_20140328.FilterLogEvents",
            {"logGroupName": "/aws-glue/jobs/output"},
            "logs",
            (
                "logs:FilterLogEvents",
                ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws-glue/jobs/output:*"],
            ),
        ),
        (
            "RedshiftData.ExecuteStatement",
            {"ClusterIdentifier": "p-warehouse", "SecretArn": "arn:s", "Sql": "select 1"},
            "redshift-data",
            (
                "redshift-data:ExecuteStatement",
                ["arn:aws:redshift:eu-west-1:123456789012:cluster:p-warehouse"],
            ),
        ),
        (
            "RedshiftData.DescribeStatement",
            {"Id": "1"},
            "redshift-data",
            ("redshift-data:DescribeStatement", None),
        ),
    ],
)
def test_other_services_are_their_action_on_the_resources_it_names(
    target, fields, signing_name, expected
):
    service = "glue" if signing_name == "glue" else signing_name
    scope = request_scope(
        service, signing_name, json_request(target, fields, signing_name), SESSION
    )
    assert scope.actions == [expected]


def test_the_credential_scope_comes_from_the_header_or_a_presigned_query():
    assert credential_scope({"HTTP_AUTHORIZATION": AUTH.format("s3")}) == (
        "ASIAKEY",
        "eu-west-1",
        "s3",
    )
    query = "X-Amz-Credential=ASIAKEY%2F20261207%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=x"
    assert credential_scope({"QUERY_STRING": query}) == ("ASIAKEY", "us-east-1", "s3")
    assert credential_scope({}) is None


def test_a_denial_is_rendered_in_the_requests_protocol():
    answered = []

    def start_response(status, headers):
        answered.append((status, dict(headers)))

    as_json = b"".join(
        access_denied({"HTTP_X_AMZ_TARGET": "AWSGlue.GetTable"}, "no", start_response)
    )
    as_xml = b"".join(access_denied({"PATH_INFO": "/raw/k"}, "no", start_response))
    as_cbor = b"".join(
        access_denied({"PATH_INFO": "/service/X/operation/Put"}, "no", start_response)
    )

    assert json.loads(as_json) == {"__type": "AccessDeniedException", "message": "no"}
    assert b"<Code>AccessDenied</Code>" in as_xml
    assert as_cbor == b"\xa2\x66__type\x6cAccessDenied\x67message\x62no"
    assert [status[:3] for status, _ in answered] == ["400", "403", "403"]


def test_a_statement_without_a_secret_also_takes_the_call_for_its_temporary_credentials():
    redshift = "arn:aws:redshift:eu-west-1:123456789012"
    fields = {"ClusterIdentifier": "c", "Database": "dev", "Sql": "select 1"}

    def actions(extra: dict) -> list:
        request = json_request(
            "RedshiftData.ExecuteStatement", {**fields, **extra}, "redshift-data"
        )
        return request_scope("redshiftdata", "redshift-data", request, SESSION).actions[1:]

    assert actions({"SecretArn": "arn:aws:secretsmanager:eu-west-1:1:secret:s"}) == []
    assert actions({"DbUser": "analyst"}) == [
        (
            "redshift:GetClusterCredentials",
            [f"{redshift}:dbuser:c/analyst", f"{redshift}:dbname:c/dev"],
        )
    ]
    assert actions({}) == [("redshift:GetClusterCredentialsWithIAM", [f"{redshift}:dbname:c/dev"])]
