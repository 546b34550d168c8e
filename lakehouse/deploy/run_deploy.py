"""``lakehouse deploy``: stacks, secret, artifacts, Glue resources and the warehouse DDL, in order.

Every step is idempotent: deploying again updates what changed and leaves the rest. ``preview``
(``--dry-run``) shows the same plan and changes nothing.
"""

import dataclasses
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lakehouse.config import PROJECT_ROOT, RedshiftTarget, Settings, require_redshift
from lakehouse.deploy.admin_secret import ensure_admin_secret
from lakehouse.deploy.artifacts import upload_airflow, upload_release
from lakehouse.deploy.glue_resources import (
    classifier_definition,
    crawler_definition,
    ensure_classifier,
    ensure_crawler,
    ensure_database,
    ensure_job,
    job_definition,
)
from lakehouse.deploy.parameters import Outputs, mwaa_parameters, parameters_for
from lakehouse.deploy.plan import MWAA_STACK, STACKS, DeployOptions, WarehouseKind
from lakehouse.deploy.preflight import caller_account, check_bucket_names, check_region
from lakehouse.deploy.stacks import deploy_stack, describe_stack, preview_stack, stack_outputs
from lakehouse.release.manifest import Manifest
from lakehouse.release.package import build_release
from lakehouse.resources.aws import make_client
from lakehouse.warehouse.redshift_ddl import apply_redshift_ddl, redshift_warehouse_ddl


@dataclass
class DeployReport:
    """What a deployment created or found, and how to point the pipeline at it."""

    account: str
    region: str
    stacks: Outputs = field(default_factory=dict)
    resources: list[str] = field(default_factory=list)
    statement_ids: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    airflow_variables: dict[str, str] = field(default_factory=dict)


def deploy(settings: Settings, options: DeployOptions) -> DeployReport:
    """Deploy the whole pipeline to the account of the active credentials.

    Raises:
        ConfigError: No credentials, or an unknown region.
        ServiceError: A stack or a statement failed (with AWS's reason).
    """
    check_region(settings.region)
    report = DeployReport(caller_account(settings), settings.region)
    cfn = make_client(settings, "cloudformation")
    secret_arn = None
    for stack in STACKS:
        parameters = parameters_for(
            stack, options, settings.glue_database, report.stacks, secret_arn
        )
        name = options.stack_name(stack)
        if stack == "storage" and describe_stack(cfn, name) is None:
            check_bucket_names(settings, options, report.account)
        report.stacks[stack] = deploy_stack(cfn, name, stack, parameters, options.poll_seconds)
        report.resources.append(f"stack {name}")
        if stack == "storage":
            secrets = make_client(settings, "secretsmanager")
            kms_key = report.stacks["storage"]["DataKeyArn"]
            secret_arn = ensure_admin_secret(secrets, options.secret_name, kms_key)
            report.resources.append(f"secret {options.secret_name}")
    lake = lake_settings(settings, options, report.stacks, secret_arn)
    report.env = pipeline_env(lake)
    with tempfile.TemporaryDirectory() as scratch:
        dist = Path(scratch)
        manifest = build_release(PROJECT_ROOT, dist)
        report.resources += deploy_glue(lake, options, report.stacks, dist, manifest)
        report.resources.append(deploy_airflow_bundle(lake, report, dist, manifest))
    if options.mwaa:
        report.stacks[MWAA_STACK] = deploy_mwaa(cfn, options, report.stacks)
        report.resources.append(f"stack {options.stack_name(MWAA_STACK)}")
    report.statement_ids = apply_redshift_ddl(lake, options.poll_seconds)
    report.airflow_variables = airflow_variables(options, require_redshift(lake))
    return report


def lake_settings(
    settings: Settings, options: DeployOptions, stacks: Outputs, secret_arn: str
) -> Settings:
    """``settings`` pointed at the deployed raw and curated buckets and Redshift."""
    storage = stacks["storage"] or {}
    return dataclasses.replace(
        settings,
        raw_bucket=storage["RawBucket"],
        curated_bucket=storage["CuratedBucket"],
        redshift=warehouse_target(options, stacks, secret_arn),
    )


def deploy_glue(
    lake: Settings, options: DeployOptions, stacks: Outputs, dist: Path, manifest: Manifest
) -> list[str]:
    """Upload the release in ``dist``; create or update the database, classifier, crawler, job."""
    storage, iam = stacks["storage"] or {}, stacks["iam"] or {}
    bucket = storage["ArtifactsBucket"]
    artifacts = upload_release(make_client(lake, "s3"), bucket, dist, manifest)
    glue = make_client(lake, "glue")
    ensure_database(glue, lake.glue_database)
    ensure_classifier(glue, classifier_definition(options))
    ensure_crawler(glue, crawler_definition(options, lake, iam["GlueRoleArn"]))
    job = job_definition(options, lake, iam["GlueRoleArn"], artifacts, bucket)
    ensure_job(glue, job)
    return [
        f"artifacts s3://{bucket}/release/ ({len(manifest.artifacts)} files)",
        f"Glue database {lake.glue_database}",
        f"Glue crawler {options.crawler_name} (CSV classifier {options.classifier_name})",
        f"Glue job {options.job_name} ({artifacts.entry_script})",
    ]


