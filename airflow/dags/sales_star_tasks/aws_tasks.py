"""Tasks of the aws profile: the amazon provider's operators and sensors, and SQL on Redshift.

Names that only exist on AWS come from Airflow Variables (set by the deployment):
``lakehouse_glue_crawler``, ``lakehouse_glue_job``, and the Data API's target
(``lakehouse_redshift_workgroup`` or ``_cluster``, ``_database``, ``_secret_arn``, and
``_iam_role``, the role COPY assumes). Buckets come from the settings, rendered when the task runs
(``{{ settings() }}``).
"""

from typing import Any

from airflow.exceptions import AirflowException, AirflowFailException
from airflow.providers.amazon.aws.operators.glue import GlueJobOperator
from airflow.providers.amazon.aws.operators.glue_crawler import GlueCrawlerRunOperator
from airflow.providers.amazon.aws.sensors.glue_crawler import GlueCrawlerSensor
from airflow.providers.amazon.aws.sensors.s3 import S3KeySensor
from airflow.sdk import Context, XComArg

from lakehouse.config import load_settings
from lakehouse.errors import DataQualityError
from lakehouse.ingest.raw_zone import build_partition_prefix
from lakehouse.pipeline.check_history import check_history
from lakehouse.schema import RAW_ENTITIES, star_table
from lakehouse.warehouse.redshift_ddl import apply_redshift_ddl
from lakehouse.warehouse.redshift_load import load_table_on_redshift
from sales_star_tasks.policies import ETL_TIMEOUT, TRANSIENT
from sales_star_tasks.step_task import step_task
from sales_star_tasks.task_settings import task_settings

AWS_CONN_ID = "aws_default"
CRAWLER = "{{ var.value.lakehouse_glue_crawler }}"
GLUE_JOB = "{{ var.value.lakehouse_glue_job }}"
#: Seconds between two checks of the Glue job's run (the provider's default), or the sensors'
#: interval if shorter.
GLUE_POLL_SECONDS = 6
#: Longest pause between two checks of a running Redshift statement (the first ones come sooner).
STATEMENT_POLL_SECONDS = 5.0


def sensor_options() -> dict[str, Any]:
    """Sensor options: free the worker slot between checks (``LAKEHOUSE_SENSOR_POKE_SECONDS``)."""
    return {
        "mode": "reschedule",
        "poke_interval": load_settings().sensor_poke_seconds,
        "timeout": 3600,
    }


def build_validate_s3() -> S3KeySensor:
    """validate_s3: wait until every entity has files in the run date's raw partition."""
    return S3KeySensor(
        task_id="validate_s3",
        bucket_name="{{ settings().raw_bucket }}",
        bucket_key=[build_partition_prefix(e.name, "{{ ds }}") + "*.csv*" for e in RAW_ENTITIES],
        wildcard_match=True,
        aws_conn_id=AWS_CONN_ID,
        **sensor_options(),
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
        task_id="wait_crawler", crawler_name=CRAWLER, aws_conn_id=AWS_CONN_ID, **sensor_options()
    )


class GuardedGlueJobOperator(GlueJobOperator):
    """The Glue job, started only once the curated zone still holds the warehouse's history.

    The Glue job cannot reach Redshift, so the check that `lakehouse run` makes inside its
    ``run_glue_etl`` step (:func:`check_history`) runs here, in the task, before the job starts.
    A run that a data-quality gate failed is not retried: the batch would fail it again.
    """

    def execute(self, context: Context) -> str | None:
        """Check the curated zone against the warehouse, then run the Glue job.

        Raises:
            HistoryLostError: The curated zone lost history the warehouse holds; no job started.
            AirflowFailException: The job failed a data-quality gate (no retry), with its error.
        """
        check_history(task_settings())
        try:
            return super().execute(context)
        except AirflowException:
            error = self.run_error()
            if DataQualityError.__name__ not in error:
                raise
            raise AirflowFailException(
                f"the Glue job failed a data-quality gate: {error}"
            ) from None

    def run_error(self) -> str:
        """The ``ErrorMessage`` of the job's run, if it started one."""
        if not self._job_run_id:
            return ""
        run = self.hook.conn.get_job_run(JobName=self.job_name, RunId=self._job_run_id)
        return str(run["JobRun"].get("ErrorMessage", ""))


def build_run_glue_etl() -> GlueJobOperator:
    """run_glue_etl: check the curated zone's history, then run the Glue job for the run date."""
    return GuardedGlueJobOperator(
        task_id="run_glue_etl",
        job_name=GLUE_JOB,
        script_args={"--run-date": "{{ ds }}", "--run-id": "{{ pipeline_run_id(ds, run_id) }}"},
        wait_for_completion=True,
        job_poll_interval=min(GLUE_POLL_SECONDS, load_settings().sensor_poke_seconds),
        verbose=True,
        aws_conn_id=AWS_CONN_ID,
        execution_timeout=ETL_TIMEOUT,
        **TRANSIENT,
    )


def build_create_schema() -> XComArg:
    """create_schema: the Redshift DDL through the Data API; XCom: the statement ids.

    Redshift sits in private subnets, with no route from Airflow: the Data API runs each
    statement, once the previous one has, as the deployment runs them.
    """

    @step_task("create_schema", **TRANSIENT)
    def create_schema(**_context: Any) -> list[str]:
        return apply_redshift_ddl(task_settings(), STATEMENT_POLL_SECONDS)

    return create_schema()


def build_load_table(table_name: str) -> XComArg:
    """load_<table>: stage its COPY manifest, check the keys, replace the rows; XCom: the rows.

    Through the Data API (:func:`lakehouse.warehouse.redshift_load.load_table_on_redshift`): a
    snapshot that lacks a key the table holds raises :class:`HistoryLostError` and changes nothing.
    """
    table = star_table(table_name)

    @step_task(f"load_{table_name}", **TRANSIENT)
    def load_star_table(**_context: Any) -> int:
        return load_table_on_redshift(task_settings(), table, STATEMENT_POLL_SECONDS)

    return load_star_table()
