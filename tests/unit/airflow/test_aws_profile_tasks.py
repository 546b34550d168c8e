"""On the aws profile the DAG uses the amazon provider's operators with the right parameters."""

from datetime import date

import pytest
from airflow.providers.amazon.aws.operators.glue import GlueJobOperator
from airflow.providers.amazon.aws.operators.glue_crawler import GlueCrawlerRunOperator
from airflow.providers.amazon.aws.sensors.glue_crawler import GlueCrawlerSensor
from airflow.providers.amazon.aws.sensors.s3 import S3KeySensor
from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator
from sales_star_pipeline import build_dag

from lakehouse.config import Profile, load_settings
from lakehouse.pipeline.steps import derive_run_id
from lakehouse.warehouse.redshift_ddl import redshift_warehouse_ddl

AWS_ENV = {
    "LAKEHOUSE_PROFILE": "aws",
    "LAKEHOUSE_RAW_BUCKET": "acme-raw",
    "LAKEHOUSE_CURATED_BUCKET": "acme-curated",
}
VARIABLES = {
    "lakehouse_glue_crawler": "acme-raw-crawler",
    "lakehouse_glue_job": "acme-build-star",
    "lakehouse_redshift_iam_role": "arn:aws:iam::123456789012:role/acme-redshift-copy",
}
DAG_RUN_ID = "scheduled__2024-06-30T02:00:00+00:00"


@pytest.fixture(scope="module")
def dag():
    return build_dag(Profile.AWS)


def render(dag, task_id: str, field: str):
    """A task field as Airflow renders it for the run of 2024-06-30 with the deployment's values."""
    task = dag.get_task(task_id)
    context = {
        "ds": "2024-06-30",
        "run_id": DAG_RUN_ID,
        "var": {"value": VARIABLES},
        **dag.user_defined_macros,
        "settings": lambda: load_settings(AWS_ENV),
    }
    return task.render_template(getattr(task, field), context, dag.get_template_env())


def test_validate_s3_is_a_rescheduling_s3_key_sensor_on_each_entitys_raw_partition(dag):
    sensor = dag.get_task("validate_s3")
    assert isinstance(sensor, S3KeySensor)
    assert (sensor.wildcard_match, sensor.mode) == (True, "reschedule")
    assert render(dag, "validate_s3", "bucket_name") == "acme-raw"
    assert render(dag, "validate_s3", "bucket_key") == [
        f"{entity}/ingest_date=2024-06-30/*.csv*"
        for entity in ("customers", "products", "locations", "sales")
    ]


def test_the_crawler_is_started_without_waiting_and_a_glue_sensor_waits_for_it(dag):
    run, wait = dag.get_task("run_crawler"), dag.get_task("wait_crawler")
    assert isinstance(run, GlueCrawlerRunOperator)
    assert isinstance(wait, GlueCrawlerSensor)
    assert run.wait_for_completion is False
    assert render(dag, "run_crawler", "crawler_name") == "acme-raw-crawler"
    assert render(dag, "wait_crawler", "crawler_name") == "acme-raw-crawler"


def test_the_etl_runs_the_glue_job_with_the_run_date_and_a_stable_run_id(dag):
    job = dag.get_task("run_glue_etl")
    assert isinstance(job, GlueJobOperator)
    assert job.wait_for_completion is True
    assert render(dag, "run_glue_etl", "job_name") == "acme-build-star"
    args = render(dag, "run_glue_etl", "script_args")
    assert args["--run-date"] == "2024-06-30"
    assert args["--run-id"] == derive_run_id(date(2024, 6, 30), DAG_RUN_ID)


def test_create_schema_runs_the_whole_redshift_ddl_one_statement_at_a_time(dag):
    task = dag.get_task("redshift_load.create_schema")
    assert isinstance(task, SQLExecuteQueryOperator)
    assert (task.conn_id, task.split_statements) == ("lakehouse_warehouse", False)
    assert render(dag, "redshift_load.create_schema", "sql") == redshift_warehouse_ddl()


@pytest.mark.parametrize(
    "table", ["customer_dim", "product_dim", "location_dim", "date_dim", "sales_fact"]
)
def test_each_load_replaces_its_table_with_a_parquet_copy_from_its_manifest_in_one_transaction(
    dag, table
):
    task_id = f"redshift_load.load_{table}"
    task = dag.get_task(task_id)
    assert isinstance(task, SQLExecuteQueryOperator)
    assert (task.conn_id, task.autocommit) == ("lakehouse_warehouse", False)
    delete, copy = render(dag, task_id, "sql")
    assert delete == f"delete from star.{table}"
    assert copy.startswith(f"copy star.{table} (")
    assert copy.endswith(
        f") from 's3://acme-curated/_copy_manifests/{table}.manifest'"
        " iam_role 'arn:aws:iam::123456789012:role/acme-redshift-copy'"
        " format as parquet manifest"
    )


def test_the_gates_and_the_marts_refresh_stay_the_projects_steps_on_aws(dag):
    for task_id in ("validate_catalog", "validate_curated", "redshift_load.quality_checks"):
        assert dag.get_task(task_id).task_type == "_PythonDecoratedOperator"
    assert dag.get_task("refresh_mat_views").task_type == "_PythonDecoratedOperator"
