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

from lakehouse.ingest.raw_zone import build_partition_prefix
from lakehouse.schema import RAW_ENTITIES, star_table
from lakehouse.warehouse.ddl import SCHEMA
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


def build_run_glue_etl() -> GlueJobOperator:
    """run_glue_etl: run the Glue job (the same Spark code) for the run date and run id."""
    return GlueJobOperator(
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
    """create_schema: schemas, star and audit tables, materialized views in Redshift's dialect."""
    return SQLExecuteQueryOperator(
        task_id="create_schema",
        conn_id=WAREHOUSE_CONN_ID,
        sql=redshift_warehouse_ddl(),
        split_statements=False,
        **TRANSIENT,
    )


def build_load_table(table_name: str) -> SQLExecuteQueryOperator:
    """load_<table>: replace the table from its Parquet COPY manifest in one transaction."""
    columns = ", ".join(column.name for column in star_table(table_name).warehouse_columns)
    return SQLExecuteQueryOperator(
        task_id=f"load_{table_name}",
        conn_id=WAREHOUSE_CONN_ID,
        # Identifiers come from the schema module, never from input.
        sql=[
            f"delete from {SCHEMA}.{table_name}",  # noqa: S608
            f"copy {SCHEMA}.{table_name} ({columns}) from '{MANIFEST_URL.format(table=table_name)}'"
            f" iam_role '{IAM_ROLE}' format as parquet manifest",
        ],
        autocommit=False,
        **TRANSIENT,
    )
