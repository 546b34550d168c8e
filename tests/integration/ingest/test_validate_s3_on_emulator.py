"""The raw-zone gate against the S3 emulator: partitions present, headers complete."""

import gzip
from datetime import date
from pathlib import Path

import pytest

from lakehouse.config import Settings
from lakehouse.errors import SourceError
from lakehouse.ingest.land_raw import land_raw
from lakehouse.ingest.validate_s3 import validate_s3
from lakehouse.resources.aws import make_client

pytestmark = pytest.mark.integration

HEADERS = {
    # spaces around names are trimmed; an extra column is allowed
    "customers.csv": (
        " email,customer_id , first_name,last_name,city,state,signup_date,loyalty_tier"
    ),
    "products.csv": "product_id,product_name,category,subcategory,brand,unit_price",
    "locations.csv": "location_id,store_name,city,state,region,country",
    "sales.csv": (
        "sale_id,sale_date,customer_id,product_id,location_id,"
        "quantity,unit_price,discount_amount,tax_amount"
    ),
}


def write_headers(folder: Path, headers: dict[str, str]) -> None:
    """Each file holds its header and three rows of empty values."""
    for name, header in headers.items():
        blank_row = "," * header.count(",")
        text = "\n".join([header, blank_row, blank_row, blank_row]) + "\n"
        if name.endswith(".gz"):
            (folder / name).write_bytes(gzip.compress(text.encode()))
        else:
            (folder / name).write_text(text)


def test_validate_s3_returns_each_entitys_keys_when_headers_are_complete_in_any_order(
    lake: Settings, source_dir: Path
) -> None:
    run_date = date(2031, 2, 1)
    headers = {**HEADERS, "sales_extra.csv.gz": HEADERS["sales.csv"]}
    write_headers(source_dir, headers)
    land_raw(lake, source_dir, run_date)

    assert validate_s3(lake, run_date) == {
        "customers": ["customers/ingest_date=2031-02-01/customers.csv"],
        "products": ["products/ingest_date=2031-02-01/products.csv"],
        "locations": ["locations/ingest_date=2031-02-01/locations.csv"],
        "sales": [
            "sales/ingest_date=2031-02-01/sales.csv",
            "sales/ingest_date=2031-02-01/sales_extra.csv.gz",
        ],
    }


def test_validate_s3_names_every_file_and_column_missing(lake: Settings, source_dir: Path) -> None:
    run_date = date(2031, 2, 2)
    write_headers(
        source_dir,
        {
            **HEADERS,
            "sales.csv.gz": "sale_id,sale_date,customer_id,product_id,location_id,quantity",
            "products.csv": "product_id,brand",
        },
    )
    land_raw(lake, source_dir, run_date)
    make_client(lake, "s3").put_object(
        Bucket=lake.raw_bucket,
        Key="locations/ingest_date=2031-02-02/locations_empty.csv",
        Body=b"",
    )
    raw = f"s3://{lake.raw_bucket}"

    with pytest.raises(SourceError) as caught:
        validate_s3(lake, run_date)

    assert str(caught.value) == (
        "raw zone check failed for ingest date 2031-02-02:\n"
        f"- {raw}/products/ingest_date=2031-02-02/products.csv: header lacks column(s) "
        "product_name, category, subcategory, unit_price (found: product_id, brand); "
        "add them to the file and land it again\n"
        f"- {raw}/locations/ingest_date=2031-02-02/locations_empty.csv: empty file; "
        "expected a header row with location_id, store_name, city, state, region, country\n"
        f"- {raw}/sales/ingest_date=2031-02-02/sales.csv.gz: header lacks column(s) "
        "unit_price, discount_amount, tax_amount (found: sale_id, sale_date, customer_id, "
        "product_id, location_id, quantity); add them to the file and land it again"
    )


def test_validate_s3_lists_every_entity_with_nothing_landed_for_the_date(lake: Settings) -> None:
    raw = f"s3://{lake.raw_bucket}"

    with pytest.raises(SourceError) as caught:
        validate_s3(lake, date(2031, 2, 3))

    assert str(caught.value) == "raw zone check failed for ingest date 2031-02-03:\n" + "\n".join(
        f"- {raw}/{entity}/ingest_date=2031-02-03/: no {entity}*.csv[.gz] file; "
        "land the source folder for this date first (lakehouse land-raw)"
        for entity in ("customers", "products", "locations", "sales")
    )
