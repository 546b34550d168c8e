"""Glue's CSV classifiers, which moto does not keep: created, read, updated and deleted here.

They are kept in one JSON file in the emulator's state folder, rewritten whole (and fsynced)
before each change is answered, so a deployed classifier survives a restart or a SIGKILL as
moto's state does. Only CSV classifiers are emulated: a Grok, XML or JSON one is refused with
an error that says so, never kept and ignored.
"""

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

from moto.glue.exceptions import AlreadyExistsException, EntityNotFoundException
from moto.glue.exceptions import InvalidInputException as _InvalidInput

from lakehouse.catalog.csv_classifier import HEADER_CHOICES

FILE = "glue-classifiers.json"
CSV = "CsvClassifier"
_OTHER_KINDS = ("GrokClassifier", "XMLClassifier", "JsonClassifier")
#: Fields of a CsvClassifier that CreateClassifier and UpdateClassifier take.
_CSV_FIELDS = frozenset(
    {
        "Name",
        "Delimiter",
        "QuoteSymbol",
        "ContainsHeader",
        "Header",
        "DisableValueTrimming",
        "AllowSingleColumn",
        "CustomDatatypeConfigured",
        "CustomDatatypes",
        "Serde",
    }
)


def invalid(message: str) -> _InvalidInput:
    """Glue's InvalidInputException with ``message``."""
    return _InvalidInput("", message)


class ClassifierStore:
    """The CSV classifiers of the emulator, by name, kept in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE
        self.lock = threading.Lock()
        self.classifiers: dict[str, dict[str, Any]] = (
            json.loads(self.path.read_text()) if self.path.is_file() else {}
        )

    def create(self, request: dict[str, Any]) -> None:
        """CreateClassifier: keep a new CSV classifier.

        Raises:
            AlreadyExistsException: A classifier of that name exists.
            InvalidInputException: The request is not a valid CSV classifier.
        """
        fields = csv_fields(request)
        with self.lock:
            if fields["Name"] in self.classifiers:
                raise AlreadyExistsException(f"Classifier {fields['Name']}")
            now = time.time()
            self._save({fields["Name"]: {**fields, "CreationTime": now, "LastUpdated": now}})

    def update(self, request: dict[str, Any]) -> None:
        """UpdateClassifier: change the fields the request gives.

        Raises:
            EntityNotFoundException: No classifier has that name.
            InvalidInputException: The request is not a valid CSV classifier.
        """
        fields = csv_fields(request)
        with self.lock:
            current = self.get(fields["Name"])
            version = current.get("Version", 1) + 1
            changed = {**current, **fields, "LastUpdated": time.time(), "Version": version}
            self._save({fields["Name"]: changed})

    def get(self, name: str) -> dict[str, Any]:
        """The CsvClassifier named ``name``, as GetClassifier describes it.

        Raises:
            EntityNotFoundException: No classifier has that name.
        """
        try:
            return {"Version": 1, **self.classifiers[name]}
        except KeyError:
            raise EntityNotFoundException(f"Classifier {name} not found.") from None

    def all(self) -> list[dict[str, Any]]:
        """Every classifier, in name order, as GetClassifiers lists them."""
        return [{CSV: self.get(name)} for name in sorted(self.classifiers)]

    def delete(self, name: str) -> None:
        """DeleteClassifier.

        Raises:
            EntityNotFoundException: No classifier has that name.
        """
        with self.lock:
            self.get(name)
            self._save({}, removed=name)

    def _save(self, changes: dict[str, dict[str, Any]], removed: str | None = None) -> None:
        """Write the classifiers with ``changes`` (and without ``removed``), then keep them."""
        classifiers = {k: v for k, v in {**self.classifiers, **changes}.items() if k != removed}
        temporary = self.path.with_suffix(".tmp")
        with temporary.open("w") as file:
            json.dump(classifiers, file, indent=1, sort_keys=True)
            file.flush()
            os.fsync(file.fileno())
        temporary.replace(self.path)
        self.classifiers = classifiers


def csv_fields(request: dict[str, Any]) -> dict[str, Any]:
    """The CsvClassifier of a CreateClassifier or UpdateClassifier request, checked as Glue does.

    Raises:
        InvalidInputException: Another kind of classifier, no name, an unknown header choice,
            or a delimiter or quote that is not one character (or both the same).
    """
    kinds = [kind for kind in _OTHER_KINDS if kind in request]
    if kinds:
        raise invalid(
            f"{kinds[0]} is not emulated: the local emulator keeps CSV classifiers only "
            "(a crawler here reads CSV files)"
        )
    fields = request.get(CSV)
    if not isinstance(fields, dict) or not fields.get("Name"):
        raise invalid("a CsvClassifier with a Name is required")
    fields = {key: value for key, value in fields.items() if key in _CSV_FIELDS}
    if fields.get("ContainsHeader", HEADER_CHOICES[-1]) not in HEADER_CHOICES:
        raise invalid(f"ContainsHeader must be one of {', '.join(HEADER_CHOICES)}")
    for key in ("Delimiter", "QuoteSymbol"):
        if key in fields and len(fields[key]) != 1:
            raise invalid(f"{key} must be one character")
    if fields.get("Delimiter", ",") == fields.get("QuoteSymbol", '"'):
        raise invalid("Delimiter and QuoteSymbol must differ")
    return fields
