import socket

import pytest

from lakehouse.errors import ConfigError
from lakehouse.stack.endpoints import free_port, parse_endpoint, wait_until


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:4566", ("127.0.0.1", 4566)),  # the local profile's default
        ("http://localhost:14566/", ("localhost", 14566)),  # a trailing slash is ignored
        ("http://moto", ("moto", 80)),  # a Compose service name without a port
        ("https://emulator.example", ("emulator.example", 443)),  # https without a port
    ],
)
def test_parse_endpoint_returns_host_and_port(url, expected):
    assert parse_endpoint(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "127.0.0.1:4566",  # no scheme, so no host
        "http://127.0.0.1:notaport",  # port is not a number
        "ftp://127.0.0.1",  # unknown scheme without a port
    ],
)
def test_parse_endpoint_rejects_a_url_without_host_or_port_naming_the_variable(url):
    with pytest.raises(ConfigError, match=r"AWS_ENDPOINT_URL=.* is not an http://host:port URL"):
        parse_endpoint(url)


def test_wait_until_returns_true_once_the_check_passes():
    answers = iter([False, False, True])

    assert wait_until(lambda: next(answers), timeout=5, interval=0) is True


def test_wait_until_returns_false_when_the_check_never_passes():
    assert wait_until(lambda: False, timeout=0.05, interval=0.01) is False


def test_a_free_port_can_be_listened_on() -> None:
    port = free_port()

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", port))
        listener.listen()
        assert listener.getsockname()[1] == port
