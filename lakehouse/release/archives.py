"""Reproducible zip archives: the same source files always give the same bytes (and hash)."""

import zipfile
from collections.abc import Iterable
from pathlib import Path

#: Fixed timestamp of every member (the zip format cannot store dates before 1980).
_EPOCH = (1980, 1, 1, 0, 0, 0)
_SKIPPED_PARTS = {"__pycache__", ".pytest_cache", ".ruff_cache"}
_SKIPPED_SUFFIXES = {".pyc", ".pyo"}


def source_files(folder: Path) -> list[Path]:
    """Files under ``folder`` worth shipping (no caches or bytecode), sorted by path."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not _SKIPPED_PARTS.intersection(path.relative_to(folder).parts)
        and path.suffix not in _SKIPPED_SUFFIXES
    )


def write_zip(target: Path, files: Iterable[Path], base: Path) -> Path:
    """Zip ``files`` into ``target`` under their paths relative to ``base``, reproducibly.

    Members are sorted, dated 1980-01-01 and stored with mode 0644, so rebuilding from the same
    files gives a byte-identical archive. Overwrites ``target``.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            member = zipfile.ZipInfo(path.relative_to(base).as_posix(), date_time=_EPOCH)
            member.external_attr = 0o100644 << 16
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, path.read_bytes())
    return target
