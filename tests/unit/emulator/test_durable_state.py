"""moto's state on disk: journaled changes and snapshots come back after the process is gone.

moto runs in this process (no server); "the process is gone" is its Glue backend reset.
"""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from moto.backends import get_backend
from werkzeug.test import Client

from lakehouse.emulator.app import Emulator
from lakehouse.emulator.durable_state import SNAPSHOT, DurableState
from lakehouse.emulator.object_store import ObjectStore

#: The JSON protocol's target prefix of each service called here.
TARGETS = {"glue": "AWSGlue", "kms": "TrentService"}


@pytest.fixture
def glue() -> Iterator[None]:
    """moto's Glue backend, empty before and after the test."""
    get_backend("glue").reset()
    yield
    get_backend("glue").reset()


def call(emulator: Emulator, service: str, action: str, body: dict) -> dict:
    """Call ``action`` of ``service`` (a JSON-protocol one) through the emulator."""
    response = Client(emulator).post(
        "/",
        data=json.dumps(body),
        headers={
            "X-Amz-Target": f"{TARGETS[service]}.{action}",
            "Content-Type": "application/x-amz-json-1.1",
            "Authorization": (
                f"AWS4-HMAC-SHA256 Credential=test/20261205/us-east-1/{service}/aws4_request,"
                " SignedHeaders=host, Signature=0"
            ),
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.loads(response.get_data() or b"{}")


def call_glue(emulator: Emulator, action: str, body: dict) -> dict:
    return call(emulator, "glue", action, body)


def started(folder: Path) -> Emulator:
    """An emulator restored from ``folder`` (its s3proxy is never called here)."""
    emulator = Emulator(
        ObjectStore("http://127.0.0.1:9"), DurableState(folder), "http://127.0.0.1:9"
    )
    emulator.state.restore(emulator.moto)
    return emulator


def databases(emulator: Emulator) -> list[str]:
    return [entry["Name"] for entry in call_glue(emulator, "GetDatabases", {})["DatabaseList"]]


def test_a_journaled_change_comes_back_after_the_process_is_gone(tmp_path, glue):
    emulator = started(tmp_path)
    call_glue(emulator, "CreateDatabase", {"DatabaseInput": {"Name": "sales"}})
    call_glue(emulator, "GetDatabases", {})  # a read: not journaled

    get_backend("glue").reset()  # SIGKILL: moto's memory is gone, no snapshot was written
    journal = (tmp_path / "journal-1.jsonl").read_text().splitlines()

    assert [json.loads(line)["headers"]["X-Amz-Target"] for line in journal] == [
        "AWSGlue.CreateDatabase"
    ]
    assert databases(started(tmp_path)) == ["sales"]


def test_a_journal_line_cut_short_by_a_crash_is_ignored(tmp_path, glue):
    emulator = started(tmp_path)
    call_glue(emulator, "CreateDatabase", {"DatabaseInput": {"Name": "sales"}})
    with (tmp_path / "journal-1.jsonl").open("a") as journal:
        journal.write('{"method": "POST", "path": "/", "qu')  # the process died mid-write

    get_backend("glue").reset()

    assert databases(started(tmp_path)) == ["sales"]


def test_a_compacted_state_comes_back_from_the_snapshot_alone(tmp_path, glue):
    emulator = started(tmp_path)
    call_glue(emulator, "CreateDatabase", {"DatabaseInput": {"Name": "sales"}})
    assert emulator.state.compact()

    get_backend("glue").reset()

    assert sorted(path.name for path in tmp_path.iterdir()) == [SNAPSHOT]
    assert databases(started(tmp_path)) == ["sales"]


def test_a_journal_already_in_the_snapshot_is_not_replayed(tmp_path, glue):
    emulator = started(tmp_path)
    call_glue(emulator, "CreateDatabase", {"DatabaseInput": {"Name": "sales"}})
    journal = (tmp_path / "journal-1.jsonl").read_text()
    emulator.state.compact()
    # A crash between writing the snapshot and removing the journal it folded in.
    (tmp_path / "journal-1.jsonl").write_text(journal)
    call_glue(emulator, "DeleteDatabase", {"Name": "sales"})

    get_backend("glue").reset()

    assert databases(started(tmp_path)) == []


def test_a_kms_key_and_its_private_key_come_back_from_a_snapshot(tmp_path):
    get_backend("kms").reset()
    emulator = started(tmp_path)
    key_id = call(emulator, "kms", "CreateKey", {"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"})[
        "KeyMetadata"
    ]["KeyId"]
    public_key = call(emulator, "kms", "GetPublicKey", {"KeyId": key_id})["PublicKey"]

    assert emulator.state.compact()  # moto's key objects hold the library's unpicklable keys
    get_backend("kms").reset()
    restored = started(tmp_path)

    assert call(restored, "kms", "GetPublicKey", {"KeyId": key_id})["PublicKey"] == public_key
    get_backend("kms").reset()
