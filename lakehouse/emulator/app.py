"""The emulator's one endpoint: each request goes to the backend that owns it.

- S3 objects, listings and multipart uploads go to s3proxy (bytes on disk);
- S3 bucket configuration (encryption, policy, versioning, ...) and every other service go to
  moto, and each change moto accepts is journaled (:mod:`lakehouse.emulator.durable_state`);
- creating or deleting a bucket goes to both, s3proxy first (a bucket with no object is deleted
  even where s3proxy kept empty folders, :mod:`lakehouse.emulator.empty_folders`). A bucket
  that moto creates itself (a CloudFormation stack's) is created in s3proxy too, so that
  objects can be put in it;
- Glue's classifiers, crawler runs and job runs, which moto lacks, are answered in front of it
  (:mod:`lakehouse.emulator.glue_api`), and so is the Redshift Data API, which runs statements
  on the stack's PostgreSQL (:mod:`lakehouse.emulator.data_api`).

With IAM enforced, a request signed by a role's session is first evaluated against its role's
policies, whichever backend owns it (:mod:`lakehouse.emulator.access_control`).
"""

import functools
import io
import json
import threading
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.s3.models import s3_backends

from lakehouse.config import load_settings
from lakehouse.emulator.access_control import AccessControl
from lakehouse.emulator.data_api import DataApi
from lakehouse.emulator.durable_state import COMPACT_EVERY, DurableState, RecordedRequest
from lakehouse.emulator.empty_folders import remove_empty_folders
from lakehouse.emulator.glue_api import GlueApi, MotoAnswer
from lakehouse.emulator.json_protocol import json_answer
from lakehouse.emulator.moto_secrets import secret_exists, secret_fields
from lakehouse.emulator.object_store import ObjectStore, StartResponse
from lakehouse.emulator.object_versions import is_list_versions, list_versions
from lakehouse.emulator.role_sessions import RoleSessions
from lakehouse.emulator.routing import Route, action_of, changes_state, route_s3
from lakehouse.emulator.stack_deletion import stack_warehouses
from lakehouse.emulator.wsgi import read_body, request_fields, signer
from lakehouse.resources.aws import make_client

_S3 = "s3"
_GLUE = "glue"
_DATA_API = "redshiftdata"
_MOTO_API = "moto_api"
#: The request after which the emulator does more than moto (:meth:`Emulator.call_service`).
_DELETE_STACK = ("cloudformation", "DeleteStack")
_STACK_CHANGES = frozenset({"CreateStack", "UpdateStack", "ExecuteChangeSet"})


