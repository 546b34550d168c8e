"""Judge each star table's metrics with Great Expectations 1.x and build the Data Docs.

Two targets share this runner: the curated zone (Spark) and the warehouse (PostgreSQL). Each
computes a table's metrics with one query (:func:`validation.suites.metrics_query`); here each
table's metrics row is a pandas batch, and its suite has one expectation per check, bounding the
check's metric. Each table has a checkpoint; once every table is validated, the Data Docs are
built once for the target's results (a checkpoint action would rebuild the site for each table):
a static HTML site in the GX folder (``Settings.gx_dir``), where the validation results are kept
too, so the site lists the latest runs (:data:`validation.data_docs.KEPT_RESULTS` results).
Great Expectations is imported here, lazily, as its import alone takes seconds.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lakehouse.config import Settings
from lakehouse.errors import DataQualityError
from validation.data_docs import KEPT_RESULTS, prune_results, publish_data_docs
from validation.suites import ROW_COUNT, Check, Metrics

SITE_NAME = "local_site"
#: Folder of the validation results store in the GX folder (GX's default for a file context).
RESULTS_FOLDER = "uncommitted/validations"
#: Stores that hold what the code defines again at each run: in memory, so a folder written by an
#: earlier version of the suites (or of their data sources) is never read back.
DEFINITION_STORES = ("expectations_store", "validation_definition_store", "checkpoint_store")
#: The module of the Data Docs views, which compile GX's templates once per process.
VIEWS = "validation.docs_views"
#: Observed values, without samples of unexpected ones.
RESULT_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": 0}


@dataclass(frozen=True)
class SuitesOutcome:
    """Outcome of one target's suites.

    Attributes:
        rows: Rows per table, as the row-count metric found them.
        failures: One line per failed check, ``<table>: <meaning>: found ...``.
        docs: URL of the published Data Docs.
    """

    rows: dict[str, int]
    failures: list[str]
    docs: str

    def raise_on_failure(self, gate: str) -> None:
        """Raise one error naming every failed check and where the Data Docs are.

        Raises:
            DataQualityError: When a check failed.
        """
        if self.failures:
            listed = "\n".join(f"  - {line}" for line in self.failures)
            raise DataQualityError(
                f"gate {gate} failed (Data Docs: {self.docs}, or `lakehouse docs`):\n{listed}",
                gate=gate,
            )


@dataclass(frozen=True)
class TableResult:
    """Outcome of one table's suite.

    Attributes:
        table: Star table name.
        failures: One line per failed check.
        documents: The identifiers of its validation result and suite, for the Data Docs.
    """

    table: str
    failures: list[str]
    documents: list[Any]


def site_dir(settings: Settings) -> Path:
    """Folder of the Data Docs site (its ``index.html``)."""
    return settings.gx_dir / "data_docs"


def new_context(settings: Settings) -> Any:
    """An ephemeral GX context whose results and Data Docs are files in the GX folder.

    Suites, validation definitions and checkpoints live in memory (:data:`DEFINITION_STORES`).
    The site's index reads the newest :data:`KEPT_RESULTS` results only, not every stored one,
    and its pages are rendered by :mod:`validation.docs_views`.
    """
    import great_expectations as gx  # noqa: PLC0415 (slow import, validation only)
    from great_expectations.data_context.types import base  # noqa: PLC0415

    root = settings.gx_dir
    site = {
        "class_name": "SiteBuilder",
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(site_dir(settings)),
        },
        "site_index_builder": {
            "class_name": "DefaultSiteIndexBuilder",
            "validation_results_limit": KEPT_RESULTS,
            "view": {"module_name": VIEWS, "class_name": "IndexPageView"},
        },
        "site_section_builders": {
            "expectations": {"view": {"module_name": VIEWS, "class_name": "PageView"}},
            "validations": {"view": {"module_name": VIEWS, "class_name": "PageView"}},
            "profiling": "false",  # the suites run no profiler: nothing to list
        },
    }
    config = base.DataContextConfig(
        store_backend_defaults=base.FilesystemStoreBackendDefaults(root_directory=str(root)),
        data_docs_sites={SITE_NAME: site},
        analytics_enabled=False,
        progress_bars=base.ProgressBarsConfig(globally=False),
    )
    for store in DEFINITION_STORES:
        config.stores[store]["store_backend"] = {"class_name": "InMemoryStoreBackend"}
    return gx.get_context(mode="ephemeral", project_config=config)


def run_table_suites(
    settings: Settings,
    gate: str,
    suites: Mapping[str, list[Check]],
    metrics: Mapping[str, Metrics],
    run_id: str,
) -> SuitesOutcome:
    """Validate each table's metrics with its suite, then build and publish the Data Docs once.

    Results beyond the newest :data:`KEPT_RESULTS` are removed first, with their pages.

    Args:
        settings: Settings naming the GX folder and the curated bucket the Data Docs go to.
        gate: Gate name (``curated_suite`` or ``warehouse_suite``), also the suites' prefix.
        suites: Checks per table.
        metrics: Each table's metrics, from its :func:`validation.suites.metrics_query`.
        run_id: Pipeline run id, the run name in the Data Docs.
    """
    context = new_context(settings)
    prune_results(context, [settings.gx_dir / RESULTS_FOLDER, site_dir(settings) / "validations"])
    source = context.data_sources.add_pandas(gate)
    run = run_identifier(run_id)
    results = [
        _run_table(context, source, gate, table, checks, metrics[table], run)
        for table, checks in suites.items()
    ]
    documents = [document for result in results for document in result.documents]
    context.build_data_docs(site_names=[SITE_NAME], resource_identifiers=documents)
    return SuitesOutcome(
        rows=row_counts(metrics),
        failures=[line for result in results for line in result.failures],
        docs=publish_data_docs(settings, site_dir(settings)),
    )


def row_counts(metrics: Mapping[str, Metrics]) -> dict[str, int]:
    """Rows per table, as each table's row-count metric found them."""
    return {table: int(values[ROW_COUNT]) for table, values in metrics.items()}


