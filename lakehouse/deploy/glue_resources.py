"""The Glue database, CSV classifier, crawler and job, created or updated through the Glue API.

The crawler has no schedule (Airflow starts it) and reads the raw files with the project's CSV
classifier: Glue's built-in one takes no header from a file whose values are all text, and
would name such a table's columns ``col0``, ``col1``, ... The job runs ``glue_entry.py`` on
Glue 5 with Delta and the project's library from the artifacts bucket.
"""

from collections.abc import Callable
from importlib.metadata import version
from typing import Any

from lakehouse.catalog.csv_classifier import CONTRACT_CSV, classifier_input
from lakehouse.config import Settings
from lakehouse.deploy.artifacts import GlueArtifacts
from lakehouse.deploy.plan import DeployOptions
from lakehouse.schema import RAW_ENTITIES
from spark_app.sql_conf import SQL_CONF

_CRAWLER_CONFIGURATION = (
    '{"Version": 1.0, "CrawlerOutput": {"Partitions": {"AddOrUpdateBehavior": "InheritFromTable"}},'
    ' "Grouping": {"TableGroupingPolicy": "CombineCompatibleSchemas"}}'
)


#: Libraries the job imports that Glue 5 does not bring (the raw-row gate's and the curated
#: suites'); installed at job start, pinned to this env.
GLUE_EXTRA_MODULES = ("pandera", "great_expectations")


def glue_python_modules() -> str:
    """Value of ``--additional-python-modules``: each extra library at its version here."""
    return ",".join(f"{name}=={version(name)}" for name in GLUE_EXTRA_MODULES)


def glue_conf_argument() -> str:
    """The job's SQL settings (the local session's too) as the value of Glue's ``--conf``."""
    return " --conf ".join(f"{key}={value}" for key, value in SQL_CONF.items())


def classifier_definition(options: DeployOptions) -> dict[str, Any]:
    """CreateClassifier arguments: the contract's CSV files (comma, double quote, a header)."""
    return {"CsvClassifier": classifier_input(options.classifier_name, CONTRACT_CSV)}


def crawler_definition(options: DeployOptions, settings: Settings, role_arn: str) -> dict[str, Any]:
    """CreateCrawler arguments: one S3 target per raw entity, the CSV classifier, no schedule."""
    return {
        "Name": options.crawler_name,
        "Role": role_arn,
        "DatabaseName": settings.glue_database,
        "Description": "Raw zone of the lakehouse; started by the Airflow DAG",
        "Targets": {"S3Targets": [{"Path": settings.raw_url(e.name) + "/"} for e in RAW_ENTITIES]},
        "Classifiers": [options.classifier_name],
        "SchemaChangePolicy": {"UpdateBehavior": "UPDATE_IN_DATABASE", "DeleteBehavior": "LOG"},
        "RecrawlPolicy": {"RecrawlBehavior": "CRAWL_EVERYTHING"},
        "Configuration": _CRAWLER_CONFIGURATION,
    }


def job_definition(
    options: DeployOptions,
    settings: Settings,
    role_arn: str,
    artifacts: GlueArtifacts,
    artifacts_bucket: str,
) -> dict[str, Any]:
    """CreateJob arguments: Glue 5, Delta, the entry script and library, the lake's buckets."""
    return {
        "Name": options.job_name,
        "Description": "Raw zone -> star schema (Delta) in the curated zone, plus COPY manifests",
        "Role": role_arn,
        "GlueVersion": "5.0",
        "WorkerType": "G.1X",
        "NumberOfWorkers": options.glue_workers,
        "Timeout": 120,
        "MaxRetries": 0,
        "ExecutionProperty": {"MaxConcurrentRuns": 1},
        "Command": {
            "Name": "glueetl",
            "ScriptLocation": artifacts.entry_script,
            "PythonVersion": "3",
        },
        "DefaultArguments": {
            "--job-language": "python",
            "--datalake-formats": "delta",
            "--conf": glue_conf_argument(),
            "--extra-py-files": artifacts.library,
            "--additional-python-modules": glue_python_modules(),
            "--raw-bucket": settings.raw_bucket,
            "--curated-bucket": settings.curated_bucket,
            "--glue-database": settings.glue_database,
            "--region": settings.region,
            "--TempDir": f"s3://{artifacts_bucket}/glue-temp/",
            "--enable-metrics": "true",
            "--enable-continuous-cloudwatch-log": "true",
            "--continuous-log-logGroup": options.glue_log_group,
        },
    }


