"""Each stack's parameters, from the options and the outputs of the stacks before it."""

from lakehouse.deploy.plan import DeployOptions

#: Outputs of the stacks deployed so far, by stack (``None``: the stack does not exist).
Outputs = dict[str, dict[str, str] | None]


def parameters_for(
    stack: str, options: DeployOptions, glue_database: str, outputs: Outputs, secret_arn: str | None
) -> dict[str, str] | None:
    """Parameters of ``stack``, or ``None`` while a stack or the secret it needs does not exist."""
    storage, iam = outputs.get("storage"), outputs.get("iam")
    if stack == "storage":
        return {"Prefix": options.prefix, "Encryption": options.encryption.value}
    if stack == "monitoring":
        return {
            "Prefix": options.prefix,
            "JobName": options.job_name,
            "GlueLogGroup": options.glue_log_group,
            "PipelineLogGroup": options.pipeline_log_group,
            "RetentionDays": str(options.log_retention_days),
        }
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
        }
    if iam is None:
        return None
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
