"""Answers in AWS's JSON protocol (Glue, the Redshift Data API): a result, or an error by type."""

import json
from collections.abc import Callable, Iterable
from typing import Any

from moto.core.exceptions import JsonRESTError

from lakehouse.emulator.object_store import StartResponse

_JSON = [("Content-Type", "application/x-amz-json-1.1")]


def json_answer(
    start_response: StartResponse, compute: Callable[[], dict[str, Any]]
) -> Iterable[bytes]:
    """The result of ``compute()`` as a 200, or the error it raised as AWS renders it."""
    try:
        result = compute()
    except JsonRESTError as error:
        start_response(f"{error.code} Error", error.get_headers())
        return [error.get_body().encode()]
    start_response("200 OK", _JSON)
    return [json.dumps(result, default=str).encode()]


def required(request: dict[str, Any], key: str, invalid: Callable[[str], JsonRESTError]) -> Any:
    """A field the request must give; else the API's own invalid-input error, naming it."""
    if request.get(key) in (None, "", []):
        raise invalid(f"{key} is required")
    return request[key]
