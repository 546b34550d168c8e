"""`lakehouse deploy` against the emulator: stacks, artifacts, Glue, secret, Data API, destroy.

moto creates from the templates the KMS key, buckets (with their encryption), IAM roles, VPC,
subnets, security groups, VPC endpoints, the provisioned Redshift cluster, log groups, the SNS
topic and the EventBridge rule; it skips bucket policies, alarms and Redshift Serverless (checked
statically in tests/unit/infra). The emulator's Data API runs the Redshift DDL on the stack's
PostgreSQL, in a database of the deployment's cluster.
"""

import dataclasses
import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from psycopg import sql

from lakehouse.config import Settings, load_settings
from lakehouse.deploy.plan import STACKS, DeployOptions, WarehouseKind
from lakehouse.deploy.run_deploy import DeployReport, deploy
from lakehouse.emulator.data_api import postgres_database
from lakehouse.emulator.role_sessions import RoleSessions
from lakehouse.errors import ServiceError
from lakehouse.resources.aws import make_client
from lakehouse.resources.warehouse import read_credentials
from lakehouse.schema import RAW_ENTITIES
from lakehouse.schema.raw import LOCATIONS
from lakehouse.warehouse.redshift_ddl import redshift_warehouse_ddl
from tests.helpers.cli import lakehouse

pytestmark = pytest.mark.integration


@dataclass
class Deployed:
    settings: Settings
    options: DeployOptions
    report: DeployReport
    env: dict[str, str]


@pytest.fixture(scope="module")
def deployed(stack: Settings, cli_env: dict[str, str]) -> Iterator[Deployed]:
    """One provisioned-cluster deployment with a prefix and a Glue database of its own.

    The database is not the suite stack's: `destroy` deletes the deployment's database. The
    PostgreSQL database that stands for its cluster's is dropped at the end.
    """
    prefix = f"t{uuid.uuid4().hex[:8]}"
    env = {**cli_env, "LAKEHOUSE_PROFILE": "aws", "LAKEHOUSE_GLUE_DATABASE": f"{prefix}_sales"}
    settings = load_settings(env)
    options = DeployOptions(prefix=prefix, warehouse_kind=WarehouseKind.PROVISIONED, poll_seconds=1)
    report = deploy(settings, options)
    yield Deployed(settings, options, report, env)
    with psycopg.connect(read_credentials(stack).dsn, autocommit=True) as connection:
        name = cluster_database(Deployed(settings, options, report, env))
        connection.execute(sql.SQL("drop database if exists {}").format(sql.Identifier(name)))


def cluster_database(deployed: Deployed) -> str:
    """The PostgreSQL database that stands for the deployed cluster's database."""
    database = deployed.report.stacks["warehouse"]["DatabaseName"]
    return postgres_database(deployed.options.warehouse_name, database)


def succeeded(env: dict[str, str], *args: str) -> str:
    """The output of `lakehouse ARGS...`, which must succeed."""
    done = lakehouse(env, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_every_stack_is_created_and_the_buckets_are_encrypted_with_the_deployments_key(deployed):
    cfn = make_client(deployed.settings, "cloudformation")
    for stack in STACKS:
        described = cfn.describe_stacks(StackName=deployed.options.stack_name(stack))["Stacks"][0]
        assert described["StackStatus"] in {"CREATE_COMPLETE", "UPDATE_COMPLETE"}
    storage = deployed.report.stacks["storage"]
    s3 = make_client(deployed.settings, "s3")
    for key in ("RawBucket", "CuratedBucket", "ArtifactsBucket"):
        rule = s3.get_bucket_encryption(Bucket=storage[key])["ServerSideEncryptionConfiguration"]
        default = rule["Rules"][0]["ApplyServerSideEncryptionByDefault"]
        assert (default["SSEAlgorithm"], default["KMSMasterKeyID"]) == (
            "aws:kms",
            storage["DataKeyArn"],
        )


def test_the_release_is_uploaded_to_the_artifacts_bucket(deployed):
    s3 = make_client(deployed.settings, "s3")
    bucket = deployed.report.stacks["storage"]["ArtifactsBucket"]
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="release/")["Contents"]}
    assert {
        "release/glue/glue_entry.py",
        "release/glue/spark_app.zip",
        "release/manifest.json",
    } <= keys
    assert any(key.endswith(".whl") for key in keys)


