"""Which backend owns a request: s3proxy (objects), moto (everything else), or both (buckets)."""

from enum import StrEnum
from typing import Any
from urllib.parse import parse_qsl

#: Bucket subresources that are configuration, not data: moto keeps them (s3proxy has none).
BUCKET_CONFIGURATION = frozenset(
    {
        "accelerate",
        "analytics",
        "cors",
        "encryption",
        "intelligent-tiering",
        "inventory",
        "lifecycle",
        "logging",
        "metrics",
        "notification",
        "object-lock",
        "ownershipControls",
        "policy",
        "policyStatus",
        "publicAccessBlock",
        "replication",
        "requestPayment",
        "tagging",
        "versioning",
        "website",
    }
)
#: Action names of requests that change nothing (every other moto request is journaled).
READ_ONLY_PREFIXES = (
    "BatchGet",
    "Check",
    "Describe",
    "Estimate",
    "Filter",
    "Get",
    "Head",
    "List",
    "Lookup",
    "Query",
    "Scan",
    "Search",
    "Simulate",
    "Validate",
)
#: Services whose state is not worth keeping across restarts (temporary credentials).
NOT_JOURNALED = frozenset({"sts"})
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Route(StrEnum):
    """The backend a request goes to."""

    OBJECTS = "objects"  # s3proxy: object data, listings, multipart uploads
    MOTO = "moto"  # moto: every other service, and S3 bucket configuration
    BUCKET = "bucket"  # both: creating or deleting a bucket


def route_s3(method: str, path: str, query: str) -> Route:
    """The backend of an S3 request (path-style: ``/<bucket>[/<key>]``)."""
    bucket, _, key = path.lstrip("/").partition("/")
    if not bucket or key:
        return Route.OBJECTS
    names = {name for name, _ in parse_qsl(query, keep_blank_values=True)}
    if names & BUCKET_CONFIGURATION:
        return Route.MOTO
    if not names and method in {"PUT", "DELETE"}:
        return Route.BUCKET
    return Route.OBJECTS


def action_of(environ: dict[str, Any], body: bytes) -> str | None:
    """The API action a request calls: ``X-Amz-Target``, an RPC v2 path or ``Action=``."""
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return target.rsplit(".", 1)[-1]
    _, rpc, operation = environ.get("PATH_INFO", "").rpartition("/operation/")
    if rpc and operation:
        return operation
    for text in (environ.get("QUERY_STRING", ""), _form_text(environ, body)):
        for name, value in parse_qsl(text):
            if name == "Action":
                return value
    return None


def changes_state(service: str, method: str, action: str | None) -> bool:
    """Whether a moto request may change what moto holds, so the journal must keep it."""
    if service in NOT_JOURNALED:
        return False
    if action is None:
        return method not in _READ_METHODS
    return not action.startswith(READ_ONLY_PREFIXES)


def _form_text(environ: dict[str, Any], body: bytes) -> str:
    if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        return ""
    return body.decode("utf-8", errors="replace")
