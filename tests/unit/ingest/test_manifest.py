import hashlib
from pathlib import Path

import pytest

from lakehouse.ingest.manifest import (
    LandingPlan,
    ManifestEntry,
    describe_file,
    dump_manifest,
    load_manifest,
    plan_landing,
)

PREFIX = "sales/ingest_date=2024-05-01/"


def entry(name: str, digest: str = "aaa", size: int = 10) -> ManifestEntry:
    return ManifestEntry(sha256=digest, size=size, key=PREFIX + name)


@pytest.mark.parametrize(
    ("previous", "current", "existing", "expected"),
    [
        # first landing: everything is uploaded
        ({}, {"a.csv": entry("a.csv")}, set(), LandingPlan(["a.csv"], [], [])),
        # same content, object present: nothing to do
        (
            {"a.csv": entry("a.csv")},
            {"a.csv": entry("a.csv")},
            {PREFIX + "a.csv"},
            LandingPlan([], ["a.csv"], []),
        ),
        # changed content: uploaded again
        (
            {"a.csv": entry("a.csv")},
            {"a.csv": entry("a.csv", digest="bbb")},
            {PREFIX + "a.csv"},
            LandingPlan(["a.csv"], [], []),
        ),
        # same content but the object was removed from the bucket: uploaded again
        (
            {"a.csv": entry("a.csv")},
            {"a.csv": entry("a.csv")},
            set(),
            LandingPlan(["a.csv"], [], []),
        ),
        # file removed from the source folder: its object is deleted
        (
            {"a.csv": entry("a.csv"), "b.csv": entry("b.csv")},
            {"a.csv": entry("a.csv")},
            {PREFIX + "a.csv", PREFIX + "b.csv"},
            LandingPlan([], ["a.csv"], [PREFIX + "b.csv"]),
        ),
        # an object no manifest knows (e.g. a landing that stopped half-way) is deleted too
        ({}, {}, {PREFIX + "stray.csv"}, LandingPlan([], [], [PREFIX + "stray.csv"])),
    ],
)
def test_plan_landing_makes_the_partitions_mirror_the_source_folder(
    previous: dict[str, ManifestEntry],
    current: dict[str, ManifestEntry],
    existing: set[str],
    expected: LandingPlan,
) -> None:
    assert plan_landing(previous, current, existing) == expected


def test_describe_file_records_checksum_size_and_key(tmp_path: Path) -> None:
    path = tmp_path / "sales.csv"
    path.write_bytes(b"sale_id\nS1\n")

    assert describe_file(path, PREFIX + "sales.csv") == ManifestEntry(
        sha256=hashlib.sha256(b"sale_id\nS1\n").hexdigest(), size=11, key=PREFIX + "sales.csv"
    )


def test_load_manifest_reads_back_what_dump_manifest_wrote() -> None:
    manifest = {"a.csv": entry("a.csv"), "b.csv.gz": entry("b.csv.gz", "ccc", 3)}

    assert load_manifest(dump_manifest(manifest)) == manifest


@pytest.mark.parametrize(
    "text",
    [
        "[]",  # not an object
        '{"a.csv": {"sha256": "x"}}',  # entry without size and key
    ],
)
def test_load_manifest_rejects_text_that_is_not_a_manifest(text: str) -> None:
    with pytest.raises(ValueError, match="manifest"):
        load_manifest(text)
