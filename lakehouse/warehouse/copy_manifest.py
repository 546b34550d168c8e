"""Where each star table's Redshift COPY manifests lie in the curated zone, and what they hold.

The Glue job writes them (:mod:`spark_app.copy_manifests`) and the aws loads read them
(:mod:`lakehouse.warehouse.redshift_load`); this module imports neither Spark nor a database
driver, so both sides can. Per table: the manifest of the current snapshot, the manifest of the
changes since the previous export (the change data feed's rows, as Parquet), and the export's
state (:class:`CopyExport`), which says what the two describe.
"""

import json
from dataclasses import asdict, dataclass
from typing import Any

from lakehouse.ingest.raw_zone import read_object

#: Folder of the COPY manifests in the curated bucket.
MANIFEST_FOLDER = "_copy_manifests"


def manifest_key(table_name: str) -> str:
    """Key of a table's COPY manifest inside the curated bucket."""
    return f"{MANIFEST_FOLDER}/{table_name}.manifest"


def changes_manifest_key(table_name: str) -> str:
    """Key of the manifest of a table's changes since the previous export."""
    return f"{MANIFEST_FOLDER}/{table_name}.changes.manifest"


def export_key(table_name: str) -> str:
    """Key of a table's export state."""
    return f"{MANIFEST_FOLDER}/{table_name}.json"


@dataclass(frozen=True)
class CopyExport:
    """What a table's manifests describe.

    The Delta table and version of the snapshot manifest, and the version after which the
    changes manifest starts (``None``: there is none, a load reloads in full).
    """

    table_id: str
    version: int
    changes_since: int | None = None

    def to_json(self) -> str:
        """The state as the JSON the job writes."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str | bytes) -> "CopyExport":
        """The state from the JSON the job wrote."""
        saved = json.loads(text)
        return cls(saved["table_id"], int(saved["version"]), saved.get("changes_since"))


def read_export(s3: Any, bucket: str, table_name: str) -> CopyExport | None:
    """The table's export state in ``bucket`` (an S3 client's), or ``None`` before the first."""
    body = read_object(s3, bucket, export_key(table_name))
    return None if body is None else CopyExport.from_json(body)