def test_what_mwaa_loads_is_under_airflow_where_the_airflow_role_reads_it(deployed):
    bucket = deployed.report.stacks["storage"]["ArtifactsBucket"]
    airflow_role = deployed.report.stacks["iam"]["AirflowRoleArn"]
    sessions = RoleSessions(deployed.settings.aws_endpoint_url or "", enforce_iam=True)
    session = load_settings(sessions.env(deployed.settings.region, airflow_role, "mwaa"))
    s3 = make_client(
        dataclasses.replace(deployed.settings, role_session=session.role_session), "s3"
    )

    def read(key: str) -> str:
        return s3.get_object(Bucket=bucket, Key=f"airflow/{key}")["Body"].read().decode()

    startup = read("startup.sh")
    assert "export LAKEHOUSE_PROFILE=aws" in startup
    assert (
        f"export LAKEHOUSE_RAW_BUCKET={deployed.report.stacks['storage']['RawBucket']}" in startup
    )
    assert "PASSWORD" not in startup.upper()
    assert "AWS_REGION" not in startup
    assert "deltalake" in read("requirements.txt")
    assert "def build_dag" in read("dags/sales_star_pipeline.py")
    assert read("dags/lakehouse/config.py")
    assert read("dags/warehouse_sql/ddl/010_create_schemas.sql")


def test_the_glue_job_runs_the_entry_script_on_glue_5_with_delta_and_the_lakes_buckets(deployed):
    glue = make_client(deployed.settings, "glue")
    job = glue.get_job(JobName=deployed.options.job_name)["Job"]
    storage, iam = deployed.report.stacks["storage"], deployed.report.stacks["iam"]
    artifacts = f"s3://{storage['ArtifactsBucket']}/release/glue"
    assert (job["Role"], job["GlueVersion"]) == (iam["GlueRoleArn"], "5.0")
    assert job["Command"]["ScriptLocation"] == f"{artifacts}/glue_entry.py"
    arguments = job["DefaultArguments"]
    assert arguments["--datalake-formats"] == "delta"
    assert arguments["--extra-py-files"] == f"{artifacts}/spark_app.zip"
    assert (arguments["--raw-bucket"], arguments["--curated-bucket"]) == (
        storage["RawBucket"],
        storage["CuratedBucket"],
    )
    assert arguments["--glue-database"] == deployed.settings.glue_database


def test_the_crawler_covers_each_raw_entity_into_the_database_without_a_schedule(deployed):
    glue, database = make_client(deployed.settings, "glue"), deployed.settings.glue_database
    crawler = glue.get_crawler(Name=deployed.options.crawler_name)["Crawler"]
    raw = deployed.report.stacks["storage"]["RawBucket"]
    assert crawler["DatabaseName"] == database
    assert crawler["Role"] == deployed.report.stacks["iam"]["GlueRoleArn"]
    assert [t["Path"] for t in crawler["Targets"]["S3Targets"]] == [
        f"s3://{raw}/{entity.name}/" for entity in RAW_ENTITIES
    ]
    assert "Schedule" not in crawler
    assert glue.get_database(Name=database)["Database"]["Name"] == database


