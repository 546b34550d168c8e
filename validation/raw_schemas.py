"""The ``raw_schema`` gate: staged rows hold the contract, from :mod:`lakehouse.schema.raw`.

Two parts per entity, neither a Spark job per check:

- **Schema**: a Pandera schema (``pandera.pyspark``) of the contract columns, each with its Spark
  type and nothing else (``strict``), checked from the staged frame's metadata alone.
- **Data**: every data check (required values set, minimums, the e-mail shape, the entity's
  multi-column rules such as discount <= gross and the sale-date window) counted in one Spark
  aggregate over the staged rows, every entity's in one Spark job; a check fails when any row
  breaks it.

Triage has already quarantined the rows that break a rule, so this gate proves that staging kept
the contract before anything is published.
"""

from collections.abc import Mapping
from datetime import date

import pandera.pyspark as pa
from pandera.config import ValidationDepth, config_context
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from lakehouse.errors import DataQualityError
from lakehouse.schema import RawColumn, RawEntity, raw_entity
from spark_app.collect_together import collect_together
from spark_app.schemas import SPARK_TYPES
from validation.rules import EMAIL_PATTERN, row_rule_violations, value_rules

GATE = "raw_schema"


def raw_schema(entity: RawEntity) -> pa.DataFrameSchema:
    """The Pandera schema of one entity's staged rows: its contract columns and their types.

    Nullable throughout: Pandera checks a column's values for NULL with a Spark job of its own,
    so :func:`data_checks` counts them with the rest.
    """
    return pa.DataFrameSchema(
        {
            column.name: pa.Column(SPARK_TYPES[column.type], nullable=True)
            for column in entity.columns
        },
        name=entity.name,
        strict=True,
    )


def data_checks(entity: RawEntity, run_date: date) -> dict[str, Column]:
    """Each data check of staged rows: its name, and an expression true on a row breaking it.

    A NULL value breaks only ``not null``.
    """
    checks = {}
    for column in entity.columns:
        value = F.col(column.name)
        for code, broken in value_rules(column, value, value).items():
            checks[f"column {column.name}: {_rule_label(column, code)}"] = broken
    for code, broken in row_rule_violations(entity, run_date).items():
        checks[f"row rule: {code}"] = broken
    return checks


def _rule_label(column: RawColumn, code: str) -> str:
    """How a failure report names a value rule of :func:`validation.rules.value_rules`."""
    labels = {
        "missing": "not null",
        "below_minimum": f">= {column.minimum}",
        "malformed_email": f"matches {EMAIL_PATTERN}",
    }
    return labels[code]


def check_typed_rows(staged: Mapping[str, DataFrame], run_date: date) -> None:
    """Validate every entity's staged rows: the schema, then the data of each frame that holds it.

    The data checks of every entity are counted in one Spark job.

    Raises:
        DataQualityError: Naming each entity and check that failed, and how many rows break it.
    """
    found = {name: _schema_problems(raw_entity(name), frame) for name, frame in staged.items()}
    typed = {name: frame for name, frame in staged.items() if not found[name]}
    found |= _data_problems(typed, run_date)
    problems = [f"{name}: {problem}" for name in staged for problem in found[name]]
    if problems:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        raise DataQualityError(
            f"gate {GATE} failed: staged rows break the contract after triage:\n{listed}",
            gate=GATE,
        )


def _schema_problems(entity: RawEntity, frame: DataFrame) -> list[str]:
    """One line per column that is missing or of another type, and one naming any extra column.

    No Spark job: Pandera reads the frame's schema only.
    """
    # Pinned: pandera reads PANDERA_VALIDATION_ENABLED / _DEPTH from the environment.
    with config_context(validation_enabled=True, validation_depth=ValidationDepth.SCHEMA_ONLY):
        report = raw_schema(entity).validate(frame).pandera.errors
    errors = [
        (kind, error)
        for level in report.values()
        for kind, found in level.items()
        for error in found
    ]
    problems = [
        f"column {error['column']}: {error['check']} ({kind.lower()})"
        for kind, error in errors
        if error["column"] != error["schema"]
    ]
    if any(error["column"] == error["schema"] for _, error in errors):  # the strict check
        extra = [name for name in frame.columns if name not in entity.column_names]
        problems.append(f"columns outside the contract: {', '.join(extra)}")
    return problems


def _data_problems(staged: Mapping[str, DataFrame], run_date: date) -> dict[str, list[str]]:
    """Per entity, one line per data check that some row breaks, from one Spark job."""
    checks = {name: data_checks(raw_entity(name), run_date) for name in staged}
    counts = collect_together(
        {
            name: frame.agg(
                *[
                    F.count_if(broken).alias(f"_{i}")
                    for i, broken in enumerate(checks[name].values())
                ]
            )
            for name, frame in staged.items()
        }
    )
    return {
        name: [
            f"{check}: {count:,} {'row breaks' if count == 1 else 'rows break'} it"
            for check, count in zip(checks[name], counts[name][0].values(), strict=True)
            if count
        ]
        for name in staged
    }
