"""The one place where Spark, Delta and S3A are configured, from :class:`Settings`."""

import os
import sys

from pyspark.sql import SparkSession

from lakehouse.config import Settings
from lakehouse.errors import ConfigError

_LOCAL_CLUSTER_PREFIXES = ("spark://127.0.0.1:", "spark://localhost:")
_BASE_CONF = {
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
    # Glue 5 (Spark 3.5) defaults to non-ANSI casts; pin it so both runtimes agree.
    "spark.sql.ansi.enabled": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.adaptive.coalescePartitions.enabled": "true",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.databricks.delta.snapshotPartitions": "2",
    "spark.databricks.delta.schema.autoMerge.enabled": "false",
    # s3:// URLs (as Glue and the catalog spell them) go through S3A here too.
    "spark.hadoop.fs.s3.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
    "spark.hadoop.fs.s3a.fast.upload": "true",
    # Measured with `lakehouse bench` at 100k on 2 shared cores: the job in a new JVM took 208 s
    # instead of 292 s (warm: 145 s, 150 s). Short jobs are dominated by JIT compilation; C1 alone
    # compiles far less, and the parallel collector costs less CPU than G1 on a small heap.
    # C1 alone gets a 48 MB code cache by default, which a whole run fills ("Out of space in
    # CodeCache" failed a MERGE): reserve more.
    "spark.driver.extraJavaOptions": (
        "-XX:+UseParallelGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=256m"
    ),
}


def build_session(
    settings: Settings,
    app_name: str = "lakehouse",
    shuffle_partitions: int = 4,
    driver_memory: str = "4g",
) -> SparkSession:
    """Return a Spark session with Delta, S3A on the active profile and the project's jars.

    Args:
        settings: Active settings (Spark master, endpoint, jar folder).
        app_name: Spark application name.
        shuffle_partitions: ``spark.sql.shuffle.partitions``; small data wants few.
        driver_memory: Driver heap, applied when this call starts the JVM.

    Raises:
        ConfigError: When the jar folder is missing (run ``make setup``).
    """
    builder = SparkSession.builder.appName(app_name).master(settings.spark_master)
    conf = {
        **_BASE_CONF,
        **_s3a_conf(settings),
        **_jar_conf(settings),
        "spark.sql.shuffle.partitions": str(shuffle_partitions),
        "spark.driver.memory": driver_memory,
    }
    for key, value in conf.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _jar_paths(settings: Settings) -> list[str]:
    jars = sorted(str(path) for path in settings.jars_dir.glob("*.jar"))
    if not jars:
        raise ConfigError(
            f"no Spark jars in {settings.jars_dir}: run `make setup` to fetch them with Maven"
        )
    return jars


def _jar_conf(settings: Settings) -> dict[str, str]:
    """The project's jars for the driver and the executors.

    On a standalone cluster of this machine (`lakehouse up --spark-cluster`) the executors put the
    same jar files on their class path instead of fetching ~600 MB per application; they call the
    driver back on loopback and run the driver's own Python. A remote cluster (the Compose stack's)
    receives the jars from the driver and brings its own Python, set in its image.
    """
    jars = _jar_paths(settings)
    if not settings.spark_master.startswith(_LOCAL_CLUSTER_PREFIXES):
        return {"spark.jars": ",".join(jars)}
    return {
        "spark.driver.extraClassPath": os.pathsep.join(jars),
        "spark.executor.extraClassPath": os.pathsep.join(jars),
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.pyspark.python": sys.executable,
    }


def _s3a_conf(settings: Settings) -> dict[str, str]:
    conf = {"spark.hadoop.fs.s3a.endpoint.region": settings.region}
    credentials = settings.aws_credentials()
    if settings.aws_endpoint_url and credentials:
        access_key, secret_key = credentials
        conf |= {
            "spark.hadoop.fs.s3a.endpoint": settings.aws_endpoint_url,
            "spark.hadoop.fs.s3a.path.style.access": "true",
            "spark.hadoop.fs.s3a.connection.ssl.enabled": "false",
            "spark.hadoop.fs.s3a.access.key": access_key,
            "spark.hadoop.fs.s3a.secret.key": secret_key,
            "spark.hadoop.fs.s3a.aws.credentials.provider": (
                "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"
            ),
        }
    return conf
