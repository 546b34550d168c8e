"""The parts of a WSGI request the emulator reads or passes on: headers, body, signer."""

import io
import json
from typing import Any
from urllib.parse import parse_qsl

from moto.core.request import PRESERVED_HEADER_NAMES_ENVIRON_KEY
from moto.iam.models import get_account_id_from

#: moto's region when a request names none.
DEFAULT_REGION = "us-east-1"


def request_headers(environ: dict[str, Any]) -> dict[str, str]:
    """The request's headers by name, as the client spelt them where the server kept that.

    WSGI folds ``X-Amz-Meta-a_b`` into ``HTTP_X_AMZ_META_A_B``; moto's request handler keeps
    the original names of such headers beside them.
    """
    spelt = environ.get(PRESERVED_HEADER_NAMES_ENVIRON_KEY, {})
    headers = {
        spelt.get(key) or key[5:].replace("_", "-").title(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").title()] = environ[key]
    return headers


def read_body(environ: dict[str, Any]) -> bytes:
    """Read the whole request body (only for small ones) and put it back for the next reader."""
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH")
    if length:
        body = stream.read(int(length))
    elif environ.get("wsgi.input_terminated"):  # chunked: the server de-chunks to the end
        body = stream.read()
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


def request_fields(environ: dict[str, Any], body: bytes) -> dict[str, Any]:
    """A JSON request's fields, or a query request's parameters (binary bodies give none)."""
    content_type = environ.get("CONTENT_TYPE", "")
    try:
        if "json" in content_type:
            parsed = json.loads(body or b"{}")
            return parsed if isinstance(parsed, dict) else {}
        if "x-www-form-urlencoded" in content_type:
            return dict(parse_qsl(body.decode()))
    except (ValueError, UnicodeDecodeError):
        pass
    return {}


def query_parameters(environ: dict[str, Any]) -> dict[str, str]:
    """The request's query parameters (a presigned URL's signature is there)."""
    return dict(parse_qsl(environ.get("QUERY_STRING", "")))


def credential_scope(environ: dict[str, Any]) -> tuple[str, str, str] | None:
    """The access key, region and signing name of a SigV4-signed request (header or query)."""
    header = environ.get("HTTP_AUTHORIZATION", "")
    if "Credential=" in header:
        credential = header.split("Credential=", 1)[1].split(",", 1)[0]
    else:
        credential = query_parameters(environ).get("X-Amz-Credential", "")
    parts = credential.strip().split("/")
    return (parts[0], parts[2], parts[3]) if len(parts) >= 5 else None


def signer(environ: dict[str, Any]) -> tuple[str, str]:
    """The account (moto's, from the access key) and region that signed the request."""
    scope = credential_scope(environ)
    access_key, region = (scope[0], scope[1]) if scope else ("", DEFAULT_REGION)
    return get_account_id_from(access_key), region
