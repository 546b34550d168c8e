"""Where each star table's Redshift COPY manifest lies in the curated zone.

The Glue job writes them (:mod:`spark_app.copy_manifests`) and the aws loads read them
(:mod:`lakehouse.warehouse.redshift_load`); this module imports neither Spark nor a database
driver, so both sides can.
"""

#: Folder of the COPY manifests in the curated bucket.
MANIFEST_FOLDER = "_copy_manifests"


def manifest_key(table_name: str) -> str:
    """Key of a table's COPY manifest inside the curated bucket."""
    return f"{MANIFEST_FOLDER}/{table_name}.manifest"
