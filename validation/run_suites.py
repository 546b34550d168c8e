"""Run the star tables' expectation suites with Great Expectations 1.x and build the Data Docs.

Two targets share this runner: the curated zone (a Spark data source, one DataFrame asset per
Delta table) and the warehouse (a PostgreSQL data source, one table asset per ``star`` table).
Each table has a checkpoint; once every table is validated, the Data Docs are built once for
the target's results (a checkpoint action would rebuild the site for each table): a static HTML
site in the GX folder (``Settings.gx_dir``), where the validation results are kept too, so the
site lists the latest runs (:data:`validation.data_docs.KEPT_RESULTS` results). The data
sources live only in memory: the warehouse credentials are never written to disk. Great
Expectations is imported here, lazily, as its import alone takes seconds.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lakehouse.config import Settings
from lakehouse.errors import DataQualityError
from validation.data_docs import KEPT_RESULTS, prune_results, publish_data_docs
from validation.suites import Expectation

SITE_NAME = "local_site"
#: Folder of the validation results store in the GX folder (GX's default for a file context).
RESULTS_FOLDER = "uncommitted/validations"
#: Adds a table's asset to a data source of the given context; returns its batch definition.
AddBatch = Callable[[Any, str], Any]
#: Observed values and counts of unexpected values, without samples of them: sampling costs one
#: more query per expectation, which doubled the curated gate's Spark jobs.
RESULT_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": 0}


@dataclass(frozen=True)
class SuitesOutcome:
    """Outcome of one target's suites.

    Attributes:
        rows: Rows per table, as the row-count expectations observed them.
        failures: One line per failed expectation, ``<table>: <expectation> ...``.
        docs: URL of the published Data Docs.
    """

    rows: dict[str, int]
    failures: list[str]
    docs: str

    def raise_on_failure(self, gate: str) -> None:
        """Raise one error naming every failed expectation and where the Data Docs are.

        Raises:
            DataQualityError: When an expectation failed.
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
        rows: Rows the row-count expectation observed.
        failures: One line per failed expectation.
        documents: The identifiers of its validation result and suite, for the Data Docs.
    """

    table: str
    rows: int
    failures: list[str]
    documents: list[Any]


def site_dir(settings: Settings) -> Path:
    """Folder of the Data Docs site (its ``index.html``)."""
    return settings.gx_dir / "data_docs"


def new_context(settings: Settings) -> Any:
    """An ephemeral GX context whose results and Data Docs are files in the GX folder.

    The site's index reads the newest :data:`KEPT_RESULTS` results only, not every stored one.
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
        },
    }
    config = base.DataContextConfig(
        store_backend_defaults=base.FilesystemStoreBackendDefaults(root_directory=str(root)),
        data_docs_sites={SITE_NAME: site},
        analytics_enabled=False,
        progress_bars=base.ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def run_table_suites(
    settings: Settings,
    context: Any,
    gate: str,
    suites: Mapping[str, list[Expectation]],
    add_batch: AddBatch,
    batch_parameters: Callable[[str], dict[str, Any] | None],
    run_id: str,
) -> SuitesOutcome:
    """Validate each table with its suite, then build and publish the Data Docs once.

    Results beyond the newest :data:`KEPT_RESULTS` are removed first, with their pages.

    Args:
        settings: Settings naming the curated bucket the Data Docs are published to.
        context: Context from :func:`new_context` with the target's data source.
        gate: Gate name (``curated_suite`` or ``warehouse_suite``), also the suites' prefix.
        suites: Expectations per table.
        add_batch: Adds a table's asset and returns its whole-table batch definition.
        batch_parameters: Batch parameters of a table (the DataFrame of a Spark asset).
        run_id: Pipeline run id, the run name in the Data Docs.
    """
    prune_results(context, [settings.gx_dir / RESULTS_FOLDER, site_dir(settings) / "validations"])
    results = [
        _run_table(
            context,
            f"{gate}.{table}",
            add_batch(context, table),
            expectations,
            batch_parameters(table),
            run_id,
        )
        for table, expectations in suites.items()
    ]
    documents = [document for result in results for document in result.documents]
    context.build_data_docs(site_names=[SITE_NAME], resource_identifiers=documents)
    return SuitesOutcome(
        rows={result.table: result.rows for result in results},
        failures=[line for result in results for line in result.failures],
        docs=publish_data_docs(settings, site_dir(settings)),
    )


def _run_table(
    context: Any,
    name: str,
    batch: Any,
    expectations: list[Expectation],
    parameters: dict[str, Any] | None,
    run_id: str,
) -> TableResult:
    """Run one table's checkpoint and read its outcome."""
    import great_expectations as gx  # noqa: PLC0415 (slow import, validation only)
    from great_expectations import expectations as gxe  # noqa: PLC0415
    from great_expectations.core.run_identifier import RunIdentifier  # noqa: PLC0415
    from great_expectations.data_context.types.resource_identifiers import (  # noqa: PLC0415
        ExpectationSuiteIdentifier,
    )

    suite = context.suites.add_or_update(
        gx.ExpectationSuite(
            name, expectations=[getattr(gxe, e.kind)(**e.kwargs) for e in expectations]
        )
    )
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=name, data=batch, suite=suite)
    )
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=name,
            validation_definitions=[definition],
            result_format=RESULT_FORMAT,
        )
    )
    result = checkpoint.run(batch_parameters=parameters, run_id=RunIdentifier(run_name=run_id))
    outcomes = [item for run in result.run_results.values() for item in run.results]
    rows = next(
        item.result.get("observed_value")
        for item in outcomes
        if item.expectation_config.type.startswith("expect_table_row_count")
    )
    table = name.split(".", 1)[1]
    return TableResult(
        table=table,
        rows=int(rows or 0),
        failures=[_describe(table, item) for item in outcomes if not item.success],
        documents=[*result.run_results, ExpectationSuiteIdentifier(name=name)],
    )


def _describe(table: str, outcome: Any) -> str:
    """One line for a failed expectation: table, expectation, column or meaning, evidence."""
    config = outcome.expectation_config
    subject = config.kwargs.get("column") or config.description or ""
    found = outcome.result.get("observed_value", outcome.result.get("unexpected_count"))
    if found is None:
        found = f"an error: {str(outcome.exception_info)[:300]}"
    return " ".join(f"{table}: {config.type} {subject} (found {found})".split())
