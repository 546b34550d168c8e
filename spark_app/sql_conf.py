"""Spark settings that fix what the job computes; every runtime (local, Glue 5) gets the same."""

SQL_CONF = {
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
    # Glue 5 (Spark 3.5) defaults to non-ANSI casts; pin it so both runtimes agree.
    "spark.sql.ansi.enabled": "false",
    "spark.sql.session.timeZone": "UTC",
}
