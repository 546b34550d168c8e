"""A run's audit rows on Redshift: valid Redshift SQL, every value a parameter, NULLs in the SQL."""

from datetime import UTC, date, datetime

import pytest
import sqlglot
from sqlglot import exp

from lakehouse.config import Settings, load_settings
from lakehouse.pipeline.run_record import RunRecord
from lakehouse.resources.redshift_data import sql_literal
from lakehouse.warehouse.redshift_audit import audit_batch, quarantine_statements
from spark_app.build_report import EntityCounts

STARTED, FINISHED = datetime(2024, 6, 30, 2, tzinfo=UTC), datetime(2024, 6, 30, 3, tzinfo=UTC)


def aws_settings() -> Settings:
    return load_settings(
        {
            "LAKEHOUSE_PROFILE": "aws",
            "LAKEHOUSE_RAW_BUCKET": "acme-raw",
            "LAKEHOUSE_REDSHIFT_WORKGROUP": "acme",
            "LAKEHOUSE_REDSHIFT_SECRET_ARN": "arn:secret",
            "LAKEHOUSE_REDSHIFT_IAM_ROLE": "arn:aws:iam::1:role/copy",
        }
    )


def parsed(statements: list[str]) -> list[exp.Expression]:
    """Each statement parsed by sqlglot's Redshift grammar (raises on what it cannot parse)."""
    return [sqlglot.parse_one(sql, read="redshift") for sql in statements]


def test_a_succeeded_run_is_replaced_with_its_values_as_parameters_and_nulls_in_the_sql():
    record = RunRecord(
        "20240630-airflow-abc123",
        date(2024, 6, 30),
        "s3://acme-raw/raw/",
        STARTED,
        status="succeeded",
        message="",
        step_seconds={"land_raw": 1.5},
        entities={"sales": EntityCounts(3, 1, 1, 1, {"bad_date": 1})},
        gates={"raw_contract": "passed", "catalog": "passed"},
    )

    batch = audit_batch(record, FINISHED)

    trees = parsed(batch.statements)
    assert [type(tree).__name__ for tree in trees] == ["Delete"] * 3 + ["Insert"] * 3
    tables = [tree.find(exp.Table).sql() for tree in trees]
    assert tables == [
        "audit.gate_outcomes", "audit.entity_counts", "audit.pipeline_runs",  # referencing first
        "audit.pipeline_runs", "audit.entity_counts", "audit.gate_outcomes",
    ]  # fmt: skip
    assert batch.statements[3].split("values")[1].split(", ")[4:6] == ["null", "null"]
    assert (
        "delete from audit.gate_outcomes where run_id = :run_id and gate in (:gate_0, :gate_1)"
        in (batch.statements)
    )
    placeholders = {p.name for tree in trees for p in tree.find_all(exp.Placeholder)}
    assert placeholders == set(batch.parameters)
    assert batch.parameters["step_seconds"] == '{"land_raw": 1.5}'
    assert batch.parameters["started_at"] == "2024-06-30T02:00:00+00:00"
    assert batch.parameters["rows_quarantined_0"] == "1"
    assert batch.parameters["reasons_0"] == '{"bad_date": 1}'
    assert all(batch.parameters.values())  # the Data API takes no empty value


def test_a_run_without_entities_or_gates_writes_its_row_alone():
    batch = audit_batch(RunRecord("r1", date(2024, 6, 30), "/data", STARTED), FINISHED)

    assert [sql.split(" (")[0].split(" where")[0] for sql in batch.statements] == [
        "delete from audit.pipeline_runs",
        "insert into audit.pipeline_runs",
    ]


def test_the_quarantine_is_copied_per_entity_with_records_as_json_by_the_copy_role():
    statements = quarantine_statements(aws_settings(), "20240630-airflow-abc123", ["sales"])

    parsed(statements)
    assert statements == [
        "delete from audit.quarantine where run_id = '20240630-airflow-abc123'",
        "copy audit.quarantine (run_id, entity, source_file, line_number, reasons, record)"
        " from 's3://acme-raw/_quarantine/sales/run_id=20240630-airflow-abc123/part-'"
        " iam_role 'arn:aws:iam::1:role/copy' format as json 'auto'",
    ]


def test_a_literal_doubles_quotes_and_refuses_what_redshift_reads_otherwise():
    assert sql_literal("it's") == "'it''s'"
    for value in ("a\\b", "a\nb"):
        with pytest.raises(ValueError, match="not sent to Redshift as a literal"):
            sql_literal(value)
