"""The statements of a load on Redshift through the Data API: changes, or stage, check, replace."""

import sqlglot

from lakehouse.schema.star import SALES_FACT
from lakehouse.warehouse.copy_manifest import CopyExport
from lakehouse.warehouse.loaded_versions import LoadMode
from lakehouse.warehouse.redshift_load import (
    change_statements,
    record_statements,
    replace_statements,
    stage_statements,
)

MANIFEST = "s3://acme-curated/_copy_manifests/sales_fact.manifest"
CHANGES = "s3://acme-curated/_copy_manifests/sales_fact.changes.manifest"
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


def test_the_changes_are_staged_ranked_and_applied_by_key_in_statements_redshift_parses():
    statements = change_statements(SALES_FACT, CHANGES, ROLE) + record_statements(
        SALES_FACT, CopyExport("table-1", 5, changes_since=3), LoadMode.INCREMENTAL
    )

    parsed = [sqlglot.parse_one(sql, read="redshift") for sql in statements]
    assert f"copy staging.sales_fact_changes from '{CHANGES}'" in statements[4]
    assert "partition by sale_key order by _commit_version desc" in statements[5]
    assert [type(tree).__name__ for tree in parsed[6:8]] == ["Delete", "Insert"]
    # the version recorded with the rows the changes applied, then the ranked stage dropped
    assert statements[-2].endswith(
        "'table-1', 5, 'incremental', count(*) from staging.sales_fact_latest"
    )
    assert statements[-1] == "drop table staging.sales_fact_latest"


def test_a_full_reload_records_the_snapshots_version_with_the_tables_rows():
    statements = record_statements(SALES_FACT, CopyExport("table-1", 5), LoadMode.FULL)

    assert statements == [
        "delete from audit.loaded_versions where table_name = 'sales_fact'",
        "insert into audit.loaded_versions"
        " (table_name, delta_table_id, delta_version, load_mode, rows_applied)"
        " select 'sales_fact', 'table-1', 5, 'full', count(*) from star.sales_fact",
    ]
