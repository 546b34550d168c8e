"""The one place where Spark, Delta and S3A are configured, from :class:`Settings`."""

import os
import sys
from pathlib import Path

from pyspark.errors import PySparkRuntimeError
from pyspark.sql import SparkSession

from lakehouse.config import Settings
from lakehouse.errors import ConfigError
from spark_app.sql_conf import SQL_CONF

_LOCAL_CLUSTER_PREFIXES = ("spark://127.0.0.1:", "spark://localhost:")
#: Local tuning on top of :data:`SQL_CONF`; Glue sizes its own cluster. Adaptive query
#: execution is off: it runs each shuffle stage as a Spark job of its own and re-plans after it,
#: which a few cores pay for on every query (a 100,000-line day: 111 -> 65 jobs; `make bench
#: SCALE=1m`: history 116 -> 107 s, the day on that history 83 -> 73 s).
_LOCAL_CONF = {
    "spark.sql.adaptive.enabled": "false",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.databricks.delta.snapshotPartitions": "2",
    "spark.databricks.delta.schema.autoMerge.enabled": "false",
    # s3:// URLs (as Glue and the catalog spell them) go through S3A here too.
    "spark.hadoop.fs.s3.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
    "spark.hadoop.fs.s3a.fast.upload": "true",
}
#: Driver JVM options per ``Settings.spark_jit``. The parallel collector costs less CPU than G1
#: on a small heap. Measured on 2 shared cores: C1 alone built a first 100,000-line batch in a new
#: JVM in 69 s against 120 s with C2, while C2 triaged 1,000,000 lines in 18.5 s against 63 s.
#: C1 alone gets a 48 MB code cache by default, which a whole run fills: reserve more.
DRIVER_JAVA_OPTIONS = {
    "quick": "-XX:+UseParallelGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=256m",
    "full": "-XX:+UseParallelGC -XX:ReservedCodeCacheSize=256m",
}
#: The driver's class-data-sharing archive, in the jar folder: the JDK's dynamic CDS archive of
#: the classes a Spark and Delta session loads, made once by `make setup`
#: (:mod:`spark_app.class_archive`). A driver that maps it skips loading and verifying them
#: (a new session with a first Delta write, read and MERGE: 14.6 s -> 11 s on 2 cores). A JVM
#: whose class path or JDK differs from the archive's ignores it; CDS logging stays off, so that
#: costs no message, only the time.
CLASS_ARCHIVE = "spark-driver-classes.jsa"
_QUIET_CDS = "-Xlog:cds*=off"

#: SQL settings of ``Settings.spark_codegen`` off: no whole-stage code generation, and expressions
#: evaluated by their interpreted implementations. Compiling costs more than it saves on a few
#: hundred lines: a warm pipeline run of a few-row batch 28 s -> 17 s (with C2) on 2 cores, while
#: a 100,000-line run takes 70 % longer.
INTERPRETED_CONF = {
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
}
#: S3A options for an emulator on this machine: its defaults retry a refused connection for about
#: five minutes, which turns a stopped emulator into a long hang; these fail in seconds.
EMULATOR_RETRIES = {"retry.limit": "2", "attempts.maximum": "1"}
_S3A_PROVIDER = "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"
_S3A_SESSION_PROVIDER = "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider"


def build_session(
    settings: Settings,
    app_name: str = "lakehouse",
    shuffle_partitions: int = 4,
    driver_memory: str = "4g",
    archive_classes_to: Path | None = None,
) -> SparkSession:
    """Return a Spark session with Delta, S3A on the active profile and the project's jars.

    A session's settings are fixed when it starts: while one runs in this process (started by an
    earlier step, or the test suite's shared session), it is returned as it is, whatever this call
    asks for. ``getOrCreate`` would set the runtime options of every call on the running session,
    so its shuffle partitions, for one, were those of whoever asked last.

    Args:
        settings: Active settings (Spark master, endpoint, jar folder).
        app_name: Spark application name.
        shuffle_partitions: ``spark.sql.shuffle.partitions``; small data wants few.
        driver_memory: Driver heap, applied when this call starts the JVM (so is the JIT of
            ``settings.spark_jit``).
        archive_classes_to: Where the JVM writes a class-data-sharing archive of every class
            it loaded, when it exits (:mod:`spark_app.class_archive`); by default it maps
            :data:`CLASS_ARCHIVE` instead, if there is one.

    Raises:
        ConfigError: When the jar folder is missing (run ``make setup``).
    """
    running = running_session()
    if running is not None:
        return running
    builder = SparkSession.builder.appName(app_name).master(settings.spark_master)
    conf = {
        **session_conf(settings, shuffle_partitions),
        "spark.driver.memory": driver_memory,
        "spark.driver.extraJavaOptions": driver_java_options(settings, archive_classes_to),
    }
    for key, value in conf.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def session_conf(settings: Settings, shuffle_partitions: int = 4) -> dict[str, str]:
    """Spark settings of a session on ``settings``: SQL and Delta, S3A, the jars, code generation.

    The driver's own JVM (heap, JIT) is set by whoever starts it: :func:`build_session`, or the
    warm engine's launcher (:mod:`lakehouse.stack.spark_engine`).

    Raises:
        ConfigError: When the jar folder is missing (run ``make setup``).
    """
    return {
        **SQL_CONF,
        **_LOCAL_CONF,
        **_s3a_conf(settings),
        **_jar_conf(settings),
        "spark.sql.shuffle.partitions": str(shuffle_partitions),
        **({} if settings.spark_codegen else INTERPRETED_CONF),
    }


