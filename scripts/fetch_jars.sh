#!/usr/bin/env bash
# Copy the jars a Maven pom lists, without their transitive dependencies, into a folder; once per
# version of the pom (the folder's .pom.sha256 stamp holds the pom's hash).
# Usage: scripts/fetch_jars.sh POM DIR
set -euo pipefail
pom=$1
dir=$2
stamp="$dir/.pom.sha256"
wanted="$(sha256sum "$pom" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    exit 0
fi
echo "fetching the jars of $pom with Maven into $dir ..."
rm -rf "$dir"
mvn --quiet --batch-mode --file "$pom" dependency:copy-dependencies \
    -DoutputDirectory="$(realpath --canonicalize-missing "$dir")" -DexcludeTransitive=true
echo "$wanted" > "$stamp"
