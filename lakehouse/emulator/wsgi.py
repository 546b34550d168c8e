"""The parts of a WSGI request the emulator passes on: its headers and its body."""

import io
from typing import Any

from moto.core.request import PRESERVED_HEADER_NAMES_ENVIRON_KEY


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
