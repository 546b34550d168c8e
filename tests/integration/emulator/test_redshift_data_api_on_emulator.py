"""The Redshift Data API on the emulator runs Redshift's SQL on the stack's PostgreSQL."""

import dataclasses
import io
import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lakehouse.config import PROJECT_ROOT, Profile, Settings
from lakehouse.emulator.data_api import postgres_database
from lakehouse.errors import HistoryLostError
from lakehouse.ingest.raw_zone import quarantine_prefix
from lakehouse.pipeline.check_history import check_history
from lakehouse.pipeline.run_record import RunRecord
from lakehouse.resources.aws import make_client
from lakehouse.resources.redshift_data import field_value
from lakehouse.resources.warehouse import read_credentials
from lakehouse.schema.star import LOCATION_DIM
from lakehouse.stack.provision import create_bucket
from lakehouse.warehouse.copy_manifest import (
    CopyExport,
    changes_manifest_key,
    export_key,
    manifest_key,
)
from lakehouse.warehouse.redshift_audit import copy_quarantine_on_redshift, record_run_on_redshift
from lakehouse.warehouse.redshift_ddl import apply_redshift_ddl, redshift_warehouse_ddl
from lakehouse.warehouse.redshift_load import load_table_on_redshift
from lakehouse.warehouse.warehouse_rows import warehouse_rows
from spark_app.build_report import EntityCounts
from tests.helpers.redshift import deployed_target, redshift_cluster
from tests.helpers.service_roles import COPY_ROLE

pytestmark = pytest.mark.integration


@pytest.fixture
def target(stack: Settings) -> Iterator[dict[str, str]]:
    """A cluster and database of the test's own, with an admin secret; its database dropped."""
    with redshift_cluster(stack) as cluster:
        yield cluster


def run(client, target: dict[str, str], *sqls: str) -> dict:
    """Send ``sqls`` (one statement, or a batch) and return the statement once it has ended."""
    if len(sqls) == 1:
        statement_id = client.execute_statement(Sql=sqls[0], **target)["Id"]
    else:
        statement_id = client.batch_execute_statement(Sqls=list(sqls), **target)["Id"]
    for _ in range(300):
        described = client.describe_statement(Id=statement_id)
        if described["Status"] in {"FINISHED", "FAILED", "ABORTED"}:
            return described
        time.sleep(0.05)
    raise AssertionError(f"statement {statement_id} still {described['Status']}")


def test_redshift_ddl_and_a_batch_run_and_return_their_rows(stack, target) -> None:
    client = make_client(stack, "redshift-data")
    created = run(
        client,
        target,
        "create table sales (id int encode az64, payload super) diststyle all sortkey (id)",
    )

    batch = run(
        client,
        target,
        "insert into sales values (1, json_parse('{\"a\": 1}')), (2, null)",
        "select id, payload is null as empty from sales order by id",
    )
    result = client.get_statement_result(Id=batch["SubStatements"][1]["Id"])

    assert created["Status"] == "FINISHED"
    assert [part["Status"] for part in batch["SubStatements"]] == ["FINISHED", "FINISHED"]
    assert [column["name"] for column in result["ColumnMetadata"]] == ["id", "empty"]
    assert result["Records"] == [
        [{"longValue": 1}, {"booleanValue": False}],
        [{"longValue": 2}, {"booleanValue": True}],
    ]
    listed = client.list_statements()["Statements"]
    assert batch["Id"] in {statement["Id"] for statement in listed}


def test_a_failing_batch_rolls_back_as_one_transaction_with_redshifts_error(stack, target):
    client = make_client(stack, "redshift-data")
    run(client, target, "create table kept (id int)")

    failed = run(client, target, "insert into kept values (1)", "select 1 / 0")
    count = run(client, target, "select count(*) from kept")

    assert failed["Status"] == "FAILED"
    assert failed["Error"].startswith("ERROR: division by zero")
    assert client.get_statement_result(Id=count["Id"])["Records"] == [[{"longValue": 0}]]


