import socket
import threading

from lakehouse.config import load_settings
from lakehouse.stack.emulator_services import EmulatorService, S3ProxyService


def echo_once(server: socket.socket) -> None:
    """Answer one connection with its own request: what a TCP self-connection reads."""
    connection, _ = server.accept()
    with connection:
        connection.sendall(connection.recv(4096))


def test_a_health_probe_that_reads_its_own_request_back_means_not_healthy(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        settings = load_settings(
            {"LAKEHOUSE_S3PROXY_PORT": str(port), "LAKEHOUSE_STATE_DIR": str(tmp_path)}
        )
        echo = threading.Thread(target=echo_once, args=(server,))
        echo.start()

        assert S3ProxyService().is_healthy(settings) is False
        echo.join(timeout=5)


def test_the_services_run_as_modules_of_this_project(tmp_path):
    settings = load_settings(
        {"AWS_ENDPOINT_URL": "http://127.0.0.1:4566", "LAKEHOUSE_STATE_DIR": str(tmp_path)}
    )

    emulator = EmulatorService().command(settings)
    s3proxy = S3ProxyService().command(settings)

    assert emulator[1:] == [
        "-m",
        "lakehouse.emulator",
        *("--host", "127.0.0.1", "--port", "4566"),
        *("--objects", "http://127.0.0.1:4567", "--state", str(tmp_path / "emulator")),
    ]
    assert s3proxy[1:7] == [
        "-m",
        "lakehouse.emulator.s3proxy",
        *("--port", "4567", "--data", str(tmp_path / "lake")),
    ]
