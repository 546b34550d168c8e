"""The statements of a load on Redshift through the Data API: stage, check, then replace."""

from lakehouse.schema.star import SALES_FACT
from lakehouse.warehouse.redshift_load import replace_statements, stage_statements

MANIFEST = "s3://acme-curated/_copy_manifests/sales_fact.manifest"
ROLE = "arn:aws:iam::123456789012:role/acme-redshift-copy"
COLUMNS = ", ".join(column.name for column in SALES_FACT.warehouse_columns)


def test_the_snapshot_is_staged_in_a_fresh_table_of_its_own_shaped_like_the_star_table():
    assert stage_statements(SALES_FACT, MANIFEST, ROLE) == [
        "create schema if not exists staging",
        "drop table if exists staging.sales_fact",
        "create table staging.sales_fact (like star.sales_fact)",
        f"copy staging.sales_fact ({COLUMNS}) from '{MANIFEST}'"
        f" iam_role '{ROLE}' format as parquet manifest",
    ]


def test_the_rows_are_replaced_from_the_stage_which_then_goes():
    assert replace_statements(SALES_FACT) == [
        "delete from star.sales_fact",
        f"insert into star.sales_fact ({COLUMNS}) select {COLUMNS} from staging.sales_fact",
        "drop table staging.sales_fact",
    ]
