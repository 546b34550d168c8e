from datetime import datetime

from lakehouse.catalog.csv_classifier import CONTRACT_CSV, CsvFormat
from lakehouse.catalog.infer_schema import GlueColumn
from lakehouse.catalog.table_definition import (
    build_partition_input,
    build_table_input,
    extract_definition,
)

LOCATION = "s3://raw/sales/"
COLUMNS = [GlueColumn("sale_id", "string"), GlueColumn("quantity", "bigint")]


def test_build_table_input_describes_a_gzip_csv_table_partitioned_by_ingest_date() -> None:
    parameters = {
        "classification": "csv",
        "skip.header.line.count": "1",
        "compressionType": "gzip",
    }

    assert build_table_input("sales", COLUMNS, LOCATION, True, CONTRACT_CSV) == {
        "Name": "sales",
        "TableType": "EXTERNAL_TABLE",
        "Parameters": parameters,
        "PartitionKeys": [{"Name": "ingest_date", "Type": "string"}],
        "StorageDescriptor": {
            "Columns": [
                {"Name": "sale_id", "Type": "string"},
                {"Name": "quantity", "Type": "bigint"},
            ],
            "Location": LOCATION,
            "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
            "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
            "SerdeInfo": {
                "SerializationLibrary": "org.apache.hadoop.hive.serde2.OpenCSVSerde",
                "Parameters": {"separatorChar": ",", "quoteChar": '"'},
            },
            "Parameters": parameters,
        },
    }


def test_build_partition_input_points_the_table_storage_at_the_partition_folder() -> None:
    table_input = build_table_input("sales", COLUMNS, LOCATION, False, CONTRACT_CSV)

    partition = build_partition_input(table_input, "2024-05-01")

    assert partition == {
        "Values": ["2024-05-01"],
        "StorageDescriptor": {
            **table_input["StorageDescriptor"],
            "Location": "s3://raw/sales/ingest_date=2024-05-01/",
        },
        "Parameters": table_input["Parameters"],
    }


def test_extract_definition_ignores_fields_the_catalog_adds_itself() -> None:
    table_input = build_table_input("sales", COLUMNS, LOCATION, False, CONTRACT_CSV)
    stored = {
        **table_input,
        "DatabaseName": "sales",
        "CreateTime": datetime(2024, 5, 1),
        "VersionId": "3",
        "StorageDescriptor": {**table_input["StorageDescriptor"], "Compressed": False},
    }

    assert extract_definition(stored) == extract_definition(table_input)


def test_extract_definition_differs_when_a_column_type_changes() -> None:
    before = build_table_input("sales", COLUMNS, LOCATION, False, CONTRACT_CSV)
    after = build_table_input(
        "sales", [COLUMNS[0], GlueColumn("quantity", "double")], LOCATION, False, CONTRACT_CSV
    )

    assert extract_definition(before) != extract_definition(after)


def test_a_table_without_header_lines_skips_none_and_names_the_classifier_delimiter() -> None:
    semicolons = CsvFormat(delimiter=";", quote="'")

    table_input = build_table_input("stores", COLUMNS, LOCATION, False, semicolons, False)

    assert "skip.header.line.count" not in table_input["Parameters"]
    assert table_input["StorageDescriptor"]["SerdeInfo"]["Parameters"] == {
        "separatorChar": ";",
        "quoteChar": "'",
    }
