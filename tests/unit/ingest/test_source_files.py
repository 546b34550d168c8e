from pathlib import Path

import pytest

from lakehouse.errors import SourceError
from lakehouse.ingest.source_files import find_source_files, match_source_files

ONE_PER_ENTITY = ["customers.csv", "products.csv", "locations.csv", "sales.csv"]


def test_match_source_files_groups_files_by_entity_prefix() -> None:
    names = [*ONE_PER_ENTITY, "sales_2024-05.csv.gz", "customers_extra.csv"]

    assert match_source_files(names, "/data") == {
        "customers": ["customers.csv", "customers_extra.csv"],
        "products": ["products.csv"],
        "locations": ["locations.csv"],
        "sales": ["sales.csv", "sales_2024-05.csv.gz"],
    }


def test_match_source_files_ignores_other_file_types_and_hidden_files() -> None:
    names = [*ONE_PER_ENTITY, "README.md", "sales.xlsx", ".sales.csv", "notes.txt"]

    assert match_source_files(names, "/data") == {
        "customers": ["customers.csv"],
        "products": ["products.csv"],
        "locations": ["locations.csv"],
        "sales": ["sales.csv"],
    }


def test_match_source_files_rejects_a_csv_matching_no_entity_listing_the_entities() -> None:
    with pytest.raises(SourceError) as caught:
        match_source_files([*ONE_PER_ENTITY, "orders.csv"], "/data")

    assert str(caught.value) == (
        "source folder /data breaks the naming contract: orders.csv matches no entity. "
        "Name every file <entity>*.csv or <entity>*.csv.gz with <entity> one of: "
        "customers, products, locations, sales"
    )


def test_match_source_files_reports_every_entity_without_a_file() -> None:
    with pytest.raises(SourceError) as caught:
        match_source_files(["customers.csv", "products.csv"], "/data")

    assert str(caught.value) == (
        "source folder /data breaks the naming contract: no file for entity 'locations'; "
        "no file for entity 'sales'. "
        "Name every file <entity>*.csv or <entity>*.csv.gz with <entity> one of: "
        "customers, products, locations, sales"
    )


def test_find_source_files_returns_paths_inside_the_folder(tmp_path: Path) -> None:
    for name in ONE_PER_ENTITY:
        (tmp_path / name).write_text("id\n")
    (tmp_path / "archive").mkdir()

    assert find_source_files(tmp_path) == {
        "customers": [tmp_path / "customers.csv"],
        "products": [tmp_path / "products.csv"],
        "locations": [tmp_path / "locations.csv"],
        "sales": [tmp_path / "sales.csv"],
    }


def test_find_source_files_rejects_a_missing_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"

    with pytest.raises(SourceError) as caught:
        find_source_files(missing)

    assert str(caught.value) == (
        f"source folder {missing} does not exist or is not a folder; "
        "pass a folder holding <entity>*.csv or <entity>*.csv.gz files"
    )
