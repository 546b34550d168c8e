"""IAM on the emulator (``--enforce-iam``): a role's session may call only what its role allows.

A request signed with a session that STS AssumeRole gave on this emulator (its access key and
session token) is evaluated against the policies of the session's role, inline and attached, as
moto holds them from the deployed templates (:mod:`lakehouse.emulator.iam_policies`). A request
signed with any other key (the stack's root test credentials) is the account root's and may call
anything, as on AWS. Denied requests get each protocol's AccessDenied answer and a line in the
emulator's log naming the role, the action and the resource.

What a request is evaluated on (:func:`request_scope`): its action, for every service; the
resources of S3 (bucket and object, both objects of a copy, each key of a batch delete), Glue
(catalog, database, table, crawler, job), CloudWatch Logs (log group and stream), Secrets
Manager (a secret named by ARN) and the Redshift Data API (cluster or workgroup, and the call
for the temporary credentials of a statement without a secret); the condition keys
``s3:prefix`` and ``cloudwatch:namespace`` (JSON and query bodies). Other resources, other
condition keys and resource policies are not evaluated, and signatures are not verified.
"""

import json
import logging
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote

from moto.iam.access_control import AssumedRoleAccessKey, CreateAccessKeyFailure
from moto.iam.exceptions import NotFoundException
from moto.iam.models import get_account_id_from
from moto.s3.responses import ACTION_MAP

from lakehouse.emulator.iam_policies import allows
from lakehouse.emulator.object_store import StartResponse
from lakehouse.emulator.routing import action_of
from lakehouse.emulator.wsgi import (
    credential_scope,
    query_parameters,
    read_body,
    request_fields,
)

log = logging.getLogger(__name__)
#: IAM service prefixes that differ from the signing name in the request's credential scope.
_IAM_PREFIX = {"monitoring": "cloudwatch"}
#: S3 actions whose IAM name differs from the API's.
_S3_IAM_ACTION = {"HeadBucket": "ListBucket"}
_GLUE_TABLE_ACTIONS = frozenset(
    {
        "GetTable", "CreateTable", "UpdateTable", "DeleteTable",
        "GetPartition", "GetPartitions", "BatchGetPartition", "CreatePartition",
        "BatchCreatePartition", "UpdatePartition", "BatchUpdatePartition", "DeletePartition",
        "BatchDeletePartition",
    }
)  # fmt: skip
_GLUE_DATABASE_ACTIONS = frozenset({"GetDatabase", "GetTables", "CreateDatabase"})
_GLUE_CRAWLER_ACTIONS = frozenset(
    {"StartCrawler", "StopCrawler", "GetCrawler", "UpdateCrawler", "DeleteCrawler"}
)
_GLUE_JOB_ACTIONS = frozenset(
    {
        "StartJobRun",
        "GetJob",
        "GetJobRun",
        "GetJobRuns",
        "BatchStopJobRun",
        "UpdateJob",
        "DeleteJob",
    }
)
_LOG_STREAM_ACTIONS = frozenset({"CreateLogStream", "PutLogEvents", "GetLogEvents"})
_STATEMENT_ACTIONS = ("ExecuteStatement", "BatchExecuteStatement")
_S3_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
_TOKEN_PARAMETER = "X-Amz-Security-Token"  # noqa: S105 (a parameter's name)


@dataclass(frozen=True)
class Session:
    """The role session that signed a request."""

    account: str
    region: str
    arn: str
    policies: list[Any]


@dataclass(frozen=True)
class RequestScope:
    """What IAM evaluates a request on: its actions, each on its resources, and condition keys."""

    actions: list[tuple[str, list[str] | None]]
    context: dict[str, str] = field(default_factory=dict)


