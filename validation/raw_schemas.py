"""Pandera schemas of the raw entities' typed rows, derived from :mod:`lakehouse.schema.raw`.

Each schema checks what the contract promises of a staged (loaded) row: the Spark type of every
contract column, required values present, minimums, the e-mail shape, and the entity's
multi-column rules (discount <= gross, sale date inside the window). Triage has already
quarantined the rows that break a rule, so this gate proves the staged rows hold the contract
before anything is published. ``pandera.pyspark`` runs each check as a Spark aggregation on the
DataFrame; no row is collected to Python.
"""

from collections.abc import Mapping
from datetime import date

import pandera.pyspark as pa
from pandera.config import ValidationDepth, config_context
from pyspark.sql import Column, DataFrame

from lakehouse.errors import DataQualityError
from lakehouse.schema import RawColumn, RawEntity, raw_entity
from spark_app.schemas import SPARK_TYPES
from validation.rules import EMAIL_PATTERN, row_rule_violations

GATE = "raw_schema"


def raw_schema(entity: RawEntity, run_date: date) -> pa.DataFrameSchema:
    """The Pandera schema of one entity's typed rows for a batch of ``run_date``."""
    return pa.DataFrameSchema(
        {column.name: _column(column) for column in entity.columns},
        checks=[
            pa.Check(_holds, name=code, error=code, broken=broken)
            for code, broken in row_rule_violations(entity, run_date).items()
        ],
        name=entity.name,
        strict=True,
    )


def check_typed_rows(staged: Mapping[str, DataFrame], run_date: date) -> None:
    """Validate every entity's staged rows against its schema (types and data).

    Raises:
        DataQualityError: Naming each entity, column and check that failed.
    """
    problems = []
    # Pinned here: pandera reads PANDERA_VALIDATION_ENABLED / _DEPTH from the environment, and a
    # depth left unset may check the schema only on pyspark; the gate must check the data too.
    with config_context(validation_enabled=True, validation_depth=ValidationDepth.SCHEMA_AND_DATA):
        for name, frame in staged.items():
            validated = raw_schema(raw_entity(name), run_date).validate(frame)
            problems += [f"{name}: {problem}" for problem in _problems(validated)]
    if problems:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        raise DataQualityError(
            f"gate {GATE} failed: staged rows break the contract after triage:\n{listed}",
            gate=GATE,
        )


def _column(column: RawColumn) -> pa.Column:
    checks = []
    if column.minimum is not None:
        checks.append(pa.Check.ge(column.minimum))
    if column.is_email:
        checks.append(pa.Check.str_matches(EMAIL_PATTERN))
    return pa.Column(SPARK_TYPES[column.type], checks=checks, nullable=not column.required)


def _holds(frame: DataFrame, broken: Column) -> bool:
    """Whether no row of ``frame`` breaks the rule (one Spark job that stops at the first)."""
    return frame.where(broken).limit(1).count() == 0


def _problems(validated: DataFrame) -> list[str]:
    """One line per failed check from Pandera's error report of a validated DataFrame."""
    report = validated.pandera.errors
    return [
        f"{_where(error)}: {error['check']} ({kind.lower()})"
        for level in report.values()
        for kind, errors in level.items()
        for error in errors
    ]


def _where(error: dict[str, str]) -> str:
    """The failed column, or ``row rule`` for a check over whole rows (Pandera names the schema)."""
    column = error.get("column")
    return "row rule" if column in (None, error.get("schema")) else f"column {column}"
