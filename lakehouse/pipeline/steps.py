"""Pipeline steps shared by `lakehouse run` and the Airflow DAG, each one plain function call.

The steps that are a single library call (``land_raw``, ``validate_s3``, ``run_crawler``, ...) are
called directly; this module holds the ones that need a little assembly first (a Spark session,
the catalog's locations, a run id) so both orchestrators assemble them the same way. Spark and
the job are imported by the step that runs them, so that importing this module (as the DAG does
on an Airflow worker without Spark) needs neither.
"""

import hashlib
import logging
from datetime import date
from typing import TYPE_CHECKING

from lakehouse.catalog.register_tables import raw_table_location
from lakehouse.config import Settings
from lakehouse.pipeline.audit import audit_run
from lakehouse.pipeline.check_history import check_history
from lakehouse.pipeline.run_record import RunRecord
from lakehouse.schema import RAW_ENTITIES
from lakehouse.stack.spark_engine import engine_session, engine_url
from lakehouse.warehouse.create_schema import create_schema
from spark_app.build_report import BuildReport

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

log = logging.getLogger(__name__)


def derive_run_id(run_date: date, orchestrator_run_id: str) -> str:
    """A stable pipeline run id for one orchestrator run (the same on every retry of its tasks)."""
    digest = hashlib.sha256(orchestrator_run_id.encode()).hexdigest()[:6]
    return f"{run_date:%Y%m%d}-airflow-{digest}"


def spark_session(settings: Settings, run_id: str = "manual") -> "SparkSession":
    """The stack's warm engine when it runs (`lakehouse up`), else a session of this process."""
    from spark_app.session import build_session  # noqa: PLC0415 (Spark loads only for a run)

    session = engine_session(settings)
    if session is not None:
        log.info("Spark: the warm engine at %s", engine_url(settings))
        return session
    return build_session(settings, app_name=f"lakehouse-{run_id}")


def run_glue_etl(
    settings: Settings, run_id: str, run_date: date, *, guard_history: bool = True
) -> BuildReport:
    """Build the star schema in the curated zone from the catalogued raw partitions of ``run_date``.

    First, unless ``guard_history`` is off (`lakehouse rebuild` re-creates the curated zone on
    purpose), checks that the curated zone still holds what the warehouse holds
    (:func:`check_history`), so a run on a lost lake stops before it builds anything.

    Raises:
        HistoryLostError: The curated zone lost history the warehouse holds; nothing changed.
        DataQualityError: A batch gate or the curated suites failed; the curated zone is
            unchanged.
    """
    from spark_app.jobs import glue_etl  # noqa: PLC0415 (Spark loads only for a run)

    if guard_history:
        check_history(settings)
    spark = spark_session(settings, run_id)
    locations = {e.name: raw_table_location(settings, e.name, run_date) for e in RAW_ENTITIES}
    return glue_etl.run_glue_etl(spark, settings, run_id, run_date, locations)


def record_failed_run(settings: Settings, record: RunRecord) -> None:
    """Record a failed run when the warehouse is reachable, creating the audit tables if needed.

    On a Redshift the deployment created them. Never raises: the run's own error matters more
    than a failure to audit it.
    """
    try:
        if settings.redshift is None:
            create_schema(settings)
        audit_run(settings, record)
    except Exception as error:  # noqa: BLE001 - the run's own error matters more
        log.warning("could not record failed run %s in audit tables: %s", record.run_id, error)
