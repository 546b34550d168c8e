"""Start s3proxy with its filesystem backend: ``python -m lakehouse.emulator.s3proxy ...``.

Each bucket is a folder of ``--data`` and each object a file, so the lake survives a restart, a
SIGKILL and a reboot. The emulator in front of it checks requests; s3proxy checks none
(``authorization=none``) and listens where only the emulator reaches it. This launcher writes its
properties and then becomes the JVM (``exec``), so the JVM keeps the launcher's PID. The embedded
stack and the Compose stack both start it.
"""

import argparse
import os
import shutil
import sys
from pathlib import Path

JAR = "s3proxy-4.1.0-jar-with-dependencies.jar"
LOGBACK = Path(__file__).with_name("s3proxy-logback.xml")
#: A single PUT (not multipart) is held in memory, 128 MiB at most, beside concurrent requests.
DEFAULT_HEAP = "1g"
#: The JIT's first tier alone: s3proxy's work is many small requests, for which C2's compiling
#: costs more CPU than it saves (s3proxy over the warehouse's, the manifests' and the curated
#: suite's integration tests: 14.3 -> 8.0 CPU-seconds; a 1,000,000-line run: 4.9 -> 2.6).
QUICK_JIT = "-XX:TieredStopAtLevel=1"


def build_properties(host: str, port: int, data_dir: Path) -> str:
    """The s3proxy properties of a server on ``host:port`` keeping objects under ``data_dir``."""
    return "\n".join(
        (
            f"s3proxy.endpoint=http://{host}:{port}",
            "s3proxy.authorization=none",
            "jclouds.provider=filesystem-nio2",
            f"jclouds.filesystem.basedir={data_dir}",
            "",
        )
    )


def build_command(jar: Path, properties: Path, heap: str = DEFAULT_HEAP) -> list[str]:
    """The JVM command line of s3proxy, its heap at most ``heap`` (e.g. ``512m``)."""
    java = shutil.which("java", path=_java_path()) or "java"
    return [
        java,
        f"-Xmx{heap}",
        "-XX:+UseSerialGC",
        QUICK_JIT,
        f"-Dlogback.configurationFile={LOGBACK}",
        "-jar",
        str(jar),
        "--properties",
        str(properties),
    ]


def main(argv: list[str] | None = None) -> None:
    """Write the properties and ``exec`` s3proxy."""
    parser = argparse.ArgumentParser(prog="python -m lakehouse.emulator.s3proxy")
    parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
    parser.add_argument("--port", type=int, required=True, help="Port to listen on.")
    parser.add_argument("--data", type=Path, required=True, help="Folder of the buckets.")
    parser.add_argument("--jars", type=Path, required=True, help=f"Folder holding {JAR}.")
    parser.add_argument("--heap", default=DEFAULT_HEAP, help="Largest JVM heap, e.g. 512m.")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    jar = args.jars / JAR
    if not jar.is_file():
        sys.exit(f"s3proxy's jar is missing: {jar}; run `make setup` to fetch it with Maven")
    args.data.mkdir(parents=True, exist_ok=True)
    # Beside the buckets' folder, not in it (s3proxy would list it as a bucket), and rewritten
    # on each start rather than a new temporary file each time.
    properties = args.data.resolve().parent / "s3proxy.properties"
    properties.write_text(build_properties(args.host, args.port, args.data.resolve()))
    command = build_command(jar, properties, args.heap)
    os.execv(command[0], command)  # noqa: S606 - the JDK's java, on a command line we built


def _java_path() -> str:
    java_home = os.environ.get("JAVA_HOME")
    path = os.environ.get("PATH", "")
    return f"{java_home}/bin{os.pathsep}{path}" if java_home else path


if __name__ == "__main__":
    main()