def test_what_is_not_emulated_fails_by_name_and_the_target_is_checked(stack, target):
    client = make_client(stack, "redshift-data")

    copy = run(client, target, "copy t from 's3://b/t.csv' iam_role 'r' format as csv")
    unload = run(client, target, "unload ('select 1') to 's3://b/x' iam_role 'r'")

    assert copy["Status"] == "FAILED"
    assert "only COPY ... FORMAT AS PARQUET MANIFEST and COPY ... FORMAT AS JSON" in copy["Error"]
    assert "UNLOAD is not emulated" in unload["Error"]
    with pytest.raises(client.exceptions.ValidationException, match="DbUser goes with"):
        client.execute_statement(Sql="select 1", DbUser="admin", **target)  # and a secret
    with pytest.raises(client.exceptions.ValidationException, match="does not exist"):
        client.execute_statement(
            Sql="select 1", **{**target, "SecretArn": target["SecretArn"] + "x"}
        )
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_statement(Id=str(uuid.uuid4()))


def test_temporary_credentials_a_db_user_or_the_callers_identity_log_in_as_a_secret_does(
    stack, target
):
    client = make_client(stack, "redshift-data")
    without_secret = {k: v for k, v in target.items() if k != "SecretArn"}

    as_db_user = run(client, {**without_secret, "DbUser": "analyst"}, "select 1")
    as_caller = run(client, without_secret, "select 2")

    assert (as_db_user["Status"], as_caller["Status"]) == ("FINISHED", "FINISHED")
    assert client.get_statement_result(Id=as_caller["Id"])["Records"] == [[{"longValue": 2}]]


def test_each_warehouse_is_a_database_of_its_own_apart_from_the_local_warehouse(stack, target):
    client = make_client(stack, "redshift-data")
    run(client, target, "create table only_here (id int)")

    with psycopg.connect(read_credentials(stack).dsn) as connection:
        databases = {row[0] for row in connection.execute("select datname from pg_database")}
        local = connection.execute("select to_regclass('public.only_here')").fetchone()

    assert postgres_database(target["ClusterIdentifier"], "dev") in databases
    assert local == (None,)


@pytest.fixture
def manifests(stack: Settings) -> Iterator[str]:
    """A bucket of the test's own for Parquet files and their manifests; emptied after."""
    bucket, s3 = f"copy-{uuid.uuid4().hex[:8]}", make_client(stack, "s3")
    create_bucket(s3, bucket, stack.region)
    yield bucket
    for item in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
        s3.delete_object(Bucket=bucket, Key=item["Key"])
    s3.delete_bucket(Bucket=bucket)


def put_parquet(stack: Settings, bucket: str, name: str, table: pa.Table, length: int = 0) -> str:
    """Put ``table`` as a Parquet file and a manifest of it (its true length unless ``length``)."""
    s3, buffer = make_client(stack, "s3"), io.BytesIO()
    pq.write_table(table, buffer)
    data = buffer.getvalue()
    s3.put_object(Bucket=bucket, Key=f"{name}.parquet", Body=data)
    entry = {"url": f"s3://{bucket}/{name}.parquet", "mandatory": True}
    entry["meta"] = {"content_length": length or len(data)}
    s3.put_object(Bucket=bucket, Key=f"{name}.manifest", Body=json.dumps({"entries": [entry]}))
    return f"s3://{bucket}/{name}.manifest"


def copy_sql(manifest: str) -> str:
    return (
        f"copy stage (id, name) from '{manifest}' iam_role '{COPY_ROLE}' format as parquet manifest"
    )


def test_a_parquet_manifest_is_copied_into_a_table_by_column_position(stack, target, manifests):
    client = make_client(stack, "redshift-data")
    rows = pa.table({"key": pa.array([1, 2], pa.int64()), "label": ["a", None]})
    manifest = put_parquet(stack, manifests, "good", rows)

    done = run(
        client,
        target,
        "create table stage (id bigint, name varchar(10), note varchar(10))",
        copy_sql(manifest),
        "select id, name, note from stage order by id",
    )

    assert done["Status"] == "FINISHED", done.get("Error")
    assert done["SubStatements"][1]["ResultRows"] == 2
    result = client.get_statement_result(Id=done["SubStatements"][2]["Id"])["Records"]
    assert result == [
        [{"longValue": 1}, {"stringValue": "a"}, {"isNull": True}],
        [{"longValue": 2}, {"isNull": True}, {"isNull": True}],
    ]


