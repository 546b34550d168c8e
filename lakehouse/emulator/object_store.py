"""Forwarding S3 requests to s3proxy, streaming both bodies; its answers pass back unchanged."""

import http.client
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape

from lakehouse.emulator.wsgi import request_headers

#: Headers that belong to one connection, not to the request (RFC 9110 section 7.6.1), and
#: ``Expect``: the WSGI server has already answered ``100-continue``.
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "expect",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
#: Headers not passed to s3proxy: those above, and a role session's token, which the emulator
#: has checked and s3proxy refuses as a feature it lacks (NotImplemented).
_NOT_PASSED = _HOP_BY_HOP | {"x-amz-security-token"}
#: The XML namespace of S3's documents, as ElementTree spells it before a tag name.
S3_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
CHUNK_BYTES = 1024 * 1024
#: Seconds a forwarded request may wait for s3proxy (a large part upload on a busy machine).
TIMEOUT = 600.0
StartResponse = Callable[..., Any]


class Answer(NamedTuple):
    """A whole answer of s3proxy: status line, headers and body."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes


class ObjectStore:
    """The s3proxy server at ``url`` (``http://host:port``)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.url = url
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80

    def forward(
        self, environ: dict[str, Any], start_response: StartResponse, body: bytes | None = None
    ) -> Iterable[bytes]:
        """Send the request of ``environ`` (with ``body`` when it was read already) on."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            connection.request(
                environ["REQUEST_METHOD"],
                request_uri(environ),
                body=body if body is not None else _request_body(environ),
                headers=_request_headers(environ),
                encode_chunked=body is None and _is_chunked(environ),
            )
            response = connection.getresponse()
        except ConnectionAbortedError as error:  # closing drops the upload in s3proxy
            connection.close()
            return s3_error(start_response, "400 Bad Request", "IncompleteBody", str(error))
        except OSError as error:
            connection.close()
            return unavailable(start_response, f"s3proxy at {self.url} is not answering: {error}")
        headers = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP]
        start_response(f"{response.status} {response.reason}", headers)
        return _stream(response, connection)

    def fetch(self, method: str, uri: str) -> Answer:
        """Send a bodiless request for ``uri`` (path and query, encoded) and read the answer.

        Raises:
            OSError: When s3proxy does not answer.
        """
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            connection.request(method, uri)
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        return Answer(f"{response.status} {response.reason}", response.getheaders(), body)


def request_uri(environ: dict[str, Any]) -> str:
    """The request's path and query as the client sent them (percent-encoding kept)."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return raw
    query = environ.get("QUERY_STRING")
    return quote(environ.get("PATH_INFO", "/")) + (f"?{query}" if query else "")


def unavailable(start_response: StartResponse, message: str) -> list[bytes]:
    """An S3 ``ServiceUnavailable`` error naming what is missing."""
    return s3_error(
        start_response,
        "503 Service Unavailable",
        "ServiceUnavailable",
        f"{message}; run `lakehouse up`",
    )


def s3_error(start_response: StartResponse, status: str, code: str, message: str) -> list[bytes]:
    """An S3 error document with ``code`` and ``message``, answered with ``status``."""
    body = (
        "<?xml version='1.0' encoding='UTF-8'?>"
        f"<Error><Code>{code}</Code><Message>{escape(message)}</Message></Error>"
    ).encode()
    start_response(
        status, [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))]
    )
    return [body]


def _request_headers(environ: dict[str, Any]) -> dict[str, str]:
    headers = request_headers(environ)
    return {name: value for name, value in headers.items() if name.lower() not in _NOT_PASSED}


def _is_chunked(environ: dict[str, Any]) -> bool:
    return not environ.get("CONTENT_LENGTH") and bool(environ.get("wsgi.input_terminated"))


def _request_body(environ: dict[str, Any]) -> Iterator[bytes] | None:
    """The request body as chunks (up to ``Content-Length``, or to its end when chunked)."""
    stream = environ["wsgi.input"]
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if not length and not _is_chunked(environ):
        return None
    return _read_chunks(stream, length or None)


def _read_chunks(stream: Any, length: int | None) -> Iterator[bytes]:
    """Chunks of the body; a body cut short of ``length`` aborts the request to s3proxy.

    Raises:
        ConnectionAbortedError: When the client stopped sending before ``length`` bytes, so
            that s3proxy drops the upload at once rather than wait for the rest.
    """
    remaining = length
    while remaining is None or remaining > 0:
        chunk = stream.read(CHUNK_BYTES if remaining is None else min(CHUNK_BYTES, remaining))
        if not chunk:
            if remaining is not None:
                raise ConnectionAbortedError(f"the request body ended {remaining} bytes short")
            return
        if remaining is not None:
            remaining -= len(chunk)
        yield chunk


def _stream(
    response: http.client.HTTPResponse, connection: http.client.HTTPConnection
) -> Iterator[bytes]:
    try:
        while chunk := response.read(CHUNK_BYTES):
            yield chunk
    finally:
        connection.close()
