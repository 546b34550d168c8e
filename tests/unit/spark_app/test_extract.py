"""Reading raw CSV files: trimmed text, NULL for empty, file and line of every row."""

import gzip
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from lakehouse.schema import raw_entity
from spark_app.extract import LINE_NUMBER, RECORD, SOURCE_FILE, list_files, read_raw

LOCATIONS = raw_entity("locations")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    # column order differs per file; a.csv has an extra column, b.csv.gz lacks "country"
    (tmp_path / "locations_a.csv").write_text(
        "store_name,location_id,city,state,region,country,manager\n"
        "  Downtown ,L1,Austin,TX,South,US,Kim\n"
        '"Mall, North",L2,,TX, ,US,\n'
    )
    (tmp_path / "locations_b.csv.gz").write_bytes(
        gzip.compress(b"location_id,store_name,city,state,region\nL3,Airport,Dallas,TX,South\n")
    )
    (tmp_path / "notes.txt").write_text("not a source file\n")
    return tmp_path


def test_list_files_returns_csv_and_gzip_csv_files_sorted_by_name(
    spark: SparkSession, folder: Path
) -> None:
    names = [Path(path).name for path in list_files(spark, folder.as_uri())]

    assert names == ["locations_a.csv", "locations_b.csv.gz"]


def test_read_raw_trims_values_turns_empty_into_null_and_numbers_lines_from_two(
    spark: SparkSession, folder: Path
) -> None:
    frame = read_raw(spark, LOCATIONS, folder.as_uri())
    rows = [
        (Path(row[SOURCE_FILE]).name, row[LINE_NUMBER], *[row[n] for n in LOCATIONS.column_names])
        for row in frame.collect()
    ]

    assert frame.columns == [*LOCATIONS.column_names, SOURCE_FILE, LINE_NUMBER, RECORD]
    assert sorted(rows) == [
        ("locations_a.csv", 2, "L1", "Downtown", "Austin", "TX", "South", "US"),
        ("locations_a.csv", 3, "L2", "Mall, North", None, "TX", None, "US"),
        ("locations_b.csv.gz", 2, "L3", "Airport", "Dallas", "TX", "South", None),
    ]


def test_read_raw_keeps_the_whole_row_as_read_including_extra_columns(
    spark: SparkSession, folder: Path
) -> None:
    frame = read_raw(spark, LOCATIONS, folder.as_uri())
    records = {row["location_id"]: row[RECORD] for row in frame.collect()}

    assert records["L1"] == {
        "store_name": "  Downtown ",
        "location_id": "L1",
        "city": "Austin",
        "state": "TX",
        "region": "South",
        "country": "US",
        "manager": "Kim",
    }
    assert records["L2"]["region"] == " "


def test_read_raw_numbers_every_line_of_a_file_larger_than_a_split(
    spark: SparkSession, tmp_path: Path
) -> None:
    lines = [f"L{number},Store {number},Austin,TX,South,US" for number in range(2000)]
    header = "location_id,store_name,city,state,region,country"
    (tmp_path / "locations.csv").write_text("\n".join([header, *lines]) + "\n")
    spark.conf.set("spark.sql.files.maxPartitionBytes", "4096")
    try:
        frame = read_raw(spark, LOCATIONS, tmp_path.as_uri())
        numbered = {row["location_id"]: row[LINE_NUMBER] for row in frame.collect()}
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")

    assert numbered == {f"L{number}": number + 2 for number in range(2000)}