@pytest.mark.parametrize(
    ("table", "length", "error"),
    [
        (pa.table({"id": [1], "name": ["a"]}), 7, "content_length 7 does not match"),
        (pa.table({"id": [1]}), 0, "unmatched number of columns between table and file"),
        (pa.table({"id": ["x"], "name": ["a"]}), 0, "incompatible Parquet schema for column 'id'"),
    ],
    ids=["wrong length", "too few columns", "text into a number"],
)
def test_a_copy_redshift_would_refuse_fails_and_loads_nothing(
    stack, target, manifests, table, length, error
):
    client = make_client(stack, "redshift-data")
    run(client, target, "create table stage (id bigint, name varchar(10))")
    manifest = put_parquet(stack, manifests, "bad", table, length)

    failed = run(client, target, copy_sql(manifest))
    count = run(client, target, "select count(*) from stage")

    assert failed["Status"] == "FAILED"
    assert error in failed["Error"]
    assert client.get_statement_result(Id=count["Id"])["Records"] == [[{"longValue": 0}]]


def test_the_aws_dags_create_schema_runs_the_redshift_ddl_through_the_data_api(
    aws_sdk_env, target, monkeypatch, tmp_path
):
    deployed = deployed_target(target)
    monkeypatch.setenv("LAKEHOUSE_PROFILE", "aws")
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "airflow"))
    for name, value in deployed.airflow_variables().items():  # as the deployment sets them
        monkeypatch.setenv(f"AIRFLOW_VAR_{name.upper()}", value)
    monkeypatch.syspath_prepend(str(PROJECT_ROOT / "airflow" / "dags"))
    from sales_star_pipeline import build_dag

    task = build_dag(Profile.AWS).get_task("redshift_load.create_schema")
    ids = task.python_callable.__wrapped__()  # the task's step, outside a DAG run

    assert len(ids) == len(redshift_warehouse_ddl())
    client = make_client(aws_sdk_env, "redshift-data")
    listed = run(
        client,
        target,
        "select table_name from information_schema.tables where table_schema = 'star'",
    )
    records = client.get_statement_result(Id=listed["Id"])["Records"]
    assert {"customer_dim", "sales_fact", "date_dim"} <= {row[0]["stringValue"] for row in records}


def location_snapshot(*keys: int) -> pa.Table:
    """Rows of ``location_dim`` with these keys (natural key ``L<key>``), its warehouse columns."""
    rows = {"location_key": pa.array(keys, pa.int32()), "location_id": [f"L{k}" for k in keys]}
    others = [column.name for column in LOCATION_DIM.warehouse_columns][2:]
    return pa.table({**rows, **{name: [f"{name} {k}" for k in keys] for name in others}})


def export(lake: Settings, snapshot: pa.Table, state: CopyExport, changes: pa.Table | None = None):
    """Export ``location_dim`` as the Glue job does: snapshot, changes and state."""
    put_parquet(
        lake,
        lake.curated_bucket,
        manifest_key(LOCATION_DIM.name).removesuffix(".manifest"),
        snapshot,
    )
    if changes is not None:
        name = changes_manifest_key(LOCATION_DIM.name).removesuffix(".manifest")
        put_parquet(lake, lake.curated_bucket, name, changes)
    s3 = make_client(lake, "s3")
    s3.put_object(
        Bucket=lake.curated_bucket, Key=export_key(LOCATION_DIM.name), Body=state.to_json()
    )


def loaded_state(lake: Settings, target: dict[str, str]) -> list[tuple]:
    """Location rows (key, name) and the table's loaded version, mode and rows applied."""
    client = make_client(lake, "redshift-data")
    rows = run(client, target, "select location_key, store_name from star.location_dim order by 1")
    version = run(
        client,
        target,
        "select delta_version, load_mode, rows_applied from audit.loaded_versions"
        " where table_name = 'location_dim'",
    )
    return [
        [
            tuple(field_value(field) for field in record)
            for record in client.get_statement_result(Id=done["Id"])["Records"]
        ]
        for done in (rows, version)
    ]


