"""Redshift's SQL carried over to PostgreSQL for the emulator's Data API."""

import time

import pytest

from lakehouse.emulator.data_api import (
    DataApi,
    DataApiError,
    Statement,
    data_field,
    postgres_database,
)
from lakehouse.emulator.redshift_copy import JSON_AUTO, CopyError, CopyPlan, copy_plan
from lakehouse.emulator.redshift_sql import (
    UntranslatableSqlError,
    as_postgres,
    bind_parameters,
    parse_redshift,
    to_postgres,
)
from lakehouse.warehouse.redshift_ddl import redshift_warehouse_ddl


def test_placement_and_encoding_are_dropped_and_super_is_jsonb() -> None:
    ddl = "create table t (id int encode az64, doc super) diststyle key distkey (id) sortkey (id)"

    assert to_postgres(ddl) == ["CREATE TABLE t (id INT, doc JSONB)"]


def test_every_statement_of_the_redshift_ddl_carries_over() -> None:
    carried = [query for statement in redshift_warehouse_ddl() for query in to_postgres(statement)]

    assert len(carried) >= len(redshift_warehouse_ddl())
    assert not [query for query in carried if "SUPER" in query or "DISTSTYLE" in query]


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("copy t from 's3://b/k' iam_role 'r' format as parquet", "COPY is not emulated in this"),
        ("unload ('select 1') to 's3://b/k' iam_role 'r'", "UNLOAD is not emulated"),
        ("selec 1 fro t", "syntax error in Redshift SQL"),
    ],
)
def test_what_cannot_run_here_is_refused_by_name(sql: str, message: str) -> None:
    with pytest.raises(UntranslatableSqlError, match=message):
        to_postgres(sql)


def test_parameters_are_bound_as_string_literals_quotes_and_all() -> None:
    [tree] = parse_redshift("insert into t values (:id, cast(:day as date), json_parse(:doc))")
    values = {"id": "it's; drop table t", "day": "2024-06-30", "doc": '{"a": 1}'}

    assert as_postgres(bind_parameters(tree, values)) == (
        "INSERT INTO t VALUES ('it''s; drop table t', CAST('2024-06-30' AS DATE),"
        """ CAST('{"a": 1}' AS JSON))"""
    )
    with pytest.raises(UntranslatableSqlError, match="no value for the parameter :day"):
        bind_parameters(tree, {"id": "1", "doc": "{}"})


def test_a_warehouse_database_is_a_safe_postgresql_name() -> None:
    assert postgres_database("Acme-Warehouse", "sales.db") == "rs_acme_warehouse_sales_db"
    assert len(postgres_database("w" * 80, "d")) == 63


def test_a_batch_is_described_with_its_parts_and_a_cancel_before_the_end_wins() -> None:
    batch = Statement({"ClusterIdentifier": "c", "Database": "d"}, ["select 1", "select 2"])
    batch.parts = [Statement(batch.request, [sql]) for sql in batch.sqls]

    batch.end("ABORTED", "Query cancelled by the user")
    batch.end("FINISHED")

    described = batch.describe()
    assert (described["Status"], described["ClusterIdentifier"]) == ("ABORTED", "c")
    assert [part["QueryString"] for part in described["SubStatements"]] == ["select 1", "select 2"]
    assert described["Duration"] >= 0


ROLE = "arn:aws:iam::1:role/r"


def test_a_parquet_manifest_copy_is_planned_with_its_table_columns_and_manifest() -> None:
    (tree,) = parse_redshift(
        "copy star.stage (id, name) from 's3://c/_copy_manifests/t.manifest'"
        " iam_role 'arn:aws:iam::1:role/r' format as parquet manifest"
    )

    assert copy_plan(tree) == CopyPlan(
        "star", "stage", ("id", "name"), "s3://c/_copy_manifests/t.manifest", iam_role=ROLE
    )
    assert copy_plan(parse_redshift("select 1")[0]) is None
    with pytest.raises(CopyError, match=r"only COPY \.\.\. FORMAT AS PARQUET MANIFEST and"):
        copy_plan(
            parse_redshift("copy t from 's3://c/t.parquet' iam_role 'r' format as parquet")[0]
        )


def test_a_json_auto_copy_is_planned_from_its_key_prefix() -> None:
    (tree,) = parse_redshift(
        "copy audit.quarantine (run_id, record) from 's3://raw/quarantine/sales/r1/'"
        " iam_role 'arn:aws:iam::1:role/r' format as json 'auto'"
    )

    assert copy_plan(tree) == CopyPlan(
        "audit",
        "quarantine",
        ("run_id", "record"),
        "s3://raw/quarantine/sales/r1/",
        JSON_AUTO,
        ROLE,
    )
    with pytest.raises(CopyError, match="only COPY"):
        copy_plan(parse_redshift("copy t from 's3://c/p/' iam_role 'r' format as json 'x'")[0])


def test_copy_names_fold_to_lower_case_unless_quoted_as_redshift_resolves_them() -> None:
    (tree,) = parse_redshift(
        "copy Star.Stage (\"Id\", Name) from 's3://c/t.manifest'"
        " iam_role 'r' format as parquet manifest"
    )

    # a role not named by ARN (here 'r'; or `default`) leaves the COPY to the emulator's root
    assert copy_plan(tree) == CopyPlan("star", "stage", ("Id", "name"), "s3://c/t.manifest")


def test_a_statement_that_cannot_even_log_in_fails_and_does_not_hang() -> None:
    def no_login() -> dict:
        raise KeyError("password")

    api = DataApi(no_login, lambda _arn: True, lambda _role: None)
    request = {"ClusterIdentifier": "c", "Database": "d", "SecretArn": "arn:s"}
    statement = api.execute(request, ["select 1"])

    deadline = time.monotonic() + 10
    while statement.status not in ("FINISHED", "FAILED", "ABORTED") and time.monotonic() < deadline:
        time.sleep(0.01)
    assert (statement.status, statement.error) == ("FAILED", "ERROR: 'password'")


def test_a_request_without_a_required_field_is_a_validation_error_and_json_is_text() -> None:
    api = DataApi(dict, lambda _arn: True, lambda _role: None)

    with pytest.raises(DataApiError, match="Id is required"):
        api.answer("DescribeStatement", {})
    assert data_field({"a": [1, None]}) == {"stringValue": '{"a": [1, null]}'}
    assert data_field(True) == {"booleanValue": True}
