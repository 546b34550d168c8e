"""The crawler and the catalog gate against the S3 and Glue APIs of the emulator."""

import dataclasses
import gzip
from datetime import date
from pathlib import Path

import pytest

from lakehouse.catalog.register_tables import CrawlReport, raw_table_location, run_crawler
from lakehouse.catalog.validate_catalog import validate_catalog
from lakehouse.config import Settings
from lakehouse.errors import CatalogError
from lakehouse.ingest.land_raw import land_raw
from lakehouse.ingest.validate_s3 import validate_s3
from lakehouse.resources.aws import make_client

pytestmark = pytest.mark.integration

RUN_DATE = date(2024, 5, 1)
ENTITIES = ["customers", "locations", "products", "sales"]
SOURCES = {
    "customers.csv": """customer_id,first_name,last_name,email,city,state,signup_date
C001,Ada,Lovelace,ada@example.com,London,LN,2024-01-05
C002,Alan,Turing,,Wilmslow,CH,
C003,Grace,Hopper,grace@example.com,Arlington,VA,2024-02-11
""",
    "products.csv": """product_id,product_name,category,subcategory,brand,unit_price
P001,Trail Shoe,Footwear,Running,Stride,89.99
P002,Rain Jacket,Apparel,Outerwear,Nimbus,120
P003,Water Bottle,Accessories,,Hydra,
""",
    "locations.csv": """location_id,store_name,city,state,region,country
L01,Downtown,Seattle,WA,West,USA
L02,"Harbor, Pier 9",Boston,MA,East,USA
L03,Airport,Denver,CO,Mountain,USA
""",
    "sales.csv.gz": """sale_id,sale_date,customer_id,product_id,location_id,quantity,unit_price,\
discount_amount,tax_amount,is_online
S0001,2024-05-01,C001,P001,L01,2,89.99,10.00,14.40,true
S0002,2024-05-01,C002,P002,L02,1,120.00,,9.60,false
S0003,2024-05-01,C999,P003,L03,3,12.5,0,3.00,
""",
}


def write_sources(folder: Path, sources: dict[str, str]) -> None:
    for name, text in sources.items():
        data = gzip.compress(text.encode()) if name.endswith(".gz") else text.encode()
        (folder / name).write_bytes(data)


def read_table(settings: Settings, name: str) -> dict:
    return make_client(settings, "glue").get_table(DatabaseName=settings.glue_database, Name=name)[
        "Table"
    ]


def test_land_validate_crawl_and_validate_catalog_register_every_entity(
    lake: Settings, source_dir: Path
) -> None:
    write_sources(source_dir, SOURCES)
    land_raw(lake, source_dir, RUN_DATE)
    validate_s3(lake, RUN_DATE)
    make_client(lake, "s3").put_object(
        Bucket=lake.raw_bucket, Key="_quarantine/sales/run_id=1/part-0.csv", Body=b"x\n1\n"
    )

    report = run_crawler(lake)
    validate_catalog(lake, RUN_DATE)

    assert report == CrawlReport(
        created=ENTITIES, new_partitions={entity: ["2024-05-01"] for entity in ENTITIES}
    )
    sales = read_table(lake, "sales")
    assert [(c["Name"], c["Type"]) for c in sales["StorageDescriptor"]["Columns"]] == [
        ("sale_id", "string"),
        ("sale_date", "string"),
        ("customer_id", "string"),
        ("product_id", "string"),
        ("location_id", "string"),
        ("quantity", "bigint"),
        ("unit_price", "double"),
        ("discount_amount", "double"),
        ("tax_amount", "double"),
        ("is_online", "boolean"),
    ]
    assert (sales["StorageDescriptor"]["Location"], sales["Parameters"]) == (
        f"s3://{lake.raw_bucket}/sales/",
        {"classification": "csv", "skip.header.line.count": "1", "compressionType": "gzip"},
    )
    assert raw_table_location(lake, "sales", RUN_DATE) == (
        f"s3://{lake.raw_bucket}/sales/ingest_date=2024-05-01/"
    )


def test_crawl_again_on_an_unchanged_raw_zone_changes_nothing(
    lake: Settings, source_dir: Path
) -> None:
    write_sources(source_dir, SOURCES)
    land_raw(lake, source_dir, RUN_DATE)
    run_crawler(lake)

    report = run_crawler(lake)

    assert (report, report.changed) == (CrawlReport(unchanged=ENTITIES), False)


