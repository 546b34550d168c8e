"""The Data Docs site: stored results bounded to the newest, uploads of what the bucket lacks."""

import os
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from validation.data_docs import (
    files_to_send,
    fingerprint,
    listed_files,
    prune_results,
    remove_empty_folders,
    stale_results,
)


def result_key(day: int) -> SimpleNamespace:
    """A validation result key (the part the pruning reads) of a run on 2024-07-<day>."""
    return SimpleNamespace(run_id=SimpleNamespace(run_time=datetime(2024, 7, day, tzinfo=UTC)))


def days(keys: list[SimpleNamespace]) -> list[int]:
    return [key.run_id.run_time.day for key in keys]


class ResultStore:
    """The two calls of a GX validation results store that the pruning makes, in memory."""

    def __init__(self, keys: list[SimpleNamespace]) -> None:
        self.keys = list(keys)

    def list_keys(self) -> list[SimpleNamespace]:
        return list(self.keys)

    def remove_key(self, key: SimpleNamespace) -> None:
        self.keys.remove(key)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A built site: the index, a static asset and one validation page."""
    files = {
        "index.html": "<html>runs 1-2</html>",
        "static/styles/data_docs.css": "body {}",
        "validations/curated_suite/sales_fact/run-2/page.html": "<html>run 2</html>",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_stale_results_are_those_beyond_the_newest_by_run_time():
    keys = [result_key(day) for day in (3, 1, 5, 2, 4)]

    assert days(stale_results(keys, keep=2)) == [3, 2, 1]


def test_nothing_is_stale_while_the_store_holds_no_more_than_kept():
    keys = [result_key(day) for day in (1, 2, 3)]

    assert stale_results(keys, keep=3) == []


def test_pruning_removes_the_oldest_results_from_the_store():
    keys = [result_key(day) for day in (2, 4, 1, 3)]
    store = ResultStore(keys)

    removed = prune_results(SimpleNamespace(validation_results_store=store), keep=2)

    assert (removed, days(store.keys)) == (2, [4, 3])


def test_settled_empty_folders_go_deepest_first_and_the_rest_stay(tmp_path: Path):
    now = time.time()
    for name in ("run-1/time-1", "run-2/time-2", "run-3"):
        (tmp_path / name).mkdir(parents=True)
    (tmp_path / "run-2/time-2/result.json").write_text("{}")
    for name in ("run-1/time-1", "run-1", "run-2/time-2", "run-2"):
        os.utime(tmp_path / name, (now - 3600, now - 3600))  # emptied an hour ago
    # run-3 was made just now: perhaps a run about to write its result there

    removed = remove_empty_folders(tmp_path, before=now - 60)

    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    # run-1 changed when time-1 went: it goes in a later call
    assert (removed, left) == (
        1,
        ["run-1", "run-2", "run-2/time-2", "run-2/time-2/result.json", "run-3"],
    )


def test_a_missing_folder_has_no_empty_folders_to_remove(tmp_path: Path):
    assert remove_empty_folders(tmp_path / "never-built", before=time.time()) == 0


def test_a_file_fingerprint_is_its_size_and_single_part_etag():
    assert fingerprint(b"hello") == (5, "5d41402abc4b2a76b9719d911017c592")


def test_the_listing_gives_size_and_unquoted_etag_per_key():
    pages = [
        {"Contents": [{"Key": "_data_docs/index.html", "Size": 5, "ETag": '"abc"'}]},
        {"KeyCount": 0},  # a page with no objects has no Contents
    ]

    assert listed_files(pages) == {"_data_docs/index.html": (5, "abc")}


def test_a_bucket_without_the_site_is_sent_every_file(site: Path):
    sent = files_to_send(site, {})

    assert sent == [
        ("_data_docs/index.html", b"<html>runs 1-2</html>"),
        ("_data_docs/static/styles/data_docs.css", b"body {}"),
        ("_data_docs/validations/curated_suite/sales_fact/run-2/page.html", b"<html>run 2</html>"),
    ]


def test_only_files_the_bucket_lacks_or_holds_otherwise_are_sent(site: Path):
    listed = {
        # the index of the run before: same size, another content
        "_data_docs/index.html": fingerprint(b"<html>runs 0-1</html>"),
        # the static asset as it is: not sent again
        "_data_docs/static/styles/data_docs.css": fingerprint(b"body {}"),
        # a page of an earlier run the local site no longer has: left alone
        "_data_docs/validations/curated_suite/sales_fact/run-0/page.html": (3, "0ld"),
    }

    sent = files_to_send(site, listed)

    assert [key for key, _ in sent] == [
        "_data_docs/index.html",
        "_data_docs/validations/curated_suite/sales_fact/run-2/page.html",
    ]


def test_an_etag_that_is_no_md5_sends_the_file_again(site: Path):
    # SSE-KMS objects and multipart uploads have ETags that are not the content's MD5.
    listed = {"_data_docs/static/styles/data_docs.css": (7, "9b2f0c1e2d3a4b5c6d7e8f9a0b1c2d3e-2")}

    sent = dict(files_to_send(site, listed))

    assert "_data_docs/static/styles/data_docs.css" in sent