def driver_java_options(settings: Settings, archive_classes_to: Path | None = None) -> str:
    """The driver JVM's options: the JIT of the settings, and the class archive to map or write."""
    options = [DRIVER_JAVA_OPTIONS[settings.spark_jit], _QUIET_CDS]
    archive = settings.jars_dir / CLASS_ARCHIVE
    if archive_classes_to is not None:
        options.append(f"-XX:ArchiveClassesAtExit={archive_classes_to}")
    elif archive.is_file():
        options.append(f"-XX:SharedArchiveFile={archive}")
    return " ".join(options)


def running_session() -> SparkSession | None:
    """The Spark session running in this process (this thread's, else the default), if any."""
    try:
        return SparkSession.active()
    except PySparkRuntimeError:  # none was started, or the last one was stopped
        return None


def _jar_paths(settings: Settings) -> list[str]:
    jars = sorted(str(path) for path in settings.jars_dir.glob("*.jar"))
    if not jars:
        raise ConfigError(
            f"no Spark jars in {settings.jars_dir}: run `make setup` to fetch them with Maven"
        )
    return jars


def _jar_conf(settings: Settings) -> dict[str, str]:
    """The project's jars for the driver and the executors.

    In local mode the executors run in the driver's JVM: the jars go on its class path. Passed
    as ``spark.jars`` instead, each session's executor copied all ~600 MB of them into a folder
    of its own before its first task (a new session with a first Delta write, read and MERGE:
    20-23 s -> 14.6 s on 2 cores). On a standalone cluster of this machine (`lakehouse up
    --spark-cluster`) the executors put the same jar files on their class path instead of
    fetching ~600 MB per application, compile as the driver does (``Settings.spark_jit``), call
    the driver back on loopback and run the driver's own Python. A remote cluster (the Compose
    stack's) receives the jars from the driver and brings its own Python, set in its image.
    """
    jars = _jar_paths(settings)
    if settings.spark_master.startswith("local"):
        return {"spark.driver.extraClassPath": os.pathsep.join(jars)}
    if not settings.spark_master.startswith(_LOCAL_CLUSTER_PREFIXES):
        return {"spark.jars": ",".join(jars)}
    return {
        "spark.driver.extraClassPath": os.pathsep.join(jars),
        "spark.executor.extraClassPath": os.pathsep.join(jars),
        "spark.executor.extraJavaOptions": DRIVER_JAVA_OPTIONS[settings.spark_jit],
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.pyspark.python": sys.executable,
    }


def _s3a_conf(settings: Settings) -> dict[str, str]:
    conf = {"spark.hadoop.fs.s3a.endpoint.region": settings.region}
    credentials = settings.aws_credentials()
    if settings.aws_endpoint_url and credentials:
        conf |= {
            "spark.hadoop.fs.s3a.endpoint": settings.aws_endpoint_url,
            "spark.hadoop.fs.s3a.path.style.access": "true",
            "spark.hadoop.fs.s3a.connection.ssl.enabled": "false",
            "spark.hadoop.fs.s3a.access.key": credentials.access_key,
            "spark.hadoop.fs.s3a.secret.key": credentials.secret_key,
            "spark.hadoop.fs.s3a.aws.credentials.provider": _S3A_PROVIDER,
            **{f"spark.hadoop.fs.s3a.{name}": value for name, value in EMULATOR_RETRIES.items()},
        }
        if credentials.session_token:  # a role's session (a Glue job run under IAM)
            conf |= {
                "spark.hadoop.fs.s3a.session.token": credentials.session_token,
                "spark.hadoop.fs.s3a.aws.credentials.provider": _S3A_SESSION_PROVIDER,
            }
    return conf
