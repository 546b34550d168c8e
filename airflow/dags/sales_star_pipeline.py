"""Sales star pipeline: the seed's DAG, daily at 02:00 UTC.

The seed's orchestration: raw zone check, crawler, catalog check, the Spark/Glue ETL (which audits
the star with the curated suites before it publishes it), then the `redshift_load` group (schema,
four dimensions in parallel, the fact, quality checks) and the refresh of the daily tables and
marts. Every task calls the same step as `lakehouse run`.

* Run date: the DAG run's logical date (`ds`).
* Trigger with config `{"source": "/path/to/csv/folder"}` to land that folder in the raw zone
  first (part of `validate_s3`); without it the run checks what is already in the raw zone, as the
  seed's upload (`land_raw`) happens before the DAG.
* Profile (`LAKEHOUSE_PROFILE`): local/docker run the project's steps; aws uses the amazon
  provider's Glue and S3 operators and SQL on Redshift (COPY ... FORMAT AS PARQUET).
"""

from datetime import datetime

from airflow.sdk import DAG, Param, TaskGroup, chain
from sales_star_tasks import aws_tasks, local_tasks, shared_tasks
from sales_star_tasks.outcome import record_failure
from sales_star_tasks.policies import DEFAULT_TIMEOUT
from sales_star_tasks.run_context import render_run_id

from lakehouse.config import PROJECT_ROOT, Profile, load_settings
from lakehouse.schema.star import DIMENSIONS, SALES_FACT

DAG_ID = "sales_star_pipeline"
SCHEDULE = "0 2 * * *"
STEP_IDS = [
    "validate_s3",
    "run_crawler",
    "wait_crawler",
    "validate_catalog",
    "run_glue_etl",
    "redshift_load.create_schema",
    *(f"redshift_load.load_{table.name}" for table in (*DIMENSIONS, SALES_FACT)),
    "redshift_load.quality_checks",
]


def build_dag(profile: Profile) -> DAG:
    """The DAG for ``profile``: the one place that picks the profile's task builders."""
    tasks = aws_tasks if profile is Profile.AWS else local_tasks
    with DAG(
        dag_id=DAG_ID,
        doc_md=__doc__,
        schedule=SCHEDULE,
        start_date=datetime(2024, 1, 1),
        catchup=False,
        max_active_runs=1,
        params={"source": Param(None, type=["null", "string"], description="CSV folder to land")},
        default_args={"execution_timeout": DEFAULT_TIMEOUT, "on_failure_callback": record_failure},
        user_defined_macros={"settings": load_settings, "pipeline_run_id": render_run_id},
        template_searchpath=[str(PROJECT_ROOT / "warehouse_sql")],
        tags=["lakehouse", profile.value],
    ) as dag:
        with TaskGroup("redshift_load"):
            create_schema = tasks.build_create_schema()
            dimensions = [tasks.build_load_table(table.name) for table in DIMENSIONS]
            fact = tasks.build_load_table(SALES_FACT.name)
            checks = shared_tasks.build_quality_checks()
        chain(
            tasks.build_validate_s3(),
            tasks.build_run_crawler(),
            tasks.build_wait_crawler(),
            shared_tasks.build_validate_catalog(),
            tasks.build_run_glue_etl(),
            create_schema,
            dimensions,
            fact,
            checks,
            shared_tasks.build_refresh_mat_views(STEP_IDS),
        )
    return dag


build_dag(load_settings().profile)