def test_the_crawler_reads_all_text_raw_files_by_their_header_with_the_csv_classifier(deployed):
    glue, s3 = make_client(deployed.settings, "glue"), make_client(deployed.settings, "s3")
    options, raw = deployed.options, deployed.report.stacks["storage"]["RawBucket"]
    header = [column.name for column in LOCATIONS.columns]
    s3.put_object(
        Bucket=raw,
        Key="locations/ingest_date=2024-05-01/locations.csv",
        Body=",".join(header).encode() + b"\nL01,Main Street,Lyon,ARA,South,France\n",
    )

    glue.start_crawler(Name=options.crawler_name)
    crawler = wait_until_ready(glue, options.crawler_name)

    # Glue's built-in classifier would see no header in a file of text only (col0, col1, ...)
    assert crawler["LastCrawl"]["Status"] == "SUCCEEDED"
    table = glue.get_table(DatabaseName=deployed.settings.glue_database, Name="locations")
    assert [c["Name"] for c in table["Table"]["StorageDescriptor"]["Columns"]] == header
    assert crawler["Classifiers"] == [options.classifier_name]
    csv = glue.get_classifier(Name=options.classifier_name)["Classifier"]["CsvClassifier"]
    assert (csv["ContainsHeader"], csv["Delimiter"], csv["QuoteSymbol"]) == ("PRESENT", ",", '"')


def wait_until_ready(glue, name: str) -> dict:
    """The crawler once its run has ended (within 30 s)."""
    for _ in range(300):
        crawler = glue.get_crawler(Name=name)["Crawler"]
        if crawler["State"] == "READY":
            return crawler
        time.sleep(0.1)
    raise AssertionError(f"crawler {name} still {crawler['State']} after 30 s")


def test_the_admin_secret_holds_a_generated_password(deployed):
    secrets = make_client(deployed.settings, "secretsmanager")
    value = secrets.get_secret_value(SecretId=deployed.options.secret_name)
    credentials = json.loads(value["SecretString"])
    assert credentials["username"] == "lakehouse_admin"
    assert len(credentials["password"]) == 32
    assert not set("\"'\\/@ ") & set(credentials["password"])


def test_the_cluster_is_private_and_encrypted_and_5439_is_open_to_the_vpc_only(deployed):
    cluster = make_client(deployed.settings, "redshift").describe_clusters()["Clusters"]
    vpc = deployed.report.stacks["warehouse"]["VpcId"]
    ec2 = make_client(deployed.settings, "ec2")
    groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])
    redshift_rules = [
        rule
        for group in groups["SecurityGroups"]
        for rule in group["IpPermissions"]
        if rule.get("FromPort") == 5439
    ]
    assert any(c["Encrypted"] and not c["PubliclyAccessible"] for c in cluster)
    assert [r["CidrIp"] for rule in redshift_rules for r in rule["IpRanges"]] == ["10.42.0.0/16"]


def test_the_ddl_runs_through_the_data_api_one_statement_at_a_time_in_order(deployed, stack):
    client = make_client(deployed.settings, "redshift-data")
    sent = [client.describe_statement(Id=i) for i in deployed.report.statement_ids]
    assert [s["QueryString"] for s in sent] == redshift_warehouse_ddl()
    secret_arn = make_client(deployed.settings, "secretsmanager").describe_secret(
        SecretId=deployed.options.secret_name
    )["ARN"]
    for statement in sent:
        assert statement["ClusterIdentifier"] == deployed.options.warehouse_name
        assert (statement["Database"], statement["SecretArn"]) == ("salesdb", secret_arn)
        assert statement["Status"] == "FINISHED"
    # the emulator ran them: the star's and the audit's tables are in the cluster's database
    login = dataclasses.replace(read_credentials(stack), dbname=cluster_database(deployed))
    with psycopg.connect(login.dsn) as connection:
        tables = connection.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
            " where table_schema in ('star', 'audit')"
        ).fetchall()
    assert {"star.sales_fact", "audit.pipeline_runs"} <= {name for (name,) in tables}


def test_log_groups_keep_their_logs_for_the_retention_days(deployed):
    logs = make_client(deployed.settings, "logs")
    groups = logs.describe_log_groups(logGroupNamePrefix=f"/lakehouse/{deployed.options.prefix}/")
    retention = {g["logGroupName"]: g.get("retentionInDays") for g in groups["logGroups"]}
    options = deployed.options
    assert retention == {options.glue_log_group: 30, options.pipeline_log_group: 30}


