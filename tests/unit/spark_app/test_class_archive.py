"""The class archive is built again only when the JDK or the class path changes."""

from dataclasses import replace
from pathlib import Path

import pytest

from lakehouse.config import Settings
from spark_app import class_archive
from spark_app.session import CLASS_ARCHIVE


def test_the_stamp_changes_when_a_jar_is_added_or_replaced(settings: Settings, tmp_path: Path):
    jars = replace(settings, jars_dir=tmp_path)
    (tmp_path / "a.jar").write_bytes(b"1")
    first = class_archive.class_path_stamp(jars)

    assert class_archive.class_path_stamp(jars) == first
    (tmp_path / "a.jar").write_bytes(b"22")
    replaced = class_archive.class_path_stamp(jars)
    (tmp_path / "b.jar").write_bytes(b"1")

    assert len({first, replaced, class_archive.class_path_stamp(jars)}) == 3


def test_an_archive_whose_stamp_matches_is_kept_without_starting_spark(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    (tmp_path / "a.jar").write_bytes(b"1")
    (tmp_path / CLASS_ARCHIVE).write_bytes(b"archive")
    stamp = class_archive.class_path_stamp(replace(settings, jars_dir=tmp_path))
    (tmp_path / CLASS_ARCHIVE).with_suffix(".stamp").write_text(stamp)
    monkeypatch.setenv("LAKEHOUSE_JARS_DIR", str(tmp_path))
    monkeypatch.setattr(class_archive, "build_session", pytest.fail)

    assert class_archive.main([]) == 0
    assert "class archive up to date" in capsys.readouterr().out
