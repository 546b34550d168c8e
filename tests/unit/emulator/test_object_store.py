import io
import socket
import threading

from lakehouse.emulator.object_store import ObjectStore


def test_a_body_cut_short_is_answered_incomplete_body_and_the_upload_to_s3proxy_dropped():
    listener = socket.create_server(("127.0.0.1", 0))
    received: list[bytes] = []

    def s3proxy() -> None:  # reads the forwarded request until the emulator hangs up
        connection, _ = listener.accept()
        with connection:
            while chunk := connection.recv(65536):
                received.append(chunk)

    server = threading.Thread(target=s3proxy)
    server.start()
    environ = {
        "REQUEST_METHOD": "PUT",
        "PATH_INFO": "/lake-raw/sales/part-0.csv",
        "CONTENT_LENGTH": "100",
        "wsgi.input": io.BytesIO(b"x" * 10),
    }
    answered: list[str] = []

    body = ObjectStore(f"http://127.0.0.1:{listener.getsockname()[1]}").forward(
        environ, lambda status, headers: answered.append(status)
    )
    server.join(timeout=10)
    listener.close()

    assert answered == ["400 Bad Request"]
    assert b"<Code>IncompleteBody</Code>" in b"".join(body)
    assert "the request body ended 90 bytes short" in b"".join(body).decode()
    assert not server.is_alive()  # the emulator closed its connection to s3proxy
    assert b"".join(received).endswith(b"x" * 10)
