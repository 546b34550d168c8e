"""The Glue actions the emulator answers in front of moto: classifiers, crawls and job runs.

moto keeps Glue's catalog, crawlers and jobs. It has no classifiers, and its crawls and job runs
do nothing; :mod:`lakehouse.emulator.classifiers`, :mod:`lakehouse.emulator.crawls` and
:mod:`lakehouse.emulator.job_runs` add them. Here each of their actions is answered in Glue's
JSON protocol, and moto's descriptions of crawlers get the state and last crawl of their runs.
"""

import json
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.glue.models import GlueBackend, glue_backends

from lakehouse.emulator.classifiers import CSV, ClassifierStore, invalid
from lakehouse.emulator.crawls import CrawlerRuns
from lakehouse.emulator.job_runs import JobRuns
from lakehouse.emulator.json_protocol import json_answer, required
from lakehouse.emulator.object_store import StartResponse
from lakehouse.emulator.role_sessions import RoleSessions
from lakehouse.emulator.wsgi import signer

#: moto's answer to a request: status line, headers and body.
MotoAnswer = tuple[str, list[tuple[str, str]], bytes]
MotoCall = Callable[[dict[str, Any]], MotoAnswer]
#: Actions whose answer is moto's with each crawler's runs added, and the key of the crawlers.
_DESCRIBED = {"GetCrawler": "Crawler", "GetCrawlers": "Crawlers", "BatchGetCrawlers": "Crawlers"}


class GlueApi:
    """Classifiers and crawler runs, for an emulator whose state is in ``folder``."""

    def __init__(self, folder: Path, sessions: RoleSessions, moto_lock: threading.Lock) -> None:
        self.classifiers = ClassifierStore(folder)
        self.runs = CrawlerRuns(sessions, self.classifiers)
        self.jobs = JobRuns(sessions)
        self.moto_lock = moto_lock
        self.answers: dict[str, Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]] = {
            "CreateClassifier": lambda request, _: self._done(self.classifiers.create(request)),
            "UpdateClassifier": lambda request, _: self._done(self.classifiers.update(request)),
            "DeleteClassifier": lambda r, _: self._done(
                self.classifiers.delete(required(r, "Name", invalid))
            ),
            "GetClassifier": lambda r, _: {
                "Classifier": {CSV: self.classifiers.get(required(r, "Name", invalid))}
            },
            "GetClassifiers": lambda _r, _e: {"Classifiers": self.classifiers.all()},
            "StartCrawler": self.start_crawler,
            "StopCrawler": lambda r, _: self._done(self.runs.stop(required(r, "Name", invalid))),
            "GetCrawlerMetrics": self.crawler_metrics,
            "StartJobRun": self.start_job_run,
            "GetJobRun": self.job_run,
            "GetJobRuns": self.job_runs,
            "BatchStopJobRun": self.stop_job_runs,
        }

    def handles(self, action: str | None) -> bool:
        """Whether this API answers ``action``, or completes moto's answer to it."""
        return action in self.answers or action in _DESCRIBED

    def __call__(
        self,
        action: str,
        environ: dict[str, Any],
        body: bytes,
        start_response: StartResponse,
        moto: MotoCall,
    ) -> Iterable[bytes]:
        """Answer one Glue request of an action that :meth:`handles`."""
        if action in _DESCRIBED:
            status, headers, answer = moto(environ)
            if status[:1] == "2":
                answer = self.describe_crawlers(answer, _DESCRIBED[action])
                headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            start_response(status, headers)
            return [answer]
        request = json.loads(body or b"{}")
        return json_answer(start_response, lambda: self.answers[action](request, environ))

    def start_crawler(self, request: dict[str, Any], environ: dict[str, Any]) -> dict[str, Any]:
        """StartCrawler: run the crawler as moto holds it."""
        backend, region = self._backend(environ)
        with self.moto_lock:
            crawler = backend.get_crawler(request.get("Name", "")).as_dict()
        self.runs.start(crawler, region)
        return {}

    def start_job_run(self, request: dict[str, Any], environ: dict[str, Any]) -> dict[str, Any]:
        """StartJobRun: run the job's script as moto holds the job."""
        backend, region = self._backend(environ)
        with self.moto_lock:
            job = backend.get_job(request.get("JobName", "")).as_dict()
        return {"JobRunId": self.jobs.start(job, request.get("Arguments") or {}, region)}

    def job_run(self, request: dict[str, Any], _environ: dict[str, Any]) -> dict[str, Any]:
        """GetJobRun: one run of one job."""
        name, run_id = (required(request, key, invalid) for key in ("JobName", "RunId"))
        return {"JobRun": self.jobs.get(name, run_id).describe()}

    def job_runs(self, request: dict[str, Any], environ: dict[str, Any]) -> dict[str, Any]:
        """GetJobRuns: the job's runs, newest first."""
        backend, _ = self._backend(environ)
        with self.moto_lock:
            name = backend.get_job(request.get("JobName", "")).name
        return {"JobRuns": [run.describe() for run in self.jobs.of_job(name)]}

    def stop_job_runs(self, request: dict[str, Any], _environ: dict[str, Any]) -> dict[str, Any]:
        """BatchStopJobRun: stop each run named; the ones that cannot be stopped are errors."""
        name, stopped, errors = required(request, "JobName", invalid), [], []
        for run_id in request.get("JobRunIds", []):
            try:
                self.jobs.stop(name, run_id)
                stopped.append({"JobName": name, "JobRunId": run_id})
            except JsonRESTError as error:
                detail = {"ErrorCode": error.error_type, "ErrorMessage": error.message}
                errors.append({"JobName": name, "JobRunId": run_id, "ErrorDetail": detail})
        return {"SuccessfulSubmissions": stopped, "Errors": errors}

    def crawler_metrics(self, request: dict[str, Any], environ: dict[str, Any]) -> dict[str, Any]:
        """GetCrawlerMetrics of the crawlers named, or of every crawler."""
        backend, _ = self._backend(environ)
        with self.moto_lock:
            names = request.get("CrawlerNameList") or [c.name for c in backend.get_crawlers()]
        return {"CrawlerMetricsList": [self.runs.metrics(name) for name in names]}

    def describe_crawlers(self, answer: bytes, key: str) -> bytes:
        """The moto answer, with the state and last crawl of each crawler it describes."""
        described = json.loads(answer)
        found = described.get(key)
        if isinstance(found, list):
            described[key] = [self.runs.describe(crawler) for crawler in found]
        elif isinstance(found, dict):
            described[key] = self.runs.describe(found)
        return json.dumps(described, default=str).encode()

    @staticmethod
    def _done(_: None) -> dict[str, Any]:
        """The empty answer of an action that succeeded."""
        return {}

    @staticmethod
    def _backend(environ: dict[str, Any]) -> tuple[GlueBackend, str]:
        """The moto Glue backend of the request's account and region, and that region."""
        account, region = signer(environ)
        return glue_backends[account][region], region
