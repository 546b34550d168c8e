"""The release manifest: one entry per artifact in ``dist/`` with its size and SHA-256.

The manifest is written last, after every artifact, so its hashes describe exactly what is in the
folder. Writing it again over the same artifacts gives the same file (entries are sorted).
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

MANIFEST_NAME = "manifest.json"
_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Artifact:
    """One file of the release: where it is (relative to ``dist/``), what it is, its hash."""

    path: str
    kind: str
    sha256: str
    size: int


@dataclass
class Manifest:
    """Everything ``make package`` produced, plus notes on what is not in it yet."""

    version: str
    commit: str
    artifacts: list[Artifact] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, dist: Path, path: Path, kind: str) -> Artifact:
        """Hash ``path`` (a file under ``dist``) and record it as an artifact of ``kind``."""
        artifact = Artifact(
            path=path.relative_to(dist).as_posix(),
            kind=kind,
            sha256=sha256_of(path),
            size=path.stat().st_size,
        )
        self.artifacts.append(artifact)
        return artifact

    def write(self, dist: Path) -> Path:
        """Write ``manifest.json`` into ``dist``, artifacts sorted by path; returns its path."""
        document = asdict(self)
        document["artifacts"] = sorted(document["artifacts"], key=lambda item: item["path"])
        target = dist / MANIFEST_NAME
        target.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        return target


def verify(dist: Path) -> list[str]:
    """Problems found re-hashing the artifacts listed in ``dist/manifest.json``; empty if none."""
    document = json.loads((dist / MANIFEST_NAME).read_text(encoding="utf-8"))
    problems = []
    for item in document["artifacts"]:
        path = dist / item["path"]
        if not path.is_file():
            problems.append(f"{item['path']}: missing")
        elif sha256_of(path) != item["sha256"]:
            problems.append(f"{item['path']}: sha256 differs from the manifest")
    return problems
