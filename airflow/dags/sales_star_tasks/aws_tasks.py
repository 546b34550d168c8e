"""Tasks of the aws profile: the amazon provider's operators and sensors, and SQL on Redshift.

Names that only exist on AWS come from Airflow Variables (set by the deployment):
``lakehouse_glue_crawler``, ``lakehouse_glue_job`` and ``lakehouse_redshift_iam_role``.
Buckets come from the settings, rendered when the task runs (``{{ settings() }}``).
"""

from airflow.providers.amazon.aws.operators.glue import GlueJobOperator
from airflow.providers.amazon.aws.operators.glue_crawler import GlueCrawlerRunOperator
from airflow.providers.amazon.aws.sensors.glue_crawler import GlueCrawlerSensor
from airflow.providers.amazon.aws.sensors.s3 import S3KeySensor
from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator
from airflow.sdk import Context

from lakehouse.config import load_settings
from lakehouse.ingest.raw_zone import build_partition_prefix
from lakehouse.pipeline.check_history import check_history
from lakehouse.schema import RAW_ENTITIES, star_table
from lakehouse.warehouse.ddl import SCHEMA
from lakehouse.warehouse.keep_keys import kept_keys_sql, keys_kept_handler, stage_name
from lakehouse.warehouse.redshift_ddl import redshift_warehouse_ddl
from sales_star_tasks.policies import ETL_TIMEOUT, TRANSIENT

AWS_CONN_ID = "aws_default"
WAREHOUSE_CONN_ID = "lakehouse_warehouse"
CRAWLER = "{{ var.value.lakehouse_glue_crawler }}"
GLUE_JOB = "{{ var.value.lakehouse_glue_job }}"
IAM_ROLE = "{{ var.value.lakehouse_redshift_iam_role }}"
#: Where the ETL publishes each table's COPY manifest (the Delta snapshot's Parquet files).
MANIFEST_URL = "{{{{ settings().curated_url('_copy_manifests', '{table}.manifest') }}}}"
SENSOR_OPTIONS = {"mode": "reschedule", "poke_interval": 60, "timeout": 3600}


def build_validate_s3() -> S3KeySensor:
    """validate_s3: wait until every entity has files in the run date's raw partition."""
    return S3KeySensor(
        task_id="validate_s3",
        bucket_name="{{ settings().raw_bucket }}",
        bucket_key=[build_partition_prefix(e.name, "{{ ds }}") + "*.csv*" for e in RAW_ENTITIES],
        wildcard_match=True,
        aws_conn_id=AWS_CONN_ID,
        **SENSOR_OPTIONS,
        **TRANSIENT,
    )


def build_run_crawler() -> GlueCrawlerRunOperator:
    """run_crawler: start the Glue crawler of the raw zone (created by the deployment)."""
    return GlueCrawlerRunOperator(
        task_id="run_crawler",
        crawler_name=CRAWLER,
        wait_for_completion=False,
        aws_conn_id=AWS_CONN_ID,
        **TRANSIENT,
    )


def build_wait_crawler() -> GlueCrawlerSensor:
    """wait_crawler: wait for the crawler's run to succeed."""
    return GlueCrawlerSensor(
        task_id="wait_crawler", crawler_name=CRAWLER, aws_conn_id=AWS_CONN_ID, **SENSOR_OPTIONS
    )


class GuardedGlueJobOperator(GlueJobOperator):
    """The Glue job, started only once the curated zone still holds the warehouse's history.

    The Glue job cannot reach Redshift, so the check that `lakehouse run` makes inside its
    ``run_glue_etl`` step (:func:`check_history`) runs here, in the task, before the job starts.
    """

    def execute(self, context: Context) -> str | None:
        """Check the curated zone against the warehouse, then run the Glue job.

        Raises:
            HistoryLostError: The curated zone lost history the warehouse holds; no job started.
        """
        check_history(load_settings())
        return super().execute(context)


def build_run_glue_etl() -> GlueJobOperator:
    """run_glue_etl: check the curated zone's history, then run the Glue job for the run date."""
    return GuardedGlueJobOperator(
        task_id="run_glue_etl",
        job_name=GLUE_JOB,
        script_args={"--run-date": "{{ ds }}", "--run-id": "{{ pipeline_run_id(ds, run_id) }}"},
        wait_for_completion=True,
        verbose=True,
        aws_conn_id=AWS_CONN_ID,
        execution_timeout=ETL_TIMEOUT,
        **TRANSIENT,
    )


def build_create_schema() -> SQLExecuteQueryOperator:
    """create_schema: schemas, star, audit and derived tables and views in Redshift's dialect."""
    return SQLExecuteQueryOperator(
        task_id="create_schema",
        conn_id=WAREHOUSE_CONN_ID,
        sql=redshift_warehouse_ddl(),
        split_statements=False,
        **TRANSIENT,
    )


def build_load_table(table_name: str) -> SQLExecuteQueryOperator:
    """load_<table>: stage its Parquet COPY manifest, check the keys, replace in one transaction.

    The snapshot replaces the table only when it keeps every key the table holds: the check's
    result handler raises :class:`HistoryLostError` otherwise, and the transaction rolls back.
    """
    table = star_table(table_name)
    columns = ", ".join(column.name for column in table.warehouse_columns)
    stage, target = stage_name(table), f"{SCHEMA}.{table_name}"
    return SQLExecuteQueryOperator(
        task_id=f"load_{table_name}",
        conn_id=WAREHOUSE_CONN_ID,
        # Identifiers come from the schema module, never from input.
        sql=[
            f"create temp table {stage} (like {target})",
            f"copy {stage} ({columns}) from '{MANIFEST_URL.format(table=table_name)}'"
            f" iam_role '{IAM_ROLE}' format as parquet manifest",
            kept_keys_sql(table, stage),
            f"delete from {target}",  # noqa: S608
            f"insert into {target} ({columns}) select {columns} from {stage}",  # noqa: S608
        ],
        handler=keys_kept_handler(table, lambda: load_settings().curated_url()),
        requires_result_fetch=True,  # the handler runs even without an XCom push
        autocommit=False,
        **TRANSIENT,
    )
