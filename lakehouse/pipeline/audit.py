"""Write each run's outcome and per-entity row counts to the warehouse's ``audit`` schema."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from psycopg.types.json import Jsonb

from lakehouse.catalog.record_outcome import record_catalog_outcome
from lakehouse.config import Settings
from lakehouse.resources.warehouse import connect
from lakehouse.warehouse.load_quarantine import load_quarantine
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


def record_run(settings: Settings, record: RunRecord) -> None:
    """Upsert the run's row, its entity counts and its gate outcomes in one transaction."""
    with connect(settings) as connection:
        connection.execute(
            """
            insert into audit.pipeline_runs (run_id, run_date, source_dir, status, failed_step,
                message, step_seconds, started_at, finished_at)
            values (%s, %s, %s, %s, %s, %s, %s, %s, %s)
            on conflict (run_id) do update set status = excluded.status,
                failed_step = excluded.failed_step, message = excluded.message,
                step_seconds = excluded.step_seconds, finished_at = excluded.finished_at
            """,
            (
                record.run_id,
                record.run_date,
                record.source,
                record.status,
                record.failed_step,
                record.message,
                Jsonb(record.step_seconds),
                record.started_at,
                datetime.now(UTC),
            ),
        )
        for entity, counts in record.entities.items():
            connection.execute(
                """
                insert into audit.entity_counts (run_id, entity, rows_read, rows_loaded,
                    rows_quarantined, rows_duplicate, reasons, orphans)
                values (%s, %s, %s, %s, %s, %s, %s, %s)
                on conflict (run_id, entity) do nothing
                """,
                (
                    record.run_id,
                    entity,
                    counts.rows_read,
                    counts.rows_loaded,
                    counts.rows_quarantined,
                    counts.rows_duplicate,
                    Jsonb(counts.reasons),
                    Jsonb(counts.orphans),
                ),
            )
        for gate, outcome in record.gates.items():
            connection.execute(
                """
                insert into audit.gate_outcomes (run_id, gate, outcome) values (%s, %s, %s)
                on conflict (run_id, gate) do update set outcome = excluded.outcome
                """,
                (record.run_id, gate, outcome),
            )
        connection.commit()


def audit_run(settings: Settings, record: RunRecord) -> None:
    """Audit a run: audit tables, its quarantine records, its outcome on the catalog's tables."""
    record_run(settings, record)
    load_quarantine(settings, record.run_id)
    record_catalog_outcome(settings, record)
