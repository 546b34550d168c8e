"""Glue table and partition definitions of a raw-zone CSV table, as a Glue crawler writes them."""

from collections.abc import Mapping, Sequence
from typing import Any

from lakehouse.catalog.csv_classifier import CsvFormat
from lakehouse.catalog.infer_schema import STRING, GlueColumn
from lakehouse.ingest.raw_zone import PARTITION_KEY, format_partition

INPUT_FORMAT = "org.apache.hadoop.mapred.TextInputFormat"
OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
SERDE = "org.apache.hadoop.hive.serde2.OpenCSVSerde"
TABLE_TYPE = "EXTERNAL_TABLE"
#: Prefix of the table parameters that record the pipeline's latest run (not the crawler's).
OUTCOME_PREFIX = "lakehouse_"


def build_table_input(
    name: str,
    columns: Sequence[GlueColumn],
    location: str,
    compressed: bool,
    csv_format: CsvFormat,
    header_line: bool = True,
) -> dict[str, Any]:
    """Return the ``TableInput`` of a CSV table partitioned by ingest date.

    Args:
        name: Table name (the entity).
        columns: Data columns in order.
        location: ``s3://`` URL of the table's folder, ending in ``/``.
        compressed: Whether the sampled files are gzip-compressed.
        csv_format: The delimiter and quote of the files.
        header_line: Whether each file starts with a header line, which readers skip.
    """
    parameters = {
        "classification": "csv",
        **({"skip.header.line.count": "1"} if header_line else {}),
        "compressionType": "gzip" if compressed else "none",
    }
    return {
        "Name": name,
        "TableType": TABLE_TYPE,
        "Parameters": parameters,
        "PartitionKeys": [{"Name": PARTITION_KEY, "Type": STRING}],
        "StorageDescriptor": {
            "Columns": [{"Name": column.name, "Type": column.type} for column in columns],
            "Location": location,
            "InputFormat": INPUT_FORMAT,
            "OutputFormat": OUTPUT_FORMAT,
            "SerdeInfo": {
                "SerializationLibrary": SERDE,
                "Parameters": {
                    "separatorChar": csv_format.delimiter,
                    "quoteChar": csv_format.quote,
                },
            },
            "Parameters": dict(parameters),
        },
    }


def build_partition_input(table_input: Mapping[str, Any], value: str) -> dict[str, Any]:
    """Return the ``PartitionInput`` of one ingest date: the table's storage, its own folder."""
    storage = table_input["StorageDescriptor"]
    location = f"{storage['Location']}{format_partition(value)}/"
    return {
        "Values": [value],
        "StorageDescriptor": {**storage, "Location": location},
        "Parameters": dict(table_input["Parameters"]),
    }


def extract_definition(table: Mapping[str, Any]) -> dict[str, Any]:
    """Return the parts of a table (``get_table`` result or ``TableInput``) the crawler sets.

    Two tables with equal definitions need no update; fields the catalog adds on its own
    (creation time, version, column statistics) and the parameters the pipeline writes after a
    run (``lakehouse_*``) are left out.
    """
    storage = table.get("StorageDescriptor", {})
    serde = storage.get("SerdeInfo", {})
    return {
        "TableType": table.get("TableType"),
        "Parameters": {
            key: value
            for key, value in table.get("Parameters", {}).items()
            if not key.startswith(OUTCOME_PREFIX)
        },
        "PartitionKeys": _name_types(table.get("PartitionKeys", ())),
        "Columns": _name_types(storage.get("Columns", ())),
        "Location": storage.get("Location"),
        "InputFormat": storage.get("InputFormat"),
        "OutputFormat": storage.get("OutputFormat"),
        "SerializationLibrary": serde.get("SerializationLibrary"),
        "SerdeParameters": serde.get("Parameters", {}),
        "StorageParameters": storage.get("Parameters", {}),
    }


def _name_types(columns: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(name, type) pairs of Glue columns."""
    return [(column["Name"], column["Type"]) for column in columns]