def test_deploying_again_from_the_cli_keeps_the_secret_and_prints_how_to_use_the_deployment(
    deployed,
):
    options, storage = deployed.options, deployed.report.stacks["storage"]
    secrets = make_client(deployed.settings, "secretsmanager")
    before = secrets.get_secret_value(SecretId=options.secret_name)["SecretString"]
    out = succeeded(
        deployed.env, "deploy", "--profile", "aws", "--stack-prefix", options.prefix,
        "--warehouse", "provisioned",
    )  # fmt: skip
    assert secrets.get_secret_value(SecretId=options.secret_name)["SecretString"] == before
    assert f"stack {options.stack_name('warehouse')}" in out
    assert f"export LAKEHOUSE_RAW_BUCKET={storage['RawBucket']}" in out
    assert f"airflow variables set lakehouse_glue_job {options.job_name}" in out
    assert f"Redshift DDL: {len(redshift_warehouse_ddl())} statements" in out
    # The Data API's target, for the CLI and for the DAG: the cluster, its database and secret.
    warehouse = deployed.report.stacks["warehouse"]
    assert f"export LAKEHOUSE_REDSHIFT_CLUSTER={warehouse['WarehouseName']}" in out
    assert f"export LAKEHOUSE_REDSHIFT_DATABASE={warehouse['DatabaseName']}" in out
    arn = secrets.describe_secret(SecretId=options.secret_name)["ARN"]
    assert f"export LAKEHOUSE_REDSHIFT_SECRET_ARN={arn}" in out
    role = deployed.report.stacks["iam"]["RedshiftRoleArn"]
    assert f"export LAKEHOUSE_REDSHIFT_IAM_ROLE={role}" in out
    assert f"airflow variables set lakehouse_redshift_iam_role {role}" in out
    assert f"airflow variables set lakehouse_redshift_cluster {warehouse['WarehouseName']}" in out
    assert "airflow variables set lakehouse_redshift_workgroup ''" in out


def test_the_aws_profiles_commands_find_the_deployment_its_environment_does_not_name(deployed):
    from lakehouse.deploy.discovery import deployment_env

    # as the contract's commands run: the profile, the endpoint and the stack prefix, no exports
    named = ("LAKEHOUSE_RAW_BUCKET", "LAKEHOUSE_CURATED_BUCKET")  # the suite's own, dropped
    env = {k: v for k, v in deployed.env.items() if k not in named}
    env["LAKEHOUSE_STACK_PREFIX"] = deployed.options.prefix
    out = succeeded(env, "env")
    found = deployment_env(deployed.settings, deployed.options.prefix)

    assert found == {
        **deployed.report.env,
        **{f"AIRFLOW_VAR_{k.upper()}": v for k, v in deployed.report.airflow_variables.items()},
    }
    for name in (
        "LAKEHOUSE_RAW_BUCKET",
        "LAKEHOUSE_REDSHIFT_CLUSTER",
        "LAKEHOUSE_REDSHIFT_SECRET_ARN",
    ):
        assert f"export {name}={deployed.report.env[name]}" in out
    assert deployment_env(deployed.settings, "nodeployment") == {}


def test_dry_run_prints_each_stacks_change_set_and_the_ddl_and_changes_nothing(deployed):
    options = deployed.options
    cfn = make_client(deployed.settings, "cloudformation")
    before = cfn.describe_stacks(StackName=options.stack_name("iam"))["Stacks"][0]
    out = succeeded(
        deployed.env, "deploy", "--profile", "aws", "--stack-prefix", options.prefix,
        "--warehouse", "provisioned", "--dry-run",
    )  # fmt: skip
    for stack in STACKS:
        assert f"update stack {options.stack_name(stack)}:" in out
    assert f"secret {options.secret_name}: exists, kept" in out
    assert "create materialized view star.mv_product_performance as" in out
    assert cfn.describe_stacks(StackName=options.stack_name("iam"))["Stacks"][0] == before
    assert not cfn.list_change_sets(StackName=options.stack_name("iam"))["Summaries"]


