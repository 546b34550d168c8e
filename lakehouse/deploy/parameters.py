"""Each stack's parameters, from the options and the outputs of the stacks before it."""

from lakehouse.deploy.artifacts import AIRFLOW_ARTIFACTS
from lakehouse.deploy.plan import MWAA_STACK, DeployOptions

#: Outputs of the stacks deployed so far, by stack (``None``: the stack does not exist).
Outputs = dict[str, dict[str, str] | None]


def parameters_for(
    stack: str, options: DeployOptions, glue_database: str, outputs: Outputs, secret_arn: str | None
) -> dict[str, str] | None:
    """Parameters of ``stack``, or ``None`` while a stack or the secret it needs does not exist."""
    storage, iam = outputs.get("storage"), outputs.get("iam")
    if stack in ("storage", "monitoring"):
        return standalone_parameters(stack, options)
    if storage is None or secret_arn is None:
        return None
    if stack == "iam":
        return {
            "Prefix": options.prefix,
            "RawBucket": storage["RawBucket"],
            "CuratedBucket": storage["CuratedBucket"],
            "ArtifactsBucket": storage["ArtifactsBucket"],
            "DataKeyArn": storage["DataKeyArn"],
            "GlueDatabase": glue_database,
            "CrawlerName": options.crawler_name,
            "JobName": options.job_name,
            "GlueLogGroup": options.glue_log_group,
            "WarehouseSecretArn": secret_arn,
            "MwaaEnvironmentName": options.airflow_environment,
        }
    if iam is None:
        return None
    warehouse = outputs.get("warehouse")
    if stack == MWAA_STACK:
        return None if warehouse is None else mwaa_parameters(options, storage, iam, warehouse)
    return {
        "Prefix": options.prefix,
        "WarehouseKind": options.warehouse_kind.value,
        "AdminSecretArn": secret_arn,
        "RedshiftRoleArn": iam["RedshiftRoleArn"],
        "DataKeyArn": storage["DataKeyArn"],
        "BaseCapacity": str(options.base_capacity),
        "NodeType": options.node_type,
        "NumberOfNodes": str(options.nodes),
    }


def standalone_parameters(stack: str, options: DeployOptions) -> dict[str, str]:
    """The parameters of a stack that needs no other: storage or monitoring."""
    if stack == "storage":
        return {"Prefix": options.prefix, "Encryption": options.encryption.value}
    return {
        "Prefix": options.prefix,
        "JobName": options.job_name,
        "GlueLogGroup": options.glue_log_group,
        "PipelineLogGroup": options.pipeline_log_group,
        "RetentionDays": str(options.log_retention_days),
    }


def mwaa_parameters(
    options: DeployOptions,
    storage: dict[str, str],
    iam: dict[str, str],
    warehouse: dict[str, str],
) -> dict[str, str]:
    """The MWAA stack's: the Airflow bundle's keys, the Airflow role, the warehouse's network."""
    return {
        "Prefix": options.prefix,
        "EnvironmentName": options.airflow_environment,
        "ArtifactsBucket": storage["ArtifactsBucket"],
        "DagS3Path": AIRFLOW_ARTIFACTS.dags,
        "RequirementsS3Path": AIRFLOW_ARTIFACTS.requirements,
        "StartupScriptS3Path": AIRFLOW_ARTIFACTS.startup_script,
        "AirflowRoleArn": iam["AirflowRoleArn"],
        "DataKeyArn": storage["DataKeyArn"],
        "VpcId": warehouse["VpcId"],
        "VpcCidr": warehouse["VpcCidr"],
        "PrivateSubnetIds": warehouse["PrivateSubnetIds"],
        "EndpointSecurityGroupId": warehouse["EndpointSecurityGroupId"],
    }