class AccessControl:
    """Evaluates the requests of role sessions; ``moto_lock`` guards moto's IAM and STS state."""

    def __init__(self, moto_lock: threading.Lock) -> None:
        self.moto_lock = moto_lock

    def denial(
        self, environ: dict[str, Any], service: str
    ) -> Callable[[StartResponse], Iterable[bytes]] | None:
        """The AccessDenied answer to a request its role may not make; ``None`` if it may."""
        signed = credential_scope(environ)
        token = environ.get("HTTP_X_AMZ_SECURITY_TOKEN") or query_parameters(environ).get(
            _TOKEN_PARAMETER
        )
        if signed is None or not token:
            return None
        access_key, region, signing_name = signed
        try:
            session = self.session(access_key, region, token)
        except CreateAccessKeyFailure:  # a role session's key with another token
            message = "The security token included in the request is invalid"
            return lambda start_response: access_denied(environ, message, start_response)
        if session is None:
            return None
        scope = request_scope(service, signing_name, environ, session)
        for action, resources in scope.actions:
            if not allows(session.policies, action, resources, scope.context):
                resource = ", ".join(resources or ["*"])
                log.warning("IAM denied: %s may not %s on %s", session.arn, action, resource)
                message = (
                    f"User: {session.arn} is not authorized to perform: {action} on resource: "
                    f"{resource} because no identity-based policy allows the {action} action"
                )
                return lambda start_response: access_denied(environ, message, start_response)
        return None

    def session(self, access_key: str, region: str, token: str) -> Session | None:
        """The role session of ``access_key``; ``None`` when STS did not issue it here.

        A role deleted since has no policies left: its session may do nothing.

        Raises:
            CreateAccessKeyFailure: The key is a session's, but ``token`` is not its token.
        """
        account = get_account_id_from(access_key)
        with self.moto_lock:
            try:
                key = AssumedRoleAccessKey(
                    account, "aws", access_key, {"X-Amz-Security-Token": token}
                )
            except CreateAccessKeyFailure as failure:
                if failure.reason == "InvalidToken":
                    raise
                return None
            try:
                policies = key.collect_policies()
            except NotFoundException:
                policies = []
        return Session(account, region, key.arn, [_document(policy) for policy in policies])


def request_scope(
    service: str, signing_name: str, environ: dict[str, Any], session: Session
) -> RequestScope:
    """What the request does, for IAM: S3's by its method and path, others' by their action."""
    if service == "s3":
        return s3_scope(environ)
    prefix = _IAM_PREFIX.get(signing_name, signing_name)
    body = read_body(environ)
    action = action_of(environ, body) or ""
    request = request_fields(environ, body)
    arn = _ArnMaker(session.region, session.account)
    find = _RESOURCES.get(prefix)
    resources = find(action, request, arn) if find else None
    context = {}
    if prefix == "cloudwatch" and isinstance(request.get("Namespace"), str):
        context["cloudwatch:namespace"] = request["Namespace"]
    actions = [(f"{prefix}:{action}", resources)]
    if prefix == "redshift-data" and action in _STATEMENT_ACTIONS:
        actions += data_api_credentials(request, arn)
    return RequestScope(actions, context)


def s3_scope(environ: dict[str, Any]) -> RequestScope:
    """An S3 request's actions on bucket or object ARNs (path-style addressing)."""
    method = environ["REQUEST_METHOD"]
    bucket, _, key = unquote(environ.get("PATH_INFO", "/")).lstrip("/").partition("/")
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if not key and method == "POST" and "delete" in query:  # DeleteObjects
        keys = _deleted_keys(read_body(environ))
        return RequestScope([("s3:DeleteObject", [_s3_arn(bucket, name) for name in keys])])
    kind = "KEY" if key else "BUCKET"
    table = ACTION_MAP[kind].get(method, {})
    name = next((table[name] for name in query if name in table), table.get("DEFAULT", ""))
    resource = _s3_arn(bucket, key) if key else _s3_arn(bucket)
    actions = [(f"s3:{_S3_IAM_ACTION.get(name, name)}", [resource])]
    source = environ.get("HTTP_X_AMZ_COPY_SOURCE")
    if key and method == "PUT" and source:  # CopyObject, UploadPartCopy: the source is read
        actions.append(("s3:GetObject", [_s3_arn(*unquote(source).lstrip("/").split("/", 1))]))
    context = {"s3:prefix": query.get("prefix", [""])[0]} if name == "ListBucket" else {}
    return RequestScope(actions, context)


@dataclass(frozen=True)
class _ArnMaker:
    region: str
    account: str

    def __call__(self, service: str, resource: str) -> str:
        return f"arn:aws:{service}:{self.region}:{self.account}:{resource}"


def _log_resources(action: str, request: dict[str, Any], arn: _ArnMaker) -> list[str] | None:
    """The log group of a Logs action, or its stream for the actions on one."""
    if not request.get("logGroupName"):
        return None
    group = f"log-group:{request['logGroupName']}"
    stream = request.get("logStreamName")
    if action in _LOG_STREAM_ACTIONS and stream:
        return [arn("logs", f"{group}:log-stream:{stream}")]
    return [arn("logs", f"{group}:*")]


def _secret_resources(_action: str, request: dict[str, Any], _arn: _ArnMaker) -> list[str] | None:
    """The secret of a Secrets Manager action, when the request names it by ARN."""
    secret = str(request.get("SecretId", ""))
    return [secret] if secret.startswith("arn:") else None


