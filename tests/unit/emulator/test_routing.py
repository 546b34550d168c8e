import pytest

from lakehouse.emulator.routing import Route, action_of, changes_state, route_s3


@pytest.mark.parametrize(
    ("method", "path", "query", "route"),
    [
        ("GET", "/", "", Route.OBJECTS),  # ListBuckets: s3proxy holds the buckets with data
        ("PUT", "/lake-raw", "", Route.BUCKET),  # CreateBucket: both
        ("DELETE", "/lake-raw", "", Route.BUCKET),  # DeleteBucket: both
        ("HEAD", "/lake-raw", "", Route.OBJECTS),  # HeadBucket
        ("GET", "/lake-raw", "list-type=2&prefix=sales%2F", Route.OBJECTS),  # ListObjectsV2
        ("POST", "/lake-raw", "delete", Route.OBJECTS),  # DeleteObjects
        ("PUT", "/lake-raw", "encryption", Route.MOTO),  # PutBucketEncryption
        ("GET", "/lake-raw", "versioning", Route.MOTO),  # GetBucketVersioning
        ("PUT", "/lake-raw", "publicAccessBlock", Route.MOTO),
        ("PUT", "/lake-raw/a/b.csv", "", Route.OBJECTS),  # PutObject
        ("PUT", "/lake-raw/a/tagging", "", Route.OBJECTS),  # an object named like a subresource
        ("PUT", "/lake-raw/a", "tagging", Route.OBJECTS),  # PutObjectTagging: the object's
        ("POST", "/lake-raw/big", "uploads", Route.OBJECTS),  # CreateMultipartUpload
    ],
)
def test_route_s3_sends_objects_to_s3proxy_and_configuration_to_moto(method, path, query, route):
    assert route_s3(method, path, query) is route


@pytest.mark.parametrize(
    ("environ", "body", "action"),
    [
        ({"HTTP_X_AMZ_TARGET": "AWSGlue.CreateTable"}, b"{}", "CreateTable"),
        (
            {"PATH_INFO": "/service/GraniteServiceVersion20100801/operation/PutMetricData"},
            b"",
            "PutMetricData",
        ),  # CloudWatch's RPC v2 (CBOR)
        (
            {"CONTENT_TYPE": "application/x-www-form-urlencoded; charset=utf-8"},
            b"Action=CreateRole&Version=2010-05-08",
            "CreateRole",
        ),
        ({"QUERY_STRING": "Action=ListRoles"}, b"", "ListRoles"),
        ({"PATH_INFO": "/2015-03-31/functions"}, b"", None),  # a REST API: no action name
    ],
)
def test_action_of_reads_the_target_rpc_path_or_action_parameter(environ, body, action):
    assert action_of(environ, body) == action


@pytest.mark.parametrize(
    ("service", "method", "action", "journaled"),
    [
        ("glue", "POST", "CreateTable", True),
        ("glue", "POST", "BatchCreatePartition", True),
        ("glue", "POST", "GetTables", False),
        ("glue", "POST", "BatchGetPartition", False),
        ("secretsmanager", "POST", "PutSecretValue", True),
        ("cloudwatch", "POST", "GetMetricData", False),
        ("sts", "POST", "AssumeRole", False),  # temporary credentials do not outlive a restart
        ("s3", "PUT", None, True),  # bucket configuration
        ("s3", "GET", None, False),
    ],
)
def test_changes_state_journals_writes_and_skips_reads(service, method, action, journaled):
    assert changes_state(service, method, action) is journaled
