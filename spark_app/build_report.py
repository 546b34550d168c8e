"""What one build of the star counted, per raw entity: plain data, without Spark.

The Glue job (:mod:`spark_app.jobs.glue_etl`) fills it; the audit, the run summary and the
Airflow tasks read it, which must not need Spark to import it (an Airflow worker on MWAA has none).
On aws the job saves it to the curated bucket, where the DAG's audit reads it.
"""

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import date

from lakehouse.config import Settings
from lakehouse.ingest.raw_zone import put_json, read_object
from lakehouse.resources.aws import make_client


@dataclass
class EntityCounts:
    """What happened to one entity's rows in one run."""

    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_duplicate: int
    reasons: dict[str, int] = field(default_factory=dict)
    orphans: dict[str, int] = field(default_factory=dict)

    @property
    def reconciles(self) -> bool:
        """Whether read = loaded + quarantined + duplicate."""
        return self.rows_read == self.rows_loaded + self.rows_quarantined + self.rows_duplicate


@dataclass
class BuildReport:
    """Counts of one build: per raw entity, and the rows of each star table it published."""

    run_id: str
    run_date: date
    entities: dict[str, EntityCounts] = field(default_factory=dict)
    curated_rows: dict[str, int] = field(default_factory=dict)


#: Where the Glue job leaves each build's report in the curated bucket, for the aws DAG's audit:
#: the job cannot reach Redshift, and its Airflow task gets only the job run's id back.
REPORTS_FOLDER = "_build_reports"


def report_key(run_id: str) -> str:
    """The curated bucket's key of the report of run ``run_id``."""
    return f"{REPORTS_FOLDER}/{run_id}.json"


def save_report(settings: Settings, report: BuildReport) -> str:
    """Write ``report`` as JSON to the curated bucket; its key."""
    key = report_key(report.run_id)
    body = json.dumps({**dataclasses.asdict(report), "run_date": report.run_date.isoformat()})
    put_json(make_client(settings, "s3"), settings.curated_bucket, key, body)
    return key


def load_report(settings: Settings, run_id: str) -> BuildReport | None:
    """The report that the build of run ``run_id`` saved, or ``None`` when it saved none."""
    body = read_object(make_client(settings, "s3"), settings.curated_bucket, report_key(run_id))
    if body is None:
        return None
    saved = json.loads(body)
    return BuildReport(
        run_id=saved["run_id"],
        run_date=date.fromisoformat(saved["run_date"]),
        entities={name: EntityCounts(**counts) for name, counts in saved["entities"].items()},
        curated_rows=saved["curated_rows"],
    )
