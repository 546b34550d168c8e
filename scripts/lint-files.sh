#!/usr/bin/env bash
# Lint the non-Python files git tracks (or would track): Dockerfiles (hadolint), YAML (yamllint),
# JSON (parse), GitHub workflows and actions (the schemastore schemas check-jsonschema vendors),
# CloudFormation templates (cfn-lint). Where no file of a kind exists yet, that check says so and
# passes; it starts checking as soon as one appears.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv/bin

# Every file git tracks or would track, matching the extended regex $1.
files() { git ls-files --cached --others --exclude-standard | grep -E "$1" | while read -r f; do [ -f "$f" ] && echo "$f"; done || true; }

run() {  # run LABEL REGEX COMMAND...: run COMMAND over the files matching REGEX, if any
    local label=$1 regex=$2; shift 2
    mapfile -t found < <(files "$regex")
    if [ ${#found[@]} -eq 0 ]; then
        echo "$label: no files yet"
        return
    fi
    "$@" "${found[@]}"
    echo "$label: ${#found[@]} file(s) clean"
}

run hadolint '(^|/)Dockerfile[^/]*$' "$VENV/hadolint"
run yamllint '\.ya?ml$' "$VENV/yamllint" --strict -c .yamllint.yaml
run json '\.json$' "$VENV/python" -c 'import json, sys; [json.load(open(p)) for p in sys.argv[1:]]'
run workflows '^\.github/workflows/[^/]+\.ya?ml$' "$VENV/check-jsonschema" --builtin-schema vendor.github-workflows
run actions '^\.github/actions/.+/action\.ya?ml$' "$VENV/check-jsonschema" --builtin-schema vendor.github-actions
run cfn-lint '^infra/.+\.(ya?ml|json|template)$' "$VENV/cfn-lint"
