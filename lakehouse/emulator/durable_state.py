"""moto's state on disk: a snapshot of its backends plus a journal of every change since.

moto keeps everything in memory. Each request that changes it is appended to the journal (and
fsynced) before its answer leaves, so an acknowledged change survives a SIGKILL or a reboot. On
start the last snapshot is loaded and the journal replayed on it; then both are folded into a new
snapshot. The snapshot's generation names the journal that follows it, so a crash between writing
a snapshot and removing the old journal never replays a change twice. Private keys (every KMS key
holds one), which pickle cannot copy, are kept as PEM.
"""

import base64
import importlib
import io
import json
import logging
import os

# The snapshot is the emulator's own state file, written by this module only.
import pickle  # nosec B403
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from moto.core.base_backend import BackendDict
from werkzeug.test import EnvironBuilder

from lakehouse.emulator.wsgi import request_headers

log = logging.getLogger(__name__)
SNAPSHOT = "moto-state.pickle"
#: A running emulator folds its journal into a snapshot once it holds this many changes.
COMPACT_EVERY = 5_000
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True)
class RecordedRequest:
    """One request that changed moto's state, as the journal keeps it."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: str  # base64

    @classmethod
    def of(cls, environ: dict[str, Any], body: bytes) -> "RecordedRequest":
        """The request of a WSGI ``environ`` whose body was ``body``."""
        headers = request_headers(environ)
        headers.pop("Content-Length", None)  # the replayed body sets it
        return cls(
            environ["REQUEST_METHOD"],
            environ.get("PATH_INFO", "/"),
            environ.get("QUERY_STRING", ""),
            headers,
            base64.b64encode(body).decode("ascii"),
        )

    def to_environ(self) -> dict[str, Any]:
        """A WSGI environ that sends this request again."""
        builder = EnvironBuilder(
            path=self.path,
            method=self.method,
            query_string=self.query,
            headers=self.headers,
            data=base64.b64decode(self.body),
        )
        return builder.get_environ()


class DurableState:
    """The snapshot and journal of moto's state in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.generation = 0
        self.changes = 0
        self._journal: Any = None

    def restore(self, app: WsgiApp) -> int:
        """Load the snapshot, replay the journal through ``app``, then compact; returns replays."""
        self.folder.mkdir(parents=True, exist_ok=True)
        snapshot = self.folder / SNAPSHOT
        if snapshot.is_file():
            saved = pickle.loads(snapshot.read_bytes())  # noqa: S301  # nosec B301
            self.generation = saved["generation"]
            _load_backends(saved["backends"])
        replayed = 0
        for request in _read_journal(self._journal_path(self.generation)):
            _send(app, request.to_environ())
            replayed += 1
        self.compact()
        return replayed

    def record(self, request: RecordedRequest) -> None:
        """Append ``request`` to the journal and flush it to disk."""
        if self._journal is None:
            self._journal = self._journal_path(self.generation).open("a", encoding="utf-8")
        self._journal.write(json.dumps(asdict(request)) + "\n")
        self._journal.flush()
        os.fsync(self._journal.fileno())
        self.changes += 1

    def compact(self) -> bool:
        """Write moto's whole state as the next snapshot and drop the journal it includes.

        Returns whether it did; a backend that cannot be pickled keeps the journal as it is.
        """
        try:
            state = _pickled({"generation": self.generation + 1, "backends": _live_backends()})
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            log.warning("moto state not compacted, the journal keeps it: %s", error)
            return False
        _write_atomically(self.folder / SNAPSHOT, state)
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        for journal in self.folder.glob("journal-*.jsonl"):  # all folded into the snapshot
            journal.unlink()
        self.generation += 1
        self.changes = 0
        return True

    def _journal_path(self, generation: int) -> Path:
        return self.folder / f"journal-{generation}.jsonl"


#: The private keys moto makes (KMS, ACM, EC2 key pairs): objects of the library's Rust core.
_PRIVATE_KEYS = (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey)


class _StatePickler(pickle.Pickler):
    """A pickler that keeps the cryptography library's private keys as PEM."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, _PRIVATE_KEYS):
            pem = obj.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            return _private_key, (pem,)
        return NotImplemented


def _private_key(pem: bytes) -> Any:
    """The private key of a snapshot's PEM (a function of this module, which pickle can name)."""
    return serialization.load_pem_private_key(pem, password=None)


def _pickled(state: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    _StatePickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(state)
    return buffer.getvalue()


def _live_backends() -> dict[str, BackendDict]:
    """Every moto backend loaded so far, by ``module:attribute``."""
    found: dict[int, tuple[str, BackendDict]] = {}
    for module_name, module in list(sys.modules.items()):
        if not (module_name.startswith("moto.") and module_name.endswith(".models")):
            continue
        for attribute, value in vars(module).items():
            if isinstance(value, BackendDict) and id(value) not in found:
                found[id(value)] = (f"{module_name}:{attribute}", value)
    return dict(found.values())


def _load_backends(saved: dict[str, BackendDict]) -> None:
    """Put the saved backends into the live ones (the objects moto looks up), attributes too."""
    for name, backends in saved.items():
        module_name, attribute = name.split(":")
        live = getattr(importlib.import_module(module_name), attribute)
        live.clear()
        live.update(backends)
        vars(live).update(vars(backends))


def _read_journal(path: Path) -> Iterator[RecordedRequest]:
    """The journal's requests; a line cut short by a crash ends it."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as journal:
        for line in journal:
            try:
                yield RecordedRequest(**json.loads(line))
            except (json.JSONDecodeError, TypeError):
                log.warning("journal %s ends in a partial line; it is ignored", path.name)
                return


def _send(app: WsgiApp, environ: dict[str, Any]) -> None:
    for _ in app(environ, lambda *_args, **_kwargs: None):
        pass


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)
