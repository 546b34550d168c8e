"""The emulator's Glue CSV classifiers: Glue's checks and errors, kept on disk."""

from pathlib import Path

import pytest
from moto.glue.exceptions import (
    AlreadyExistsException,
    EntityNotFoundException,
    InvalidInputException,
)

from lakehouse.emulator.classifiers import ClassifierStore

PRESENT = {"CsvClassifier": {"Name": "raw", "Delimiter": ",", "ContainsHeader": "PRESENT"}}


def test_a_classifier_is_kept_on_disk_with_its_updates_and_its_deletion(tmp_path: Path) -> None:
    ClassifierStore(tmp_path).create(PRESENT)
    ClassifierStore(tmp_path).update({"CsvClassifier": {"Name": "raw", "Delimiter": ";"}})

    described = ClassifierStore(tmp_path).get("raw")
    assert (described["Delimiter"], described["ContainsHeader"]) == (";", "PRESENT")
    assert described["Version"] == 2
    assert [c["CsvClassifier"]["Name"] for c in ClassifierStore(tmp_path).all()] == ["raw"]

    ClassifierStore(tmp_path).delete("raw")
    assert ClassifierStore(tmp_path).all() == []


def test_a_second_classifier_of_the_same_name_and_an_unknown_one_fail_as_on_glue(
    tmp_path: Path,
) -> None:
    store = ClassifierStore(tmp_path)
    store.create(PRESENT)

    with pytest.raises(AlreadyExistsException):
        store.create(PRESENT)
    for call in (store.get, store.delete):
        with pytest.raises(EntityNotFoundException):
            call("other")
    with pytest.raises(EntityNotFoundException):
        store.update({"CsvClassifier": {"Name": "other"}})


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        ({"GrokClassifier": {"Name": "g"}}, "GrokClassifier is not emulated"),
        ({"CsvClassifier": {"Delimiter": ","}}, "with a Name is required"),
        ({"CsvClassifier": {"Name": "x", "ContainsHeader": "MAYBE"}}, "ContainsHeader must be"),
        ({"CsvClassifier": {"Name": "x", "Delimiter": ";;"}}, "one character"),
        ({"CsvClassifier": {"Name": "x", "Delimiter": "'", "QuoteSymbol": "'"}}, "must differ"),
    ],
)
def test_an_invalid_classifier_is_refused_and_not_kept(
    tmp_path: Path, request_body: dict, message: str
) -> None:
    store = ClassifierStore(tmp_path)

    with pytest.raises(InvalidInputException, match=message):
        store.create(request_body)
    assert store.all() == []
