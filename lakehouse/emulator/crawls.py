"""Glue crawler runs: StartCrawler runs the project's crawler, as Glue would run its own.

moto keeps the crawler resource (targets, classifiers, table prefix, schema-change policy) but a
started crawl there does nothing. Here StartCrawler reads that resource and runs
:func:`lakehouse.catalog.register_tables.run_crawler` over its S3 targets in a thread of the
emulator, through the emulator's own endpoint (as a session of the crawler's ``Role`` when IAM is
enforced), reading the files the way its first CSV classifier
says (Glue's built-in CSV classifier when it names none). GetCrawler then answers RUNNING,
STOPPING and READY with ``LastCrawl`` (SUCCEEDED, FAILED with Glue's error, or CANCELLED after
StopCrawler, which does not cut the crawl short), and GetCrawlerMetrics the run's time and
tables. The runs are kept in memory: after a restart a crawler shows no last crawl (the tables
it registered stay, in moto's state).

What is not emulated fails the crawl with a message that says so: targets other than S3,
exclusions, targets in more than one bucket or deeper than a top-level folder.
"""

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from moto.glue.exceptions import CrawlerNotRunningException, CrawlerRunningException

from lakehouse.catalog.csv_classifier import BUILT_IN_CSV, CsvFormat, format_of
from lakehouse.catalog.register_tables import CrawlReport, CrawlScope, run_crawler
from lakehouse.config import load_settings
from lakehouse.emulator.classifiers import ClassifierStore
from lakehouse.emulator.role_sessions import RoleSessions
from lakehouse.errors import CatalogError

log = logging.getLogger(__name__)
RUNNING, STOPPING, READY = "RUNNING", "STOPPING", "READY"
SUCCEEDED, FAILED, CANCELLED = "SUCCEEDED", "FAILED", "CANCELLED"
_OTHER_TARGETS = (
    "JdbcTargets",
    "MongoDBTargets",
    "DynamoDBTargets",
    "CatalogTargets",
    "DeltaTargets",
    "IcebergTargets",
    "HudiTargets",
)


@dataclass
class CrawlRun:
    """One crawl of a crawler: its state, then its outcome."""

    started: float = field(default_factory=time.time)
    state: str = RUNNING
    stop_requested: bool = False
    status: str | None = None
    error: str = ""
    seconds: float = 0.0
    report: CrawlReport = field(default_factory=CrawlReport)

    def finish(self, status: str, report: CrawlReport | None = None, error: str = "") -> None:
        """Record the crawl's outcome (STOPPING meanwhile); the crawler is READY again."""
        self.state = STOPPING
        if status == SUCCEEDED and self.stop_requested:
            status = CANCELLED
        self.status, self.error, self.report = status, error, report or CrawlReport()
        self.seconds = time.time() - self.started
        self.state = READY

    def last_crawl(self) -> dict[str, Any]:
        """``LastCrawl`` of GetCrawler (only once the crawl is over)."""
        described: dict[str, Any] = {"Status": self.status, "StartTime": self.started}
        if self.error:
            described["ErrorMessage"] = self.error
        return described


@dataclass(frozen=True)
class CrawlPlan:
    """Where a crawler's run reads and writes, from its resource."""

    region: str
    bucket: str
    database: str
    scope: CrawlScope