def data_api_credentials(request: dict[str, Any], arn: _ArnMaker) -> list[tuple[str, list[str]]]:
    """What a statement without a secret also takes: the call for its temporary credentials."""
    cluster, workgroup = request.get("ClusterIdentifier"), request.get("WorkgroupName")
    if request.get("SecretArn") or not (cluster or workgroup):
        return []
    if workgroup:
        return [
            (
                "redshift-serverless:GetCredentials",
                [arn("redshift-serverless", f"workgroup/{workgroup}")],
            )
        ]
    database = arn("redshift", f"dbname:{cluster}/{request.get('Database', '')}")
    if request.get("DbUser"):
        user = arn("redshift", f"dbuser:{cluster}/{request['DbUser']}")
        return [("redshift:GetClusterCredentials", [user, database])]
    return [("redshift:GetClusterCredentialsWithIAM", [database])]


def _data_api_resources(action: str, request: dict[str, Any], arn: _ArnMaker) -> list[str] | None:
    """The cluster or workgroup that a Data API statement runs on."""
    if action not in _STATEMENT_ACTIONS:
        return None
    if request.get("ClusterIdentifier"):
        return [arn("redshift", f"cluster:{request['ClusterIdentifier']}")]
    if request.get("WorkgroupName"):
        return [arn("redshift-serverless", f"workgroup/{request['WorkgroupName']}")]
    return None


def _glue_resources(action: str, request: dict[str, Any], arn: _ArnMaker) -> list[str] | None:
    """The catalog, database and table of a catalog action; the crawler or job of a run's."""
    database = request.get("DatabaseName")
    if database and action in _GLUE_TABLE_ACTIONS | _GLUE_DATABASE_ACTIONS:
        found = [arn("glue", "catalog"), arn("glue", f"database/{database}")]
        table = (
            request.get("TableName")
            or request.get("Name")
            or (request.get("TableInput") or {}).get("Name")
        )
        if action in _GLUE_TABLE_ACTIONS and table:
            found.append(arn("glue", f"table/{database}/{table}"))
        return found
    if action in _GLUE_CRAWLER_ACTIONS and request.get("Name"):
        return [arn("glue", f"crawler/{request['Name']}")]
    if action == "GetCrawlerMetrics" and request.get("CrawlerNameList"):
        return [arn("glue", f"crawler/{name}") for name in request["CrawlerNameList"]]
    if action in _GLUE_JOB_ACTIONS and request.get("JobName"):
        return [arn("glue", f"job/{request['JobName']}")]
    return None


#: How to find the resources of each service's actions (others: not evaluated).
_RESOURCES: dict[str, Callable[[str, dict[str, Any], _ArnMaker], list[str] | None]] = {
    "glue": _glue_resources,
    "logs": _log_resources,
    "secretsmanager": _secret_resources,
    "redshift-data": _data_api_resources,
}


def _deleted_keys(body: bytes) -> list[str]:
    """The keys a DeleteObjects request names."""
    try:
        root = ET.fromstring(body)  # noqa: S314 (a request to this machine's emulator)
    except ET.ParseError:
        return []
    return [element.text or "" for element in root.iter() if element.tag in ("Key", f"{_S3_NS}Key")]


def _s3_arn(bucket: str, key: str | None = None) -> str:
    return f"arn:aws:s3:::{bucket}" + (f"/{key}" if key is not None else "")


def _document(policy: Any) -> str | dict[str, Any]:
    """The document of an inline policy (as moto keeps it) or of a managed one's default version."""
    if isinstance(policy, str | dict):
        return policy
    return next(version.document for version in policy.versions if version.is_default)


def access_denied(
    environ: dict[str, Any], message: str, start_response: StartResponse
) -> Iterable[bytes]:
    """The request's protocol's AccessDenied answer: JSON, CBOR (RPC v2) or XML."""
    if environ.get("HTTP_X_AMZ_TARGET"):
        body = json.dumps({"__type": "AccessDeniedException", "message": message}).encode()
        start_response("400 Bad Request", [("Content-Type", "application/x-amz-json-1.1")])
        return [body]
    if "/operation/" in environ.get("PATH_INFO", ""):
        headers = [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
        start_response("403 Forbidden", headers)
        return [_cbor_map({"__type": "AccessDenied", "message": message})]
    error = ET.Element("Error")
    ET.SubElement(error, "Code").text = "AccessDenied"
    ET.SubElement(error, "Message").text = message
    root = error
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        root = ET.Element("ErrorResponse")  # the query protocol's envelope
        root.append(error)
    start_response("403 Forbidden", [("Content-Type", "application/xml")])
    return [ET.tostring(root, xml_declaration=True, encoding="utf-8")]


def _cbor_map(fields: dict[str, str]) -> bytes:
    """A CBOR map of short text strings (RFC 8949: major types 5 and 3)."""

    def head(major: int, length: int) -> bytes:
        if length < 24:
            return bytes([major << 5 | length])
        return bytes([major << 5 | 25]) + length.to_bytes(2, "big")  # lengths < 65536

    out = head(5, len(fields))
    for key, value in fields.items():
        for text in (key.encode(), value.encode()[:60000]):
            out += head(3, len(text)) + text
    return out