def deploy_mwaa(cfn: Any, options: DeployOptions, stacks: Outputs) -> dict[str, str]:
    """The MWAA environment's stack (once the Airflow bundle that it loads is uploaded)."""
    parameters = mwaa_parameters(
        options, stacks["storage"] or {}, stacks["iam"] or {}, stacks["warehouse"] or {}
    )
    name = options.stack_name(MWAA_STACK)
    return deploy_stack(cfn, name, MWAA_STACK, parameters, options.poll_seconds)


def deploy_airflow_bundle(
    lake: Settings, report: DeployReport, dist: Path, manifest: Manifest
) -> str:
    """Upload what an MWAA environment loads under ``airflow/`` of the artifacts bucket."""
    bucket = (report.stacks["storage"] or {})["ArtifactsBucket"]
    airflow = upload_airflow(make_client(lake, "s3"), bucket, dist, manifest, report.env)
    return (
        f"Airflow bundle s3://{bucket}/{airflow.dags}/, {airflow.requirements},"
        f" {airflow.startup_script}"
    )


def warehouse_target(options: DeployOptions, stacks: Outputs, secret_arn: str) -> RedshiftTarget:
    """The Data API's target: the deployed workgroup or cluster, the admin secret, COPY's role."""
    warehouse = stacks["warehouse"] or {}
    return RedshiftTarget(
        warehouse["WarehouseName"],
        warehouse["DatabaseName"],
        secret_arn,
        serverless=options.warehouse_kind is WarehouseKind.SERVERLESS,
        iam_role=(stacks["iam"] or {})["RedshiftRoleArn"],
    )


def pipeline_env(lake: Settings) -> dict[str, str]:
    """Environment variables that point the ``lakehouse`` CLI and the DAG at the deployment."""
    return {
        "LAKEHOUSE_PROFILE": "aws",
        "AWS_REGION": lake.region,
        "LAKEHOUSE_RAW_BUCKET": lake.raw_bucket,
        "LAKEHOUSE_CURATED_BUCKET": lake.curated_bucket,
        "LAKEHOUSE_GLUE_DATABASE": lake.glue_database,
        **require_redshift(lake).env(),
    }


def airflow_variables(options: DeployOptions, warehouse: RedshiftTarget) -> dict[str, str]:
    """The Airflow Variables the aws DAG reads: the Glue names and the Data API's target."""
    return {
        "lakehouse_glue_crawler": options.crawler_name,
        "lakehouse_glue_job": options.job_name,
        **warehouse.airflow_variables(),
    }


def preview(settings: Settings, options: DeployOptions) -> list[str]:
    """The deployment's plan as lines: stack changes, API resources, the DDL. Changes nothing."""
    check_region(settings.region)
    lines = [f"account {caller_account(settings)}, region {settings.region}"]
    cfn = make_client(settings, "cloudformation")
    stacks = [*STACKS, *([MWAA_STACK] if options.mwaa else [])]
    outputs: Outputs = {stack: stack_outputs(cfn, options.stack_name(stack)) for stack in stacks}
    secret_arn = existing_secret_arn(settings, options.secret_name)
    for stack in stacks:
        parameters = parameters_for(stack, options, settings.glue_database, outputs, secret_arn)
        lines += preview_stack(cfn, options.stack_name(stack), stack, parameters)
    lines += [
        f"secret {options.secret_name}: {'exists, kept' if secret_arn else 'create (generated)'}",
        f"Glue database {settings.glue_database}, crawler {options.crawler_name} (no schedule),"
        f" job {options.job_name} (Glue 5.0, {options.glue_workers} x G.1X, Delta)",
        "artifacts: make package's dist/ uploaded under s3://<artifacts bucket>/release/",
        "Airflow bundle: DAG folder, requirements.txt and startup.sh under"
        " s3://<artifacts bucket>/airflow/",
    ]
    statements = redshift_warehouse_ddl()
    lines.append(f"Redshift DDL through the Data API ({len(statements)} statements):")
    lines += [f"{sql};" for sql in statements]
    return lines


def existing_secret_arn(settings: Settings, name: str) -> str | None:
    """ARN of the admin secret when it exists."""
    secrets = make_client(settings, "secretsmanager")
    try:
        return secrets.describe_secret(SecretId=name)["ARN"]
    except secrets.exceptions.ResourceNotFoundException:
        return None
