"""Write each run's outcome and per-entity row counts to the warehouse's ``audit`` schema."""

from datetime import UTC, datetime

from psycopg.types.json import Jsonb

from lakehouse.catalog.record_outcome import record_catalog_outcome
from lakehouse.config import Settings
from lakehouse.pipeline.run_record import RunRecord
from lakehouse.resources.warehouse import connect
from lakehouse.warehouse.load_quarantine import load_quarantine
from lakehouse.warehouse.redshift_audit import copy_quarantine_on_redshift, record_run_on_redshift


def record_run(settings: Settings, record: RunRecord) -> None:
    """Upsert the run's row, its entity counts and its gate outcomes in one transaction.

    On a Redshift (the aws profile) through the Data API
    (:func:`~lakehouse.warehouse.redshift_audit.record_run_on_redshift`).
    """
    if settings.redshift is not None:
        record_run_on_redshift(settings, record, datetime.now(UTC))
        return
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
    if settings.redshift is not None:
        copy_quarantine_on_redshift(settings, record.run_id)
    else:
        load_quarantine(settings, record.run_id)
    record_catalog_outcome(settings, record)
