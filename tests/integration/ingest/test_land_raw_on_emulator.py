"""Landing a source folder in the raw zone of the S3 emulator."""

import dataclasses
import gzip
from datetime import date
from pathlib import Path

import pytest

from lakehouse.config import Settings
from lakehouse.errors import ServiceError
from lakehouse.ingest.land_raw import LandedFile, LandingReport, land_raw
from lakehouse.ingest.raw_zone import list_keys
from lakehouse.resources.aws import make_client
from lakehouse.schema import RAW_ENTITIES

pytestmark = pytest.mark.integration


def write_sources(folder: Path) -> dict[str, bytes]:
    """One 3-row CSV per entity, every contract column present; returns name -> bytes."""
    files = {}
    for entity in RAW_ENTITIES:
        rows = [",".join(entity.column_names)]
        rows += [",".join(f"{column}-{n}" for column in entity.column_names) for n in range(3)]
        files[f"{entity.name}.csv"] = ("\n".join(rows) + "\n").encode()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def expected_files(run_date: date, files: dict[str, bytes], uploaded: bool) -> dict:
    return {
        name.removesuffix(".csv"): [
            LandedFile(
                name=name,
                key=f"{name.removesuffix('.csv')}/ingest_date={run_date}/{name}",
                size_bytes=len(data),
                uploaded=uploaded,
            )
        ]
        for name, data in files.items()
    }


def test_land_raw_uploads_each_file_to_its_entity_partition_and_writes_a_manifest(
    lake: Settings, source_dir: Path
) -> None:
    run_date = date(2031, 1, 1)
    files = write_sources(source_dir)

    report = land_raw(lake, source_dir, run_date)

    assert report == LandingReport(run_date, expected_files(run_date, files, True), deleted=[])
    s3 = make_client(lake, "s3")
    landed = {
        key: s3.get_object(Bucket=lake.raw_bucket, Key=key)["Body"].read()
        for entity in RAW_ENTITIES
        for key in list_keys(s3, lake.raw_bucket, f"{entity.name}/ingest_date={run_date}/")
    }
    assert landed == {
        f"{name.removesuffix('.csv')}/ingest_date={run_date}/{name}": data
        for name, data in files.items()
    }
    assert list_keys(s3, lake.raw_bucket, f"_manifests/ingest_date={run_date}") == [
        f"_manifests/ingest_date={run_date}.json"
    ]


def test_land_raw_again_with_unchanged_files_uploads_nothing(
    lake: Settings, source_dir: Path
) -> None:
    run_date = date(2031, 1, 2)
    files = write_sources(source_dir)
    land_raw(lake, source_dir, run_date)

    report = land_raw(lake, source_dir, run_date)

    assert report == LandingReport(run_date, expected_files(run_date, files, False), deleted=[])


def test_land_raw_mirrors_a_folder_where_one_file_changed_and_one_was_removed(
    lake: Settings, source_dir: Path
) -> None:
    run_date = date(2031, 1, 3)
    write_sources(source_dir)
    (source_dir / "sales_late.csv").write_bytes((source_dir / "sales.csv").read_bytes())
    land_raw(lake, source_dir, run_date)
    (source_dir / "sales_late.csv").unlink()
    changed = gzip.compress((source_dir / "customers.csv").read_bytes() + b"c,f,l,,,,\n")
    (source_dir / "customers.csv").unlink()
    (source_dir / "customers.csv.gz").write_bytes(changed)

    report = land_raw(lake, source_dir, run_date)

    assert (report.uploaded, report.unchanged, report.deleted) == (
        ["customers.csv.gz"],
        ["products.csv", "locations.csv", "sales.csv"],
        [
            f"customers/ingest_date={run_date}/customers.csv",
            f"sales/ingest_date={run_date}/sales_late.csv",
        ],
    )
    s3 = make_client(lake, "s3")
    assert list_keys(s3, lake.raw_bucket, f"customers/ingest_date={run_date}/") == [
        f"customers/ingest_date={run_date}/customers.csv.gz"
    ]


def test_land_raw_into_a_missing_bucket_says_which_bucket_and_how_to_create_it(
    lake: Settings, source_dir: Path
) -> None:
    write_sources(source_dir)
    settings = dataclasses.replace(lake, raw_bucket="no-such-raw-bucket")

    with pytest.raises(ServiceError) as caught:
        land_raw(settings, source_dir, date(2031, 1, 4))

    assert str(caught.value) == (
        f"landing {source_dir}: raw bucket 'no-such-raw-bucket' does not exist at "
        f"{lake.aws_endpoint_url}; start the stack with `lakehouse up` "
        "(or create the bucket on the aws profile)"
    )