def judge_table_suites(
    suites: Mapping[str, list[Check]], metrics: Mapping[str, Metrics]
) -> SuitesOutcome:
    """Each table's metrics against its suite's bounds, without Great Expectations: no Data Docs.

    What a Python without Great Expectations judges: the aws profile's Airflow worker (MWAA has
    none), where the warehouse's metrics come from Redshift. The same bounds as the suites'
    expectations (a metric within its minimum and maximum, both included); the same lines.
    """
    return SuitesOutcome(
        rows=row_counts(metrics),
        failures=[
            _describe(table, check, metrics[table][check.metric])
            for table, checks in suites.items()
            for check in checks
            if not check.admits(metrics[table][check.metric])
        ],
        docs="none (judged without Great Expectations on the aws profile's worker)",
    )


def run_identifier(run_id: str) -> Any:
    """GX's identifier of the pipeline run ``run_id``, timed now.

    Without a time GX reads the run name as a date when dateutil can: ``20240607-162931-0798ad``
    is 7 June 2024. A run so dated sorted before every other, so the site left its pages out
    and the next run pruned its results first.
    """
    from great_expectations.core.run_identifier import RunIdentifier  # noqa: PLC0415 (slow)

    return RunIdentifier(run_name=run_id, run_time=datetime.now(UTC))


def _run_table(
    context: Any,
    source: Any,
    gate: str,
    table: str,
    checks: list[Check],
    metrics: Metrics,
    run: Any,
) -> TableResult:
    """Run one table's checkpoint (``<gate>.<table>``) on its metrics row and read its outcome."""
    import great_expectations as gx  # noqa: PLC0415 (slow import, validation only)
    import pandas as pd  # noqa: PLC0415
    from great_expectations.data_context.types.resource_identifiers import (  # noqa: PLC0415
        ExpectationSuiteIdentifier,
    )

    name = f"{gate}.{table}"
    batch = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe(table)
    suite = context.suites.add(
        gx.ExpectationSuite(name, expectations=[_expectation(check) for check in checks])
    )
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=name, data=batch, suite=suite)
    )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(name=name, validation_definitions=[definition], result_format=RESULT_FORMAT)
    )
    result = checkpoint.run(
        batch_parameters={"dataframe": pd.DataFrame([dict(metrics)])}, run_id=run
    )
    outcomes = [item for done in result.run_results.values() for item in done.results]
    failed = {item.expectation_config.kwargs["column"] for item in outcomes if not item.success}
    return TableResult(
        table=table,
        failures=[_describe(table, c, metrics[c.metric]) for c in checks if c.metric in failed],
        documents=[*result.run_results, ExpectationSuiteIdentifier(name=name)],
    )


def _expectation(check: Check) -> Any:
    """The expectation that a check's metric lies within its bounds."""
    from great_expectations import expectations as gxe  # noqa: PLC0415

    return gxe.ExpectColumnMaxToBeBetween(
        column=check.metric,
        min_value=check.minimum,
        max_value=check.maximum,
        description=check.meaning,
    )


def _describe(table: str, check: Check, value: int | float) -> str:
    """One line for a failed check: table, meaning, metric found and the values allowed."""
    return f"{table}: {check.meaning}: found {check.metric} = {value}, expected {check.expected()}"