def test_destroy_keeps_the_storage_stack_and_deploying_again_finds_the_lake_where_it_was(deployed):
    settings, options = deployed.settings, deployed.options
    raw, key = deployed.report.stacks["storage"]["RawBucket"], "sales/ingest_date=2024-05-01/a.csv"
    s3 = make_client(settings, "s3")
    s3.put_object(Bucket=raw, Key=key, Body=b"sale_id\nS1\n")

    done = lakehouse(
        deployed.env, "destroy", "--profile", "aws", "--stack-prefix", options.prefix, "--yes"
    )  # fmt: skip
    again = deploy(settings, options)

    assert f"kept stack {options.stack_name('storage')} with buckets" in done.stdout + done.stderr
    assert again.stacks["storage"] == deployed.report.stacks["storage"]
    assert s3.get_object(Bucket=raw, Key=key)["Body"].read() == b"sale_id\nS1\n"
    glue = make_client(settings, "glue")
    assert glue.get_crawler(Name=options.crawler_name)["Crawler"]["Classifiers"]


def test_a_deploy_refuses_bucket_names_held_outside_its_storage_stack(cli_env):
    settings = load_settings({**cli_env, "LAKEHOUSE_PROFILE": "aws"})
    options = DeployOptions(prefix=f"t{uuid.uuid4().hex[:8]}", poll_seconds=1)
    s3, cfn = make_client(settings, "s3"), make_client(settings, "cloudformation")
    orphan = options.bucket_names("123456789012", settings.region)[1]
    s3.create_bucket(Bucket=orphan)

    with pytest.raises(ServiceError, match=f"outside stack {options.prefix}-storage") as refused:
        deploy(settings, options)

    s3.delete_bucket(Bucket=orphan)
    assert orphan in str(refused.value)
    live = {described["StackName"] for described in cfn.describe_stacks()["Stacks"]}
    assert options.stack_name("storage") not in live


def test_destroy_removes_the_deployment_its_warehouses_data_and_names_what_it_cannot_delete(
    deployed, stack
):
    settings, options = deployed.settings, deployed.options
    command = ["destroy", "--profile", "aws", "--stack-prefix", options.prefix, "--delete-data"]
    done = lakehouse(deployed.env, *command, "--yes")

    # moto's CloudFormation cannot delete the VPC it made (it leaves the endpoints, then forgets
    # the stack); AWS deletes the whole stack. Everything else goes, the cluster's databases on
    # PostgreSQL included, and the error names the stack in one line.
    warehouse = options.stack_name("warehouse")
    assert done.returncode == 1
    assert f"cannot delete stack {warehouse}" in done.stderr
    assert "Traceback" not in done.stderr
    live = {
        s["StackName"] for s in make_client(settings, "cloudformation").describe_stacks()["Stacks"]
    }
    assert not {options.stack_name(stack) for stack in STACKS} & live
    with psycopg.connect(read_credentials(stack).dsn) as connection:
        databases = {name for (name,) in connection.execute("select datname from pg_database")}
    assert cluster_database(deployed) not in databases
    buckets = {b["Name"] for b in make_client(settings, "s3").list_buckets()["Buckets"]}
    assert deployed.report.stacks["storage"]["RawBucket"] not in buckets
    secret = make_client(settings, "secretsmanager").describe_secret(SecretId=options.secret_name)
    assert "DeletedDate" in secret
    glue = make_client(settings, "glue")
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_job(JobName=options.job_name)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_database(Name=settings.glue_database)
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_classifier(Name=options.classifier_name)
    # the suite stack's own catalog is not the deployment's, and stays
    assert glue.get_database(Name=stack.glue_database)["Database"]["Name"] == stack.glue_database
    # and a second destroy finds nothing left to remove (the secret's deletion is scheduled)
    again = lakehouse(deployed.env, *command, "--yes")
    assert again.returncode == 0, again.stderr
