import json

import pytest

from lakehouse.emulator.iam_policies import allows

READ_RAW = {
    "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::raw/*"},
        {
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": "arn:aws:s3:::raw",
            "Condition": {"StringLike": {"s3:prefix": "_quarantine/*"}},
        },
        {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::raw/secret/*"},
    ]
}


@pytest.mark.parametrize(
    ("action", "resource", "context", "allowed"),
    [
        ("s3:GetObject", "arn:aws:s3:::raw/sales/a.csv", {}, True),
        ("S3:getobject", "arn:aws:s3:::raw/sales/a.csv", {}, True),  # actions ignore case
        ("s3:GetObject", "arn:aws:s3:::RAW/sales/a.csv", {}, False),  # resources do not
        ("s3:PutObject", "arn:aws:s3:::raw/sales/a.csv", {}, False),  # no Allow names it
        ("s3:GetObject", "arn:aws:s3:::curated/x", {}, False),
        ("s3:GetObject", "arn:aws:s3:::raw/secret/key", {}, False),  # an explicit Deny wins
        ("s3:ListBucket", "arn:aws:s3:::raw", {"s3:prefix": "_quarantine/d=1/"}, True),
        ("s3:ListBucket", "arn:aws:s3:::raw", {"s3:prefix": "sales/"}, False),
    ],
)
def test_an_action_is_allowed_by_an_allow_and_no_deny(action, resource, context, allowed):
    assert allows([READ_RAW], action, [resource], context) is allowed


def test_every_resource_a_request_touches_must_be_allowed():
    both = ["arn:aws:s3:::raw/a", "arn:aws:s3:::curated/a"]
    assert allows([READ_RAW], "s3:GetObject", both, {}) is False
    assert allows([READ_RAW], "s3:GetObject", both[:1], {}) is True


def test_unknown_resources_need_only_an_allow_of_the_action():
    assert allows([READ_RAW], "s3:GetObject", None, {}) is True
    assert allows([READ_RAW], "glue:GetTable", None, {}) is False


def test_json_documents_not_action_and_unknown_condition_keys():
    document = json.dumps(
        {
            "Statement": {
                "Effect": "Allow",
                "NotAction": "iam:*",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1"}},
            }
        }
    )
    assert allows([document], "glue:GetTable", ["arn:aws:glue:r:1:catalog"], {}) is True
    assert allows([document], "iam:PassRole", ["*"], {}) is False
    namespace = {"Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*"}
    namespace["Condition"] = {"StringEquals": {"cloudwatch:namespace": "Glue"}}
    metric = {"Statement": [namespace]}
    assert allows([metric], "cloudwatch:PutMetricData", None, {"cloudwatch:namespace": "Glue"})
    assert not allows([metric], "cloudwatch:PutMetricData", None, {"cloudwatch:namespace": "X"})
