"""Small source batches written inline by tests: each entity's CSV header, and a folder of files."""

from pathlib import Path

from lakehouse.schema import raw_entity


def csv_header(entity: str) -> str:
    """The header line of ``entity``'s CSV files, columns in the schema source's order."""
    return ",".join(column.name for column in raw_entity(entity).columns) + "\n"


def write_batch(folder: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (entity -> CSV text) as ``<entity>.csv`` into the new ``folder``."""
    folder.mkdir()
    for entity, text in files.items():
        (folder / f"{entity}.csv").write_text(text, encoding="utf-8")
    return folder
