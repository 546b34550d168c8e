"""Exceptions with a message a user can act on; the CLI prints them without a stack trace."""


class LakehouseError(Exception):
    """Base class: the message says what went wrong, where, and what to do."""


class ConfigError(LakehouseError):
    """A setting is missing or invalid."""


class ServiceError(LakehouseError):
    """A service of the stack is missing, down or unreachable."""


class SourceError(LakehouseError):
    """A source folder or file breaks the input contract (CONTRACT.md section 1)."""


class CatalogError(LakehouseError):
    """The Glue catalog does not hold what the pipeline expects."""


class DataQualityError(LakehouseError):
    """A data-quality gate failed; the message names the gate, the entity and the evidence.

    Attributes:
        gate: Name of the failed gate (recorded in ``audit.gate_outcomes``), when known.
    """

    def __init__(self, message: str, gate: str | None = None) -> None:
        super().__init__(message)
        self.gate = gate


class ReconciliationError(DataQualityError):
    """Row counts of a run do not add up."""


class RunLockedError(LakehouseError):
    """Another run holds the lake; the message names it and how to free a crashed run's lease."""


class StepError(LakehouseError):
    """A pipeline step failed on an unexpected error (a service call, Spark, the database)."""


class HistoryLostError(LakehouseError):
    """The curated zone lacks rows or keys that the warehouse holds; nothing was changed.

    The message names each table, the rows and keys on each side and the ways out.
    """