class Emulator:
    """The WSGI application behind the emulator endpoint."""

    def __init__(
        self,
        objects: ObjectStore,
        state: DurableState,
        endpoint: str,
        warehouse: tuple[str, str] = ("lakehouse/warehouse", "us-east-1"),
        enforce_iam: bool = False,
    ) -> None:
        """Serve ``objects`` and moto with ``state``.

        Args:
            objects: The s3proxy server that keeps the objects.
            state: moto's snapshot and journal.
            endpoint: This emulator's own URL (its crawls and job runs call it).
            warehouse: The secret and region of the PostgreSQL that the Data API runs on.
            enforce_iam: Whether role sessions may call only what their roles allow.
        """
        self.objects, self.state, self.warehouse = objects, state, warehouse
        self.moto = DomainDispatcherApplication(create_backend_app)
        # moto looks a host up by listing its service modules on disk (175 stats a request);
        # the answer for a host never changes, so each is looked up once.
        self.moto.get_backend_for_host = functools.lru_cache(maxsize=1024)(  # type: ignore[method-assign]
            self.moto.get_backend_for_host
        )
        self.lock = threading.Lock()  # moto is not thread-safe; its requests are small
        self.access = AccessControl(self.lock) if enforce_iam else None
        sessions = RoleSessions(endpoint, enforce_iam)
        self.glue = GlueApi(state.folder, sessions, self.lock)
        self.data_api = DataApi(
            self.warehouse_login,
            self.has_secret,
            lambda role: make_client(
                load_settings(sessions.env(warehouse[1], role, "redshift-copy")), "s3"
            ),
        )

    def restore(self) -> int:
        """Bring back moto's saved state and mirror its buckets into s3proxy; returns replays."""
        replayed = self.state.restore(self.moto)
        self.mirror_buckets()
        return replayed

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer one request, unless IAM denies it, from the backend that owns it."""
        service = self.service_of(environ)
        denial = self.access.denial(environ, service) if self.access else None
        if denial is not None:
            return denial(start_response)
        return self.dispatch(service, environ, start_response)

    def dispatch(
        self, service: str, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        """Answer one request of ``service`` from the backend that owns it."""
        if service in (_GLUE, _DATA_API):
            return self.call_api(service, environ, start_response)
        if service != _S3:
            return self.call_service(service, environ, start_response)
        route = route_s3(
            environ["REQUEST_METHOD"],
            environ.get("PATH_INFO", "/"),
            environ.get("QUERY_STRING", ""),
        )
        if route is Route.MOTO:
            return self.call_moto(service, environ, start_response)
        if route is Route.BUCKET:
            return self.change_bucket(environ, start_response)
        if is_list_versions(environ):
            return list_versions(self.objects, environ, start_response)
        return self.objects.forward(environ, start_response)

    def call_api(
        self, service: str, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        """Answer a Glue or Data API request here when this emulator answers its action."""
        body = read_body(environ)
        action = action_of(environ, body) or ""
        if service == _DATA_API:
            request = json.loads(body or b"{}")
            return json_answer(start_response, lambda: self.data_api.answer(action, request))
        if self.glue.handles(action):
            return self.glue(action, environ, body, start_response, self.read_moto)
        return self.call_moto(service, environ, start_response)

    def call_service(
        self, service: str, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        """Answer from moto; after DeleteStack, drop the databases of the stack's warehouses.

        Once moto no longer holds the stack (it forgets one even when it cannot delete its VPC),
        each warehouse of its template has gone with it, and so do its databases
        (:mod:`lakehouse.emulator.stack_deletion`), as AWS deletes a cluster's data with it.
        """
        body = read_body(environ)
        if (service, action_of(environ, body)) != _DELETE_STACK:
            return self.call_moto(service, environ, start_response)
        stack = (*signer(environ), request_fields(environ, body).get("StackName", ""))
        with self.lock:
            warehouses = stack_warehouses(*stack) or []
        answer = self.call_moto(service, environ, start_response)
        with self.lock:
            gone = stack_warehouses(*stack) is None
        for warehouse in warehouses if gone else []:
            self.data_api.drop_warehouse(warehouse)
        return answer

    def service_of(self, environ: dict[str, Any]) -> str:
        """The moto backend a request is for (``s3`` when nothing names one, as on AWS)."""
        path = environ.get("PATH_INFO", "")
        if path.startswith("/moto-api"):
            return _MOTO_API
        host = self.moto.infer_service_region_host(environ, path)
        return (self.moto.get_backend_for_host(host) if host else None) or _S3

    def call_moto(
        self, service: str, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        """Answer from moto; journal the request when it changed moto's state."""
        body = read_body(environ)
        status: list[str] = []

        def keep_status(line: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            status.append(line)
            return start_response(line, headers, *args)

        with self.lock:
            answer = b"".join(self.moto(environ, keep_status))
            action = action_of(environ, body)
            if (
                status
                and status[0][:1] in "23"
                and changes_state(service, environ["REQUEST_METHOD"], action)
            ):
                self._journal(RecordedRequest.of(environ, body))
                if action in _STACK_CHANGES:
                    self.mirror_buckets()
        return [answer]

    def warehouse_login(self) -> dict[str, Any]:
        """Psycopg's arguments to log in to the warehouse as its admin (from its secret)."""
        with self.lock:
            fields = secret_fields(*self.warehouse)
        return {
            "host": fields["host"],
            "port": int(fields["port"]),
            "user": fields["username"],
            "password": fields["password"],
            "dbname": fields.get("dbname", "postgres"),
        }

    def has_secret(self, arn: str) -> bool:
        """Whether moto holds the secret ``arn``."""
        with self.lock:
            return secret_exists(arn)

    def read_moto(self, environ: dict[str, Any]) -> MotoAnswer:
        """The whole moto answer to a request that changes nothing: status, headers and body."""
        answer: list[tuple[str, list[tuple[str, str]]]] = []
        with self.lock:
            body = b"".join(self.moto(environ, lambda *reply: answer.append(reply[:2])))
        return *answer[0], body

    def change_bucket(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        """Create or delete a bucket in s3proxy, then, when that worked, in moto."""
        body = read_body(environ)
        status, headers, chunks = self._forward_whole(environ, body)
        if (
            status.startswith("409")
            and environ["REQUEST_METHOD"] == "DELETE"
            and remove_empty_folders(self.objects, environ["PATH_INFO"].strip("/"))
        ):
            status, headers, chunks = self._forward_whole(environ, body)
        if status[:1] == "2":
            environ["wsgi.input"] = io.BytesIO(body)
            self.call_moto(_S3, environ, lambda *_args: None)
        start_response(status, headers)
        return chunks

    def _forward_whole(
        self, environ: dict[str, Any], body: bytes
    ) -> tuple[str, list[tuple[str, str]], list[bytes]]:
        """Send a request to s3proxy; its status line, headers and body."""
        answer: list[tuple[str, list[tuple[str, str]]]] = []
        chunks = list(self.objects.forward(environ, lambda *reply: answer.append(reply[:2]), body))
        return *answer[0], chunks

    def mirror_buckets(self) -> None:
        """Create in s3proxy every bucket moto holds (those its CloudFormation stacks made)."""
        for bucket in list(s3_backends.bucket_accounts):
            self.objects.fetch("PUT", f"/{quote(bucket)}")

    def _journal(self, request: RecordedRequest) -> None:
        self.state.record(request)
        if self.state.changes >= COMPACT_EVERY:
            self.state.compact()
