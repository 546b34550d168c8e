"""What one build of the star counted, per raw entity: plain data, without Spark.

The Glue job (:mod:`spark_app.jobs.glue_etl`) fills it; the audit, the run summary and the
Airflow tasks read it, which must not need Spark to import it (an Airflow worker on MWAA has none).
"""

from dataclasses import dataclass, field
from datetime import date


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