def test_crawl_after_a_new_landing_adds_its_partitions_and_updates_a_changed_table(
    lake: Settings, source_dir: Path
) -> None:
    write_sources(source_dir, SOURCES)
    land_raw(lake, source_dir, RUN_DATE)
    run_crawler(lake)
    customers = SOURCES["customers.csv"].replace("signup_date\n", "signup_date,loyalty_points\n")
    write_sources(source_dir, {**SOURCES, "customers.csv": customers})
    land_raw(lake, source_dir, date(2024, 5, 2))

    report = run_crawler(lake)

    assert report == CrawlReport(
        updated=["customers"],
        unchanged=["locations", "products", "sales"],
        new_partitions={entity: ["2024-05-02"] for entity in ENTITIES},
    )
    columns = read_table(lake, "customers")["StorageDescriptor"]["Columns"]
    assert columns[-1] == {"Name": "loyalty_points", "Type": "string"}


def test_validate_catalog_lists_every_missing_table_column_and_partition(lake: Settings) -> None:
    make_client(lake, "s3").put_object(
        Bucket=lake.raw_bucket,
        Key="products/ingest_date=2024-04-30/products.csv",
        Body=b"product_id,product_name,category,subcategory,unit_price\nP1,Mug,Home,,4.5\n",
    )
    run_crawler(lake)
    where = lake.glue_database

    with pytest.raises(CatalogError) as caught:
        validate_catalog(lake, RUN_DATE)

    assert str(caught.value) == (
        "Glue catalog check failed for ingest date 2024-05-01:\n"
        f"- table {where}.customers does not exist\n"
        f"- table {where}.products lacks column(s) brand\n"
        f"- table {where}.products has no partition ingest_date=2024-05-01\n"
        f"- table {where}.locations does not exist\n"
        f"- table {where}.sales does not exist\n"
        "To fix: land the source files and run the crawler"
        " (lakehouse land-raw, lakehouse run-crawler)"
    )


def test_raw_table_location_of_an_unregistered_date_says_how_to_register_it(
    lake: Settings, source_dir: Path
) -> None:
    write_sources(source_dir, SOURCES)
    land_raw(lake, source_dir, RUN_DATE)
    run_crawler(lake)

    with pytest.raises(CatalogError) as caught:
        raw_table_location(lake, "sales", date(2024, 6, 1))

    assert str(caught.value) == (
        f"Glue table {lake.glue_database}.sales has no partition ingest_date=2024-06-01; "
        "land the source files for that date and run the crawler "
        "(lakehouse land-raw, lakehouse run-crawler)"
    )


def test_crawl_without_the_glue_database_says_which_database_is_missing(lake: Settings) -> None:
    settings = dataclasses.replace(lake, glue_database="no_such_database")

    with pytest.raises(CatalogError) as caught:
        run_crawler(settings)

    assert str(caught.value) == (
        f"Glue database 'no_such_database' does not exist at {lake.aws_endpoint_url}; "
        "start the stack with `lakehouse up` (or create it with the infrastructure on the aws "
        "profile)"
    )


def test_crawl_re_points_a_partition_registered_for_another_bucket(
    lake: Settings, source_dir: Path
) -> None:
    """Regression: a known partition value kept the old bucket's location after a bucket change."""
    write_sources(source_dir, SOURCES)
    land_raw(lake, source_dir, RUN_DATE)
    run_crawler(lake)
    glue = make_client(lake, "glue")
    stale = glue.get_partition(
        DatabaseName=lake.glue_database, TableName="sales", PartitionValues=["2024-05-01"]
    )["Partition"]
    stale_input = {
        "Values": stale["Values"],
        "StorageDescriptor": {
            **stale["StorageDescriptor"],
            "Location": "s3://another-bucket/sales/ingest_date=2024-05-01/",
        },
    }
    glue.update_partition(
        DatabaseName=lake.glue_database,
        TableName="sales",
        PartitionValueList=["2024-05-01"],
        PartitionInput=stale_input,
    )

    report = run_crawler(lake)

    assert report.new_partitions == {"sales": ["2024-05-01"]}
    assert raw_table_location(lake, "sales", RUN_DATE) == (
        f"s3://{lake.raw_bucket}/sales/ingest_date=2024-05-01/"
    )
