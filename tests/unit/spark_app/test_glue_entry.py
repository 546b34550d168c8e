"""The Glue entry point's arguments and the COPY manifest format (no Spark needed)."""

from lakehouse.config import load_settings
from lakehouse.warehouse.copy_manifest import manifest_key
from spark_app.copy_manifests import build_manifest
from spark_app.glue_entry import parse_local_arguments, with_job_buckets

ARGV = [
    "--run-date", "2024-06-30", "--run-id", "r1", "--raw-bucket", "acme-raw",
    "--curated-bucket", "acme-curated", "--glue-database", "acme_sales",
    "--JOB_NAME", "ignored",  # Glue adds arguments of its own
]  # fmt: skip


def test_local_arguments_use_the_glue_job_parameter_names():
    assert parse_local_arguments(ARGV) == {
        "run_date": "2024-06-30",
        "run_id": "r1",
        "raw_bucket": "acme-raw",
        "curated_bucket": "acme-curated",
        "glue_database": "acme_sales",
    }


def test_the_job_arguments_choose_the_buckets_and_the_database():
    settings = with_job_buckets(load_settings({}), parse_local_arguments(ARGV))
    assert (settings.raw_bucket, settings.curated_bucket) == ("acme-raw", "acme-curated")
    assert settings.glue_database == "acme_sales"


def test_the_manifest_is_where_the_dag_copies_from_in_redshifts_format():
    assert manifest_key("sales_fact") == "_copy_manifests/sales_fact.manifest"
    assert build_manifest([("s3://b/t/part-0.parquet", 10)]) == {
        "entries": [
            {"url": "s3://b/t/part-0.parquet", "mandatory": True, "meta": {"content_length": 10}}
        ]
    }