def test_a_load_through_the_data_api_replaces_the_rows_and_refuses_a_snapshot_that_loses_keys(
    stack, target, manifests
):
    deployed = deployed_target(target)
    # The manifests' bucket as the curated zone, and the test's cluster as the warehouse
    lake = dataclasses.replace(stack, curated_bucket=manifests, redshift=deployed)
    apply_redshift_ddl(lake, poll_seconds=0.5)

    export(lake, location_snapshot(-1, 1, 2), CopyExport("table-1", 0))
    loaded = load_table_on_redshift(lake, LOCATION_DIM, poll_seconds=0.5)
    export(lake, location_snapshot(-1, 2), CopyExport("table-1", 1))  # key 1 is gone
    with pytest.raises(HistoryLostError, match="location_dim: 1 of the warehouse's keys"):
        load_table_on_redshift(lake, LOCATION_DIM, poll_seconds=0.5)

    client = make_client(lake, "redshift-data")
    done = run(client, target, "select location_id from star.location_dim order by location_key")
    records = client.get_statement_result(Id=done["Id"])["Records"]
    assert loaded == 3
    assert [row[0]["stringValue"] for row in records] == ["L-1", "L1", "L2"]  # as first loaded
    # The history check reads the warehouse's side through the Data API too: the bucket holds
    # no curated table, so the rows and keys loaded are history a run would lose.
    with pytest.raises(HistoryLostError, match=r"location_dim: no curated table \(warehouse: 3"):
        check_history(lake)


def location_changes(changes: list[tuple[int, str, int]]) -> pa.Table:
    """Change feed rows of ``location_dim``: (key, change type, commit version)."""
    rows = location_snapshot(*(key for key, _, _ in changes))
    return rows.append_column(
        "_change_type", pa.array([kind for _, kind, _ in changes])
    ).append_column("_commit_version", pa.array([version for _, _, version in changes], pa.int64()))


def test_a_load_applies_only_the_changes_since_the_export_redshift_holds_else_reloads(
    stack, target, manifests
):
    lake = dataclasses.replace(stack, curated_bucket=manifests, redshift=deployed_target(target))
    apply_redshift_ddl(lake, poll_seconds=0.5)
    export(lake, location_snapshot(-1, 1, 2), CopyExport("table-1", 3))
    load_table_on_redshift(lake, LOCATION_DIM, poll_seconds=0.5)

    # Versions 4 and 5: key 3 inserted; key 1 deleted, then inserted again in one commit (an
    # overwrite), which keeps it. The snapshot manifest is left as it was: only changes apply.
    changes = location_changes([(3, "insert", 4), (1, "delete", 5), (1, "insert", 5)])
    export(lake, location_snapshot(-1, 1, 2), CopyExport("table-1", 5, changes_since=3), changes)
    assert load_table_on_redshift(lake, LOCATION_DIM, poll_seconds=0.5) == 4
    assert loaded_state(lake, target) == [
        [(-1, "store_name -1"), (1, "store_name 1"), (2, "store_name 2"), (3, "store_name 3")],
        [(5, "incremental", 2)],
    ]
    # The same export again: nothing to apply.
    assert load_table_on_redshift(lake, LOCATION_DIM, poll_seconds=0.5) == 4
    # Changes that start after a version Redshift does not hold: the snapshot, in full.
    later = location_changes([(4, "insert", 7)])
    snapshot = location_snapshot(-1, 1, 2, 3, 4)
    export(lake, snapshot, CopyExport("table-1", 7, changes_since=6), later)
    assert load_table_on_redshift(lake, LOCATION_DIM, poll_seconds=0.5) == 5
    assert loaded_state(lake, target)[1] == [(7, "full", 5)]


def test_a_query_reads_the_same_rows_through_the_data_api_as_over_psycopg(stack, target):
    deployed = deployed_target(target)
    query = (
        "select 7 as n, 'text' as t, null as nothing, cast(12.30 as numeric(14, 2)) as amount"
        " union all select -1, '', null, 0"
    )

    with (
        warehouse_rows(stack) as local,
        warehouse_rows(dataclasses.replace(stack, redshift=deployed)) as through_the_data_api,
    ):
        assert (
            through_the_data_api(query)
            == local(query)
            == [
                (7, "text", None, Decimal("12.30")),
                (-1, "", None, Decimal("0.00")),
            ]
        )