class CrawlerRuns:
    """Every crawler's latest run, started against the emulator of ``sessions``."""

    def __init__(self, sessions: RoleSessions, classifiers: ClassifierStore) -> None:
        self.sessions, self.classifiers = sessions, classifiers
        self.runs: dict[str, CrawlRun] = {}
        self.lock = threading.Lock()

    def start(self, crawler: dict[str, Any], region: str) -> None:
        """StartCrawler: run ``crawler`` (as GetCrawler describes it) in a thread.

        Raises:
            CrawlerRunningException: Its last run has not ended.
        """
        name = crawler["Name"]
        with self.lock:
            if self.state(name) != READY:
                raise CrawlerRunningException(f"Crawler with name {name} has already started")
            run = self.runs[name] = CrawlRun()
        threading.Thread(
            target=self._crawl, args=(crawler, region, run), name=f"crawl-{name}", daemon=True
        ).start()

    def stop(self, name: str) -> None:
        """StopCrawler: STOPPING, then the run ends CANCELLED (the crawl is not cut short).

        Raises:
            CrawlerNotRunningException: The crawler is not running.
        """
        with self.lock:
            if self.state(name) != RUNNING:
                raise CrawlerNotRunningException(f"Crawler with name {name} isn't running")
            run = self.runs[name]
            run.state, run.stop_requested = STOPPING, True

    def state(self, name: str) -> str:
        """The crawler's state: READY unless a run has not ended."""
        run = self.runs.get(name)
        return run.state if run else READY

    def describe(self, crawler: dict[str, Any]) -> dict[str, Any]:
        """``crawler`` (from moto) with the state, elapsed time and last crawl of its runs."""
        run = self.runs.get(crawler["Name"])
        if run is None:
            return {**crawler, "State": READY, "CrawlElapsedTime": 0}
        described = {**crawler, "State": run.state}
        if run.state == READY:
            return {**described, "CrawlElapsedTime": 0, "LastCrawl": run.last_crawl()}
        return {**described, "CrawlElapsedTime": int((time.time() - run.started) * 1000)}

    def metrics(self, name: str) -> dict[str, Any]:
        """One crawler's entry of GetCrawlerMetrics."""
        run = self.runs.get(name) or CrawlRun(state=READY)
        seconds = run.seconds if run.state == READY else 0.0
        report = run.report
        return {
            "CrawlerName": name,
            "TimeLeftSeconds": 0.0,
            "StillEstimating": run.state != READY,
            "LastRuntimeSeconds": seconds,
            "MedianRuntimeSeconds": seconds,
            "TablesCreated": len(report.created),
            "TablesUpdated": len(report.updated),
            "TablesDeleted": 0,
        }

    def _crawl(self, crawler: dict[str, Any], region: str, run: CrawlRun) -> None:
        """Run one crawl and record its outcome, as Glue records a crawl's."""
        try:
            plan = self.plan(crawler, region)
            settings = load_settings(
                {
                    **self.sessions.env(
                        plan.region, crawler.get("Role"), f"crawl-{crawler['Name']}"
                    ),
                    "LAKEHOUSE_RAW_BUCKET": plan.bucket,
                    "LAKEHOUSE_GLUE_DATABASE": plan.database,
                }
            )
            report = run_crawler(settings, plan.scope)
        except Exception as error:  # noqa: BLE001 (any failure is the crawl's outcome, as on Glue)
            log.warning("crawl of %s failed: %s", crawler["Name"], error)
            with self.lock:
                run.finish(FAILED, error=str(error))
        else:
            log.info("crawl of %s: %s", crawler["Name"], report)
            with self.lock:
                run.finish(SUCCEEDED, report)

    def plan(self, crawler: dict[str, Any], region: str) -> CrawlPlan:
        """What a crawl of ``crawler`` reads and writes.

        Raises:
            CatalogError: A target or classifier that the emulator cannot crawl, named.
        """
        targets = crawler.get("Targets", {})
        others = [kind for kind in _OTHER_TARGETS if targets.get(kind)]
        if others or not targets.get("S3Targets"):
            raise CatalogError(
                f"crawler {crawler['Name']}: only S3 targets are emulated "
                f"(it has {', '.join(others) or 'none'})"
            )
        bucket, folders = s3_folders(crawler["Name"], targets["S3Targets"])
        policy = crawler.get("SchemaChangePolicy") or {}
        scope = CrawlScope(
            csv_format=self.csv_format(crawler.get("Classifiers") or []),
            folders=folders,
            table_prefix=crawler.get("TablePrefix") or "",
            update_tables=policy.get("UpdateBehavior", "UPDATE_IN_DATABASE") != "LOG",
        )
        return CrawlPlan(region, bucket, crawler["DatabaseName"], scope)

    def csv_format(self, names: Sequence[str]) -> CsvFormat:
        """The format of the first of ``names``; Glue's built-in CSV classifier without one.

        Raises:
            CatalogError: A named classifier does not exist.
        """
        for name in names:
            if name not in self.classifiers.classifiers:
                raise CatalogError(f"classifier {name} does not exist")
            return format_of(self.classifiers.get(name))
        return BUILT_IN_CSV


def s3_folders(crawler: str, targets: Sequence[dict[str, Any]]) -> tuple[str, list[str] | None]:
    """The one bucket of S3 ``targets`` and their top-level folders (``None``: the whole bucket).

    Raises:
        CatalogError: Targets in several buckets, deeper than a folder, or with exclusions.
    """
    paths = [urlparse(target.get("Path", "")) for target in targets]
    buckets = sorted({path.netloc for path in paths})
    folders = [path.path.strip("/") for path in paths]
    unsupported = [
        f"{target['Path']} ({why})"
        for target, folder in zip(targets, folders, strict=True)
        for why in (
            "a folder below the top level" if "/" in folder else "",
            "exclusions" if target.get("Exclusions") else "",
        )
        if why
    ]
    if len(buckets) != 1 or unsupported:
        raise CatalogError(
            f"crawler {crawler}: the emulator crawls top-level folders of one bucket, without "
            f"exclusions; not emulated: {'; '.join(unsupported) or 'buckets ' + ', '.join(buckets)}"
        )
    return buckets[0], None if "" in folders else folders
