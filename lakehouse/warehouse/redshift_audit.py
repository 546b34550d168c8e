"""A run's audit rows on Redshift, through the Data API: each write one batch, so one transaction.

The local warehouse upserts them with ``INSERT ... ON CONFLICT`` and psycopg's ``Jsonb``
(:func:`lakehouse.pipeline.audit.record_run`); Redshift has neither, and its ``MERGE`` reads only
from a table. Here each audit table's rows of the run are deleted and inserted again in one
BatchExecuteStatement. Every value travels as a Data API parameter, never in the SQL text; the
JSON columns go through ``JSON_PARSE`` into ``SUPER``. The Data API takes no NULL or empty
parameter, so a missing value (``None`` or ``""``) is written as ``null`` in the statement.

The run's quarantine records go in by Redshift's own COPY from the JSON lines that the job wrote
to the raw zone (rather than row by row through Airflow, as the local ``COPY FROM STDIN`` does).
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from lakehouse.config import Settings, require_redshift
from lakehouse.ingest.raw_zone import list_keys, quarantine_prefix
from lakehouse.pipeline.run_record import RunRecord
from lakehouse.resources.aws import make_client
from lakehouse.resources.redshift_data import poll_until_finished, run_batch, sql_literal
from lakehouse.schema import RAW_ENTITIES
from lakehouse.warehouse.load_quarantine import COLUMNS as QUARANTINE_COLUMNS

#: Spark's output files under a quarantine prefix (not its ``_SUCCESS`` marker): COPY's prefix.
PART_FILES = "part-"
#: How a value is written: as text, as a type the text is cast to, or parsed as JSON.
TEXT, JSON = "", "json"


@dataclass
class AuditBatch:
    """Statements and the parameters their ``:name`` placeholders take."""

    deletes: list[str] = field(default_factory=list)
    inserts: list[str] = field(default_factory=list)
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def statements(self) -> list[str]:
        """The deletes, the referencing tables' first, then the inserts, the referenced first.

        Redshift does not enforce foreign keys, but a warehouse that does (the emulator's
        PostgreSQL) accepts this order too.
        """
        return self.deletes[::-1] + self.inserts

    def value(self, name: str, value: object, kind: str = TEXT) -> str:
        """The SQL for ``value``: a placeholder bound to it, or ``null`` when it is missing."""
        if value is None or value == "":
            return "null"
        if kind == JSON:
            self.parameters[name] = json.dumps(value, sort_keys=True)
            return f"json_parse(:{name})"
        self.parameters[name] = value.isoformat() if isinstance(value, datetime) else str(value)
        return f"cast(:{name} as {kind})" if kind else f":{name}"

    def replace(
        self, table: str, names: Sequence[str], rows: list[list[str]], key: str | None = None
    ) -> None:
        """Delete the run's rows of ``table`` (those with the rows' ``key``), insert ``rows``.

        Each row is the SQL of its values (from :meth:`value`), in the order of ``names``.
        Tables come referenced ones first (see :attr:`statements`).
        """
        where = "run_id = :run_id"
        if key is not None:
            keys = ", ".join(row[names.index(key)] for row in rows)
            where += f" and {key} in ({keys})"
        self.deletes.append(f"delete from {table} where {where}")  # noqa: S608 (DDL's names)
        values = ",\n    ".join(f"({', '.join(row)})" for row in rows)
        self.inserts.append(f"insert into {table} ({', '.join(names)}) values\n    {values}")


def audit_batch(record: RunRecord, finished_at: datetime) -> AuditBatch:
    """The statements that write ``record`` (run, entity counts, gate outcomes), and their values.

    Table and column names are the warehouse DDL's own; every value is a parameter.
    """
    batch = AuditBatch()
    run_id = batch.value("run_id", record.run_id)
    batch.replace(
        "audit.pipeline_runs",
        ("run_id", "run_date", "source_dir", "status", "failed_step", "message", "step_seconds",
         "started_at", "finished_at"),
        [[
            run_id,
            batch.value("run_date", record.run_date, "date"),
            batch.value("source_dir", record.source),
            batch.value("status", record.status),
            batch.value("failed_step", record.failed_step),
            batch.value("message", record.message),
            batch.value("step_seconds", record.step_seconds, JSON),
            batch.value("started_at", record.started_at, "timestamptz"),
            batch.value("finished_at", finished_at, "timestamptz"),
        ]],
    )  # fmt: skip
    if record.entities:
        batch.replace(
            "audit.entity_counts",
            ("run_id", "entity", "rows_read", "rows_loaded", "rows_quarantined", "rows_duplicate",
             "reasons", "orphans"),
            [
                [
                    run_id,
                    batch.value(f"entity_{n}", entity),
                    *(
                        batch.value(f"{column}_{n}", getattr(counts, column), "bigint")
                        for column in ("rows_read", "rows_loaded", "rows_quarantined",
                                       "rows_duplicate")
                    ),
                    batch.value(f"reasons_{n}", counts.reasons, JSON),
                    batch.value(f"orphans_{n}", counts.orphans, JSON),
                ]
                for n, (entity, counts) in enumerate(record.entities.items())
            ],
            key="entity",
        )  # fmt: skip
    if record.gates:
        batch.replace(
            "audit.gate_outcomes",
            ("run_id", "gate", "outcome"),
            [
                [run_id, batch.value(f"gate_{n}", gate), batch.value(f"outcome_{n}", outcome)]
                for n, (gate, outcome) in enumerate(record.gates.items())
            ],
            key="gate",
        )
    return batch


def record_run_on_redshift(
    settings: Settings, record: RunRecord, finished_at: datetime, poll_seconds: float = 2.0
) -> None:
    """Write ``record``'s audit rows to the settings' Redshift in one transaction.

    Raises:
        ConfigError: The settings name no Redshift.
        ServiceError: The batch failed (with Redshift's error); nothing changed.
    """
    batch = audit_batch(record, finished_at)
    client = make_client(settings, "redshift-data")
    target = require_redshift(settings)
    run_batch(client, target, batch.statements, poll_until_finished(poll_seconds), batch.parameters)


def quarantine_statements(settings: Settings, run_id: str, entities: Sequence[str]) -> list[str]:
    """Replace the run's rows of ``audit.quarantine``: a COPY per entity with records."""
    role = sql_literal(require_redshift(settings).copy_role())
    delete = f"delete from audit.quarantine where run_id = {sql_literal(run_id)}"  # noqa: S608
    statements = [delete]
    for entity in entities:
        source = sql_literal(settings.raw_url(quarantine_prefix(entity, run_id) + PART_FILES))
        statements.append(
            f"copy audit.quarantine ({QUARANTINE_COLUMNS}) from {source}"
            f" iam_role {role} format as json 'auto'"
        )
    return statements


def copy_quarantine_on_redshift(settings: Settings, run_id: str, poll_seconds: float = 2.0) -> None:
    """Replace the run's rows of ``audit.quarantine`` with its records in the raw zone.

    Only the entities that have records are copied: Redshift fails a COPY whose prefix matches
    no file.

    Raises:
        ConfigError: The settings name no Redshift, or no role for its COPY.
        ServiceError: The batch failed (with Redshift's error); nothing changed.
    """
    s3 = make_client(settings, "s3")
    entities = [
        entity.name
        for entity in RAW_ENTITIES
        if list_keys(s3, settings.raw_bucket, quarantine_prefix(entity.name, run_id) + PART_FILES)
    ]
    client, target = make_client(settings, "redshift-data"), require_redshift(settings)
    statements = quarantine_statements(settings, run_id, entities)
    run_batch(client, target, statements, poll_until_finished(poll_seconds))