def ensure_database(glue: Any, name: str) -> None:
    """Create the Glue database unless it exists."""
    try:
        glue.get_database(Name=name)
    except glue.exceptions.EntityNotFoundException:
        glue.create_database(
            DatabaseInput={"Name": name, "Description": "Raw zone of the lakehouse"}
        )


def ensure_classifier(glue: Any, definition: dict[str, Any]) -> bool:
    """Create the CSV classifier, or update it where it differs from ``definition``."""
    name = definition["CsvClassifier"]["Name"]
    return _ensure(
        glue,
        definition,
        read=lambda: glue.get_classifier(Name=name)["Classifier"],
        create=lambda: glue.create_classifier(**definition),
        update=lambda: glue.update_classifier(**definition),
    )


def ensure_crawler(glue: Any, definition: dict[str, Any]) -> bool:
    """Create the crawler, or update it where it differs from ``definition``; True if changed."""
    return _ensure(
        glue,
        definition,
        read=lambda: glue.get_crawler(Name=definition["Name"])["Crawler"],
        create=lambda: glue.create_crawler(**definition),
        update=lambda: glue.update_crawler(**definition),
    )


def ensure_job(glue: Any, definition: dict[str, Any]) -> bool:
    """Create the job, or update it where it differs from ``definition``; True if changed."""
    name, update = definition["Name"], {k: v for k, v in definition.items() if k != "Name"}
    return _ensure(
        glue,
        definition,
        read=lambda: glue.get_job(JobName=name)["Job"],
        create=lambda: glue.create_job(**definition),
        update=lambda: glue.update_job(JobName=name, JobUpdate=update),
    )


def _ensure(
    glue: Any,
    definition: dict[str, Any],
    read: Callable[[], Any],
    create: Callable[[], Any],
    update: Callable[[], Any],
) -> bool:
    """Create a Glue resource, or update it where ``read`` differs from ``definition``.

    Returns:
        Whether the resource was created or changed.
    """
    try:
        current = read()
    except glue.exceptions.EntityNotFoundException:
        create()
        return True
    if holds(current, definition):
        return False
    update()
    return True


def holds(current: Any, wanted: Any) -> bool:
    """Whether ``current`` (as Glue describes it) has every value of ``wanted``.

    Glue adds defaults of its own to what it returns, so only the keys we set are compared.
    """
    if isinstance(wanted, dict):
        return isinstance(current, dict) and all(
            holds(current.get(key), value) for key, value in wanted.items()
        )
    if isinstance(wanted, list):
        return (
            isinstance(current, list)
            and len(current) == len(wanted)
            and all(holds(c, w) for c, w in zip(current, wanted, strict=True))
        )
    return current == wanted


def delete_glue_resources(glue: Any, options: DeployOptions, database: str) -> list[str]:
    """Delete the job, crawler, classifier and database (with its tables); returns what existed."""
    deleted = []
    for kind, call, arguments in (
        ("job", glue.delete_job, {"JobName": options.job_name}),
        ("crawler", glue.delete_crawler, {"Name": options.crawler_name}),
        ("classifier", glue.delete_classifier, {"Name": options.classifier_name}),
        ("database", glue.delete_database, {"Name": database}),
    ):
        try:
            call(**arguments)
            deleted.append(f"Glue {kind} {next(iter(arguments.values()))}")
        except glue.exceptions.EntityNotFoundException:
            continue
    return deleted