def run_query(lake: Settings, sql: str) -> list[tuple]:
    """The rows of ``sql`` through the Data API, SUPER values (JSON text) parsed."""
    with warehouse_rows(lake) as rows:
        return [
            tuple(json.loads(v) if isinstance(v, str) and v[:1] in "[{" else v for v in row)
            for row in rows(sql)
        ]


def audited_run(status: str, gates: dict[str, str]) -> RunRecord:
    """A run as the DAG audits it, with text that needs quoting and a failed step or none."""
    return RunRecord(
        "20240630-airflow-abc123",
        date(2024, 6, 30),
        "s3://acme-raw/raw/",
        datetime(2024, 6, 30, 2, tzinfo=UTC),
        status=status,
        failed_step="quality_checks" if status == "failed" else None,
        message="check 'totals' failed" if status == "failed" else None,
        step_seconds={"land_raw": 1.5},
        entities={"sales": EntityCounts(3, 1, 1, 1, {"bad_date": 1}, {"customer": 1})},
        gates=gates,
    )


AUDIT_ROWS = """
select r.status, r.failed_step, r.message, r.step_seconds, c.rows_read, c.rows_quarantined,
    c.reasons, g.gate, g.outcome
from audit.pipeline_runs as r
inner join audit.entity_counts as c on r.run_id = c.run_id
inner join audit.gate_outcomes as g on r.run_id = g.run_id
order by g.gate
"""


def test_a_runs_audit_rows_are_written_through_the_data_api_and_a_rerun_replaces_them(
    stack, target, manifests
):
    lake = dataclasses.replace(stack, raw_bucket=manifests, redshift=deployed_target(target))
    apply_redshift_ddl(lake, poll_seconds=0.5)
    finished = datetime(2024, 6, 30, 3, tzinfo=UTC)

    record_run_on_redshift(lake, audited_run("failed", {"catalog": "passed"}), finished, 0.5)
    first = run_query(lake, AUDIT_ROWS)
    gates = {"catalog": "passed", "warehouse_checks": "passed"}
    record_run_on_redshift(lake, audited_run("succeeded", gates), finished, 0.5)

    assert first == [
        ("failed", "quality_checks", "check 'totals' failed", {"land_raw": 1.5}, 3, 1,
         {"bad_date": 1}, "catalog", "passed"),
    ]  # fmt: skip
    assert run_query(lake, AUDIT_ROWS) == [
        ("succeeded", None, None, {"land_raw": 1.5}, 3, 1, {"bad_date": 1}, gate, "passed")
        for gate in sorted(gates)
    ]


def test_the_quarantine_is_copied_from_the_jobs_json_lines_by_redshifts_copy(
    stack, target, manifests
):
    lake = dataclasses.replace(stack, raw_bucket=manifests, redshift=deployed_target(target))
    apply_redshift_ddl(lake, poll_seconds=0.5)
    run_id, s3 = "20240630-airflow-abc123", make_client(stack, "s3")
    prefix = quarantine_prefix("sales", run_id)
    records = [
        {"run_id": run_id, "entity": "sales", "source_file": "sales.csv", "line_number": n,
         "reasons": ["bad_date"], "record": {"sale_id": f"S{n}", "note": "l'été"}}
        for n in (2, 5)
    ]  # fmt: skip
    body = "\n".join(json.dumps(record, ensure_ascii=False) for record in records)
    s3.put_object(Bucket=manifests, Key=f"{prefix}part-00000.json", Body=body.encode())
    s3.put_object(Bucket=manifests, Key=f"{prefix}_SUCCESS", Body=b'{\n "committer": 1\n}')
    query = "select entity, line_number, reasons, record from audit.quarantine order by 2"

    copy_quarantine_on_redshift(lake, run_id, poll_seconds=0.5)
    copy_quarantine_on_redshift(lake, run_id, poll_seconds=0.5)  # a retry replaces, adds none

    assert run_query(lake, query) == [
        ("sales", n, ["bad_date"], {"sale_id": f"S{n}", "note": "l'été"}) for n in (2, 5)
    ]
