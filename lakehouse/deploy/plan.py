"""What a deployment creates and how big: options with safe defaults, and the names they give."""

import re
from dataclasses import dataclass
from enum import StrEnum

from lakehouse.errors import ConfigError

#: The stacks in the order they are created; each one's template is ``infra/<stack>.yaml``.
STACKS = ("storage", "iam", "warehouse", "monitoring")
#: The stack of an MWAA environment (``infra/mwaa.yaml``), deployed with ``--mwaa`` only, last:
#: it needs the Airflow bundle uploaded.
MWAA_STACK = "mwaa"
_PREFIX = re.compile(r"^[a-z][a-z0-9-]{1,20}$")
#: The last part of each bucket's name in the storage stack.
BUCKET_ZONES = ("logs", "raw", "curated", "artifacts")


class WarehouseKind(StrEnum):
    """Redshift Serverless (pay per use, default) or a provisioned cluster."""

    SERVERLESS = "serverless"
    PROVISIONED = "provisioned"


class Encryption(StrEnum):
    """Bucket encryption: a customer managed KMS key (default) or S3 managed keys."""

    KMS = "SSE-KMS"
    S3 = "SSE-S3"


@dataclass(frozen=True)
class DeployOptions:
    """Choices of one deployment; every name derives from ``prefix``.

    Attributes:
        prefix: Stack prefix (lower case, 2-21 characters); names stacks, roles and buckets.
        warehouse_kind: Redshift Serverless or a provisioned cluster.
        encryption: SSE-KMS with a key of the deployment, or SSE-S3.
        base_capacity: Serverless base capacity in RPUs.
        node_type: Node type of a provisioned cluster.
        nodes: Nodes of a provisioned cluster.
        glue_workers: Workers of the Glue job (G.1X).
        log_retention_days: Retention of the log groups.
        poll_seconds: Pause between two status checks of a stack or a SQL statement.
        mwaa: Whether to create an MWAA environment that runs the DAG (off: attach an Airflow
            of one's own with the Variables the deploy prints).
    """

    prefix: str = "lakehouse"
    warehouse_kind: WarehouseKind = WarehouseKind.SERVERLESS
    encryption: Encryption = Encryption.KMS
    base_capacity: int = 8
    node_type: str = "ra3.large"
    nodes: int = 1
    glue_workers: int = 2
    log_retention_days: int = 30
    poll_seconds: float = 10.0
    mwaa: bool = False

    def __post_init__(self) -> None:
        """Reject a prefix AWS would refuse in a bucket or role name."""
        if not _PREFIX.match(self.prefix):
            raise ConfigError(
                f"stack prefix {self.prefix!r} is not valid: use 2-21 lower-case letters, digits"
                " or dashes, starting with a letter (e.g. --stack-prefix lakehouse)"
            )

    def stack_name(self, stack: str) -> str:
        """CloudFormation stack name of one of :data:`STACKS`."""
        return f"{self.prefix}-{stack}"

    @property
    def airflow_environment(self) -> str:
        """Name of the MWAA environment (``--mwaa``), which the Airflow role's policy names."""
        return f"{self.prefix}-airflow"

    @property
    def crawler_name(self) -> str:
        """Glue crawler of the raw zone."""
        return f"{self.prefix}-raw"

    def bucket_names(self, account: str, region: str) -> list[str]:
        """The storage stack's bucket names (``infra/storage.yaml`` names them so)."""
        return [f"{self.prefix}-{account}-{region}-{zone}" for zone in BUCKET_ZONES]

    @property
    def classifier_name(self) -> str:
        """Glue CSV classifier of the raw zone's files, which the crawler uses."""
        return f"{self.prefix}-raw-csv"

    @property
    def job_name(self) -> str:
        """Glue ETL job that builds the star schema."""
        return f"{self.prefix}-glue-etl"

    @property
    def secret_name(self) -> str:
        """Secrets Manager secret of the Redshift admin user."""
        return f"{self.prefix}/redshift-admin"

    @property
    def warehouse_name(self) -> str:
        """Serverless workgroup name or cluster identifier (as ``infra/warehouse.yaml`` sets it)."""
        return f"{self.prefix}-warehouse"

    @property
    def glue_log_group(self) -> str:
        """Log group of the Glue job's continuous logs."""
        return f"/lakehouse/{self.prefix}/glue-etl"

    @property
    def pipeline_log_group(self) -> str:
        """Log group for the pipeline's JSON step logs."""
        return f"/lakehouse/{self.prefix}/pipeline"
