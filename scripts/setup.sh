#!/usr/bin/env bash
# Install everything the project needs, idempotently: PostgreSQL 15 (Debian package, when root),
# the Python environment in .venv (uv, from uv.lock), the Spark jars in .jars (Maven, from pom.xml)
# with the Spark driver's class archive, and s3proxy's jar in .jars-s3proxy (Maven, from
# docker/s3proxy/pom.xml).
# `setup.sh python` installs the Python environment only: all that a deploy to AWS needs.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION="0.13.8"

install_postgres() {
    if [ -x /usr/lib/postgresql/15/bin/initdb ] || command -v initdb >/dev/null 2>&1; then
        return
    fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "PostgreSQL 15 server binaries are missing: install them (Debian/Ubuntu: sudo apt-get install postgresql-15)" >&2
        exit 1
    fi
    echo "installing PostgreSQL 15 (Debian package postgresql-15) ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
}

install_chromium() {
    # Headless Chromium for the dashboards' browser test and `make screenshots` (never downloaded
    # by a test: Debian's package only).
    if command -v chromium >/dev/null 2>&1; then
        return
    fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "chromium is missing (browser test, make screenshots): install it (Debian/Ubuntu: sudo apt-get install chromium)" >&2
        return
    fi
    echo "installing Chromium (Debian package chromium) ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

install_python() {
    if [ ! -x .tools/bin/uv ] || [ "$(.tools/bin/uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
        echo "installing uv $UV_VERSION into .tools ..."
        python3.11 -m venv .tools
        .tools/bin/pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
    fi
    # Bytecode compiled once here: where PYTHONDONTWRITEBYTECODE is set (as on many CI runners),
    # every process would otherwise compile each module it imports (Great Expectations: 12 s -> 5 s).
    .tools/bin/uv sync --frozen --quiet --python python3.11 --compile-bytecode
}

if [ "${1:-all}" = python ]; then
    install_python
    echo "setup complete (Python environment only): .venv/bin/lakehouse --help"
    exit 0
fi
install_postgres
install_chromium
install_python
scripts/fetch_jars.sh pom.xml .jars
scripts/fetch_jars.sh docker/s3proxy/pom.xml .jars-s3proxy
# The Spark driver's class archive (JDK CDS), built once per JDK and class path: every later
# driver JVM starts about 4 s sooner. Spark's own log lines go to a file unless it fails.
if ! .venv/bin/python -m spark_app.class_archive 2> .jars/class-archive.log; then
    cat .jars/class-archive.log >&2
    exit 1
fi
echo "setup complete: .venv/bin/lakehouse --help"
