#!/usr/bin/env bash
# The AWS Glue 5.0 test environment, idempotently: .venv-glue5 (uv, from glue5/uv.lock) with the
# project's own packages on its path, and the Delta 3.3 jars in .jars-glue5 (Maven, from
# glue5/pom.xml). Needs uv in .tools (`make setup`).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-glue5

UV_PROJECT_ENVIRONMENT="$PWD/$VENV" .tools/bin/uv sync --frozen --quiet --project glue5
# The project's packages from the working tree, without the Spark 4 dependencies they declare.
site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "$PWD" > "$site/lakehouse-project.pth"
scripts/fetch_jars.sh glue5/pom.xml .jars-glue5
