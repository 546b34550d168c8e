"""The CloudFormation templates in infra/: cfn-lint clean, least privilege, encrypted, private.

cfn-lint is imported where it is used: its import takes a second, which every pytest-xdist worker
would pay to collect this module.
"""

from collections.abc import Iterator
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import pytest

from lakehouse.deploy.parameters import parameters_for
from lakehouse.deploy.plan import MWAA_STACK, STACKS, DeployOptions
from lakehouse.deploy.stacks import TEMPLATES
from tests.helpers.role_policy import allows, role_statements, statements

TEMPLATE_PATHS = sorted(TEMPLATES.glob("*.yaml"))
#: A CloudWatch alarm's ARN without its name, as a template's ``!Sub`` spells it.
ALARM_ARN = "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:"
#: Outputs of every upstream stack, as the deploy passes them on.
UPSTREAM = {
    "storage": {
        "RawBucket": "r",
        "CuratedBucket": "c",
        "ArtifactsBucket": "a",
        "LogsBucket": "l",
        "DataKeyArn": "k",
    },
    "iam": {"GlueRoleArn": "g", "RedshiftRoleArn": "rs", "AirflowRoleArn": "af"},
    "warehouse": {
        "VpcId": "vpc-1",
        "VpcCidr": "10.0.0.0/16",
        "PrivateSubnetIds": "subnet-a,subnet-b",
        "EndpointSecurityGroupId": "sg-1",
        "WarehouseName": "lakehouse-warehouse",
        "DatabaseName": "dev",
    },
}


def load(path: Path) -> dict[str, Any]:
    from cfnlint.decode import decode

    template, matches = decode(str(path))
    assert not matches, matches
    return template


