"""Match the files of a source folder to the raw entities (CONTRACT.md section 1)."""

from collections.abc import Iterable
from pathlib import Path

from lakehouse.errors import SourceError
from lakehouse.ingest.raw_zone import is_csv_name
from lakehouse.schema import RAW_ENTITIES

_EXPECTED = "<entity>*.csv or <entity>*.csv.gz"


def match_source_files(names: Iterable[str], folder: str) -> dict[str, list[str]]:
    """Group source file names by entity; other file types and hidden files are ignored.

    Args:
        names: File names found in the source folder.
        folder: The folder, for error messages.

    Returns:
        Entity name -> its file names, sorted, for every entity in ``RAW_ENTITIES`` order.

    Raises:
        SourceError: When a CSV file matches no entity or an entity has no file, listing
            every such problem at once.
    """
    entities = [entity.name for entity in RAW_ENTITIES]
    matched: dict[str, list[str]] = {name: [] for name in entities}
    unmatched: list[str] = []
    for name in sorted(names):
        if name.startswith(".") or not is_csv_name(name):
            continue
        entity = next((entity for entity in entities if name.startswith(entity)), None)
        if entity is None:
            unmatched.append(name)
        else:
            matched[entity].append(name)
    problems = [f"{name} matches no entity" for name in unmatched]
    problems += [f"no file for entity {entity!r}" for entity, files in matched.items() if not files]
    if problems:
        raise SourceError(
            f"source folder {folder} breaks the naming contract: {'; '.join(problems)}. "
            f"Name every file {_EXPECTED} with <entity> one of: {', '.join(entities)}"
        )
    return matched


def find_source_files(source_dir: Path) -> dict[str, list[Path]]:
    """Return the source CSV files of ``source_dir`` by entity (see :func:`match_source_files`).

    Raises:
        SourceError: When the folder does not exist or breaks the naming contract.
    """
    if not source_dir.is_dir():
        raise SourceError(
            f"source folder {source_dir} does not exist or is not a folder; "
            f"pass a folder holding {_EXPECTED} files"
        )
    names = [path.name for path in source_dir.iterdir() if path.is_file()]
    matched = match_source_files(names, str(source_dir))
    return {entity: [source_dir / name for name in files] for entity, files in matched.items()}
