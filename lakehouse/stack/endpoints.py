"""Endpoints of the embedded services: parsing URLs, probing ports and waiting for health."""

import socket
import time
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

from lakehouse.errors import ConfigError

_DEFAULT_PORTS = {"http": 80, "https": 443}
#: Opens the stack's own URLs directly, even when the shell sets an HTTP proxy.
DIRECT_HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def parse_endpoint(url: str) -> tuple[str, int]:
    """Return the host and port of an ``http(s)://host[:port]`` URL.

    Raises:
        ConfigError: When the URL has no host or an unknown scheme without a port.
    """
    parts = urlsplit(url)
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        port = None
    if not parts.hostname or port is None:
        raise ConfigError(
            f"AWS_ENDPOINT_URL={url!r} is not an http://host:port URL;"
            " set it like http://127.0.0.1:4566 or unset it to use the default"
        )
    return parts.hostname, port


def is_port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """Return whether something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until(check: Callable[[], bool], timeout: float, interval: float = 0.2) -> bool:
    """Poll ``check`` until it returns true or ``timeout`` seconds pass; return its last answer."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
    return True