def resources(kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(logical id, properties)`` of every resource of type ``kind`` in every template."""
    for path in TEMPLATE_PATHS:
        for name, resource in load(path)["Resources"].items():
            if resource["Type"] == kind:
                yield name, resource.get("Properties", {})


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_there_is_one_template_per_stack_of_the_deploy():
    assert sorted(p.stem for p in TEMPLATE_PATHS) == sorted([*STACKS, MWAA_STACK])


@pytest.mark.parametrize("path", TEMPLATE_PATHS, ids=lambda p: p.name)
def test_cfn_lint_finds_nothing(path):
    from cfnlint.api import lint_file

    assert [str(match) for match in lint_file(path)] == []


def test_no_allow_statement_grants_every_action_on_every_resource():
    broad = [
        s
        for path in TEMPLATE_PATHS
        for s in statements(load(path)["Resources"])
        if s["Effect"] == "Allow"
        and "*" in as_list(s.get("Action"))
        and "*" in as_list(s.get("Resource", "*"))
    ]
    assert broad == []


def test_every_allow_on_every_resource_is_one_that_has_no_resource_level_permission():
    unscoped = {
        action
        for path in TEMPLATE_PATHS
        for s in statements(load(path)["Resources"])
        if s["Effect"] == "Allow" and s.get("Resource") == "*" and "Principal" not in s
        for action in as_list(s["Action"])
    }
    assert unscoped == {
        "cloudwatch:PutMetricData",
        "redshift-data:DescribeStatement",
        "redshift-data:GetStatementResult",
        "redshift-data:CancelStatement",
        "redshift-data:ListStatements",
    }


def test_every_bucket_is_encrypted_blocks_public_access_is_versioned_and_logged():
    buckets = dict(resources("AWS::S3::Bucket"))
    assert set(buckets) == {"LogsBucket", "RawBucket", "CuratedBucket", "ArtifactsBucket"}
    for name, bucket in buckets.items():
        encryption = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert encryption[0]["ServerSideEncryptionByDefault"]["SSEAlgorithm"], name
        assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}, name
        assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}, name
        if name != "LogsBucket":
            assert bucket["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": "LogsBucket"}


def test_every_bucket_policy_denies_plain_http():
    policies = dict(resources("AWS::S3::BucketPolicy"))
    assert {p["Bucket"]["Ref"] for p in policies.values()} == {
        "LogsBucket",
        "RawBucket",
        "CuratedBucket",
        "ArtifactsBucket",
    }
    for policy in policies.values():
        deny = [s for s in policy["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
        assert deny[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_the_redshift_port_is_open_to_the_vpc_only_and_nothing_to_the_internet():
    rules = [
        rule
        for _, group in resources("AWS::EC2::SecurityGroup")
        for rule in group.get("SecurityGroupIngress", [])
    ]
    assert all(rule["CidrIp"] == {"Ref": "VpcCidr"} for rule in rules)
    assert [r["FromPort"] for r in rules if r["FromPort"] <= 5439 <= r["ToPort"]] == [5439]
    assert not [r for r in rules if "0.0.0.0/0" in str(r) or "::/0" in str(r)]


def test_redshift_is_private_encrypted_and_reads_its_password_from_secrets_manager():
    (_, cluster), (_, namespace), (_, workgroup) = (
        *resources("AWS::Redshift::Cluster"),
        *resources("AWS::RedshiftServerless::Namespace"),
        *resources("AWS::RedshiftServerless::Workgroup"),
    )
    assert (cluster["Encrypted"], cluster["PubliclyAccessible"]) == (True, False)
    assert workgroup["PubliclyAccessible"] is False
    for password in (cluster["MasterUserPassword"], namespace["AdminUserPassword"]):
        assert password["Fn::Sub"].startswith("{{resolve:secretsmanager:${AdminSecretArn}")


def test_the_crawler_is_left_to_airflow_and_the_alarms_watch_the_job_and_the_dag():
    alarms = {props["Namespace"]: props for _, props in resources("AWS::CloudWatch::Alarm")}
    assert alarms["Lakehouse/Pipeline"]["MetricName"] == "Runs"
    assert alarms["Lakehouse/Pipeline"]["Dimensions"] == [{"Name": "Outcome", "Value": "failed"}]
    assert alarms["AWS/Events"]["Dimensions"][0]["Value"] == {"Ref": "GlueJobFailedRule"}
    for _, group in resources("AWS::Logs::LogGroup"):
        assert group["RetentionInDays"] == {"Ref": "RetentionDays"}


def test_every_alarm_may_publish_to_the_topic_it_notifies():
    # A topic policy replaces SNS's default one: without a statement for CloudWatch, alarms fire
    # and their notifications are refused. ARNs are compared as the templates spell them.
    policies = {
        topic["Ref"]: props["PolicyDocument"]
        for _, props in resources("AWS::SNS::TopicPolicy")
        for topic in props["Topics"]
    }
    alarms = list(resources("AWS::CloudWatch::Alarm"))
    assert alarms
    for name, alarm in alarms:
        arn = ALARM_ARN + alarm["AlarmName"]["Fn::Sub"]
        for action in alarm["AlarmActions"]:
            admitted = [
                statement["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Sub"]
                for statement in statements(policies[action["Ref"]])
                if statement["Effect"] == "Allow"
                and statement["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
                and statement["Action"] == "sns:Publish"
            ]
            assert any(fnmatchcase(arn, pattern) for pattern in admitted), name


@pytest.mark.parametrize("stack", [*STACKS, MWAA_STACK])
def test_the_deploy_passes_every_parameter_a_template_needs_and_no_other(stack):
    template = load(TEMPLATES / f"{stack}.yaml")
    secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:x"
    given = parameters_for(stack, DeployOptions(), "sales", UPSTREAM, secret)
    declared = template["Parameters"]
    required = {name for name, spec in declared.items() if "Default" not in spec}
    assert required <= set(given) <= set(declared)


def test_the_warehouse_name_output_is_the_name_the_deploy_gives_the_data_api():
    output = load(TEMPLATES / "warehouse.yaml")["Outputs"]["WarehouseName"]["Value"]
    assert output == {"Fn::Sub": "${Prefix}-warehouse"}
    assert DeployOptions(prefix="acme").warehouse_name == "acme-warehouse"


#: What each component calls as its role, with the deploy's default names ("r", "c" and "a" are
#: the raw, curated and artifacts buckets, "k" the key), by role and by what it does.
TABLE = "arn:aws:glue:us-east-1:111122223333:table/sales/locations"
GLUE_CATALOG = (
    "arn:aws:glue:us-east-1:111122223333:catalog",
    "arn:aws:glue:us-east-1:111122223333:database/sales",
    TABLE,
)
DELTA_LOG = "arn:aws:s3:::c/sales_fact/_delta_log/00000000000000000003.json"
ROLE_CALLS = {
    ("AirflowRole", "validate_catalog reads each table and its partition"): [
        (action, resource)
        for action in ("glue:GetTable", "glue:GetPartition")
        for resource in GLUE_CATALOG
    ],
    ("AirflowRole", "the run's outcome is written on each raw table"): [
        ("glue:UpdateTable", resource) for resource in GLUE_CATALOG
    ],
    ("AirflowRole", "the Glue job's operator (verbose) follows the run's logs"): [
        ("logs:FilterLogEvents", f"arn:aws:logs:us-east-1:111122223333:log-group:{group}:*")
        for group in ("/aws-glue/jobs/output", "/aws-glue/jobs/error")
    ],
    ("AirflowRole", "the history check reads the curated zone's Delta logs"): [
        ("s3:ListBucket", "arn:aws:s3:::c"),
        ("s3:GetObject", DELTA_LOG),
        ("kms:Decrypt", "k"),
    ],
    ("AirflowRole", "the warehouse suite publishes its Data Docs to the curated bucket"): [
        ("s3:PutObject", "arn:aws:s3:::c/_data_docs/index.html"),
        ("kms:GenerateDataKey", "k"),
    ],
    ("AirflowRole", "create_schema runs the Redshift DDL through the Data API"): [
        (
            "redshift-data:ExecuteStatement",
            "arn:aws:redshift:us-east-1:111122223333:cluster:lakehouse-warehouse",
        ),
        (
            "redshift-data:ExecuteStatement",
            "arn:aws:redshift-serverless:us-east-1:111122223333:workgroup/0a1b2c3d",
        ),
        ("redshift-data:DescribeStatement", "*"),
        ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:123456789012:secret:x"),
    ],
    ("GlueRole", "the job's curated suites publish their Data Docs"): [
        ("s3:ListBucket", "arn:aws:s3:::c"),
        ("s3:PutObject", "arn:aws:s3:::c/_data_docs/index.html"),
        ("kms:GenerateDataKey", "k"),
    ],
    ("GlueRole", "the job reads its entry script and library"): [
        ("s3:GetObject", "arn:aws:s3:::a/release/glue/glue_entry.py"),
        ("s3:GetObject", "arn:aws:s3:::a/release/glue/spark_app.zip"),
    ],
    ("GlueRole", "the crawler and the job read the raw partitions"): [
        ("s3:ListBucket", "arn:aws:s3:::r"),
        ("s3:GetObject", "arn:aws:s3:::r/sales/ingest_date=2024-06-30/sales.csv"),
        ("kms:Decrypt", "k"),
    ],
    ("GlueRole", "the crawler registers tables and partitions"): [
        (action, resource)
        for action in (
            "glue:GetTable",
            "glue:CreateTable",
            "glue:UpdateTable",
            "glue:GetPartitions",
            "glue:BatchCreatePartition",
            "glue:UpdatePartition",
        )
        for resource in GLUE_CATALOG
    ],
    ("GlueRole", "the job quarantines rows and publishes tables and manifests"): [
        ("s3:PutObject", "arn:aws:s3:::r/_quarantine/sales/run_id=1/part-0.json"),
        ("s3:PutObject", DELTA_LOG),
        ("s3:PutObject", "arn:aws:s3:::c/_copy_manifests/sales_fact.manifest"),
        ("s3:DeleteObject", "arn:aws:s3:::c/_copy_snapshots/sales_fact/part-0.parquet"),
        ("kms:GenerateDataKey", "k"),
    ],
    ("GlueRole", "the job writes its logs"): [
        (
            "logs:PutLogEvents",
            "arn:aws:logs:us-east-1:111122223333:log-group:/aws-glue/jobs/output",
        ),
    ],
    ("RedshiftRole", "COPY reads the manifests and their Parquet files"): [
        ("s3:ListBucket", "arn:aws:s3:::c"),
        ("s3:GetObject", "arn:aws:s3:::c/_copy_manifests/sales_fact.manifest"),
        ("s3:GetObject", "arn:aws:s3:::c/_copy_snapshots/sales_fact/part-0.parquet"),
        ("kms:Decrypt", "k"),
    ],
    ("RedshiftRole", "COPY reads the run's quarantine records"): [
        ("s3:ListBucket", "arn:aws:s3:::r"),
        ("s3:GetObject", "arn:aws:s3:::r/_quarantine/sales/run_id=1/part-0.json"),
    ],
}


@pytest.mark.parametrize(("role", "does"), ROLE_CALLS, ids=lambda part: part)
def test_each_role_allows_what_its_component_calls(role, does):
    secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:x"
    parameters = parameters_for("iam", DeployOptions(), "sales", UPSTREAM, secret) or {}
    statements = role_statements(load(TEMPLATES / "iam.yaml"), role, parameters)

    refused = [call for call in ROLE_CALLS[role, does] if not allows(statements, *call)]

    assert refused == [], does


def test_the_deploy_knows_the_names_the_storage_stack_gives_its_buckets():
    values = {
        "${Prefix}": "acme",
        "${AWS::AccountId}": "111122223333",
        "${AWS::Region}": "eu-west-1",
    }
    named = set()
    for _, bucket in resources("AWS::S3::Bucket"):
        name = bucket["BucketName"]["Fn::Sub"]
        for variable, value in values.items():
            name = name.replace(variable, value)
        named.add(name)

    assert named == set(DeployOptions(prefix="acme").bucket_names("111122223333", "eu-west-1"))


def test_the_mwaa_environment_loads_the_airflow_bundle_as_the_airflow_role_privately():
    from lakehouse.deploy.artifacts import AIRFLOW_ARTIFACTS

    options = DeployOptions(prefix="acme", mwaa=True)
    environment = load(TEMPLATES / "mwaa.yaml")["Resources"]["Environment"]["Properties"]
    given = parameters_for(MWAA_STACK, options, "sales", UPSTREAM, "secret")
    iam = parameters_for("iam", options, "sales", UPSTREAM, "secret")

    assert {name: given[name] for name in ("DagS3Path", "RequirementsS3Path")} == {
        "DagS3Path": AIRFLOW_ARTIFACTS.dags,
        "RequirementsS3Path": AIRFLOW_ARTIFACTS.requirements,
    }
    assert given["StartupScriptS3Path"] == AIRFLOW_ARTIFACTS.startup_script
    assert environment["ExecutionRoleArn"] == {"Ref": "AirflowRoleArn"}
    assert given["AirflowRoleArn"] == UPSTREAM["iam"]["AirflowRoleArn"]
    assert environment["WebserverAccessMode"] == "PRIVATE_ONLY"
    # the Airflow role's log groups and queues are those of this environment
    assert given["EnvironmentName"] == iam["MwaaEnvironmentName"] == "acme-airflow"


def test_the_mwaa_subnets_reach_every_service_the_environment_and_the_dag_call_by_endpoints():
    endpoints = {
        properties["ServiceName"]["Fn::Sub"].rsplit(".", 1)[-1]
        for _, properties in resources("AWS::EC2::VPCEndpoint")
    }
    dotted = {
        properties["ServiceName"]["Fn::Sub"].split("${AWS::Region}.", 1)[1]
        for _, properties in resources("AWS::EC2::VPCEndpoint")
    }

    assert {"s3", "glue", "sqs", "logs", "monitoring", "kms", "sts", "secretsmanager"} <= endpoints
    assert {
        "airflow.api",
        "airflow.env",
        "airflow.ops",
        "ecr.api",
        "ecr.dkr",
        "redshift-data",
    } <= dotted
