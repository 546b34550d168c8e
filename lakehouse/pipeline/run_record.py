"""One pipeline run as the audit tables store it."""

from dataclasses import dataclass, field
from datetime import date, datetime

from spark_app.build_report import EntityCounts


@dataclass
class RunRecord:
    """One pipeline run as the audit tables store it."""

    run_id: str
    run_date: date
    source: str
    started_at: datetime
    status: str = "running"
    failed_step: str | None = None
    message: str | None = None
    step_seconds: dict[str, float] = field(default_factory=dict)
    entities: dict[str, EntityCounts] = field(default_factory=dict)
    gates: dict[str, str] = field(default_factory=dict)
