#!/usr/bin/env bash
# CI gating checks (issue 8), run by .ci/run after the tests:
#   1. the SARIF output of every fixture project (and of a project with findings, fixes and
#      awkward text) validates against the official SARIF 2.1.0 schema;
#   2. the real pre-commit (pip, in a throwaway venv) runs the hook from
#      .pre-commit-hooks.yaml with `try-repo` and with an installed hook on a real commit:
#      a staged secret blocks the commit with the finding shown, the fixed commit passes.
# Needs python3 with pip (PyPI reachable) and git; builds the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
schema="$repo/../shared/schemas/sarif-schema-2.1.0.json"

echo "== release build"
swift build -c release --product prefect-secrets 2>&1 | tail -n 1
bin=$(swift build -c release --show-bin-path)
tool="$bin/prefect-secrets"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== SARIF 2.1.0 schema validation"
python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install --quiet jsonschema
sarifs=()
for project in testdata/projects/*/; do
    name=$(basename "$project")
    "$tool" check "$project" --format sarif --fail-on never --output "$work/$name.sarif" --quiet
    sarifs+=("$work/$name.sarif")
done
# A project with findings, whatever the bundled rules are: an extra pattern rule.
mkdir -p "$work/awkward/naïve dir"
cat > "$work/awkward/.prefect-secrets.toml" <<'TOML'
[[rules]]
id = "ACME001"
name = "acme-internal-token"
severity = "error"
summary = "An ACME internal token"
[[rules.detectors]]
id = "acme-token"
description = "ACME internal token"
keywords = ["acme_"]
regex = '''(acme_[a-z0-9]{12})'''
secret_group = 1
TOML
printf '# ça coûte 💶\nLABEL = "acme_q8z3k1m9x2c4"\n' > "$work/awkward/naïve dir/ünï code.py"
printf 'A=1\r\nB="acme_w7p2n5v8b1x3"\r\n' > "$work/awkward/crlf.env"
"$tool" check "$work/awkward" --format sarif --fail-on never --output "$work/awkward.sarif" --quiet
sarifs+=("$work/awkward.sarif" "testdata/snapshots/reports/sample.sarif")
python3 - "$schema" "${sarifs[@]}" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
validator = jsonschema.validators.validator_for(schema)(schema)
failed = False
for path in sys.argv[2:]:
    log = json.load(open(path))
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    results = sum(len(run.get("results", [])) for run in log["runs"])
    for error in errors[:5]:
        print(f"{path}: {'/'.join(map(str, error.path))}: {error.message}")
    failed |= bool(errors)
    print(f"{'INVALID' if errors else 'valid'}: {path.split('/')[-1]} ({results} results)")
if failed:
    sys.exit(1)
PY

echo "== pre-commit hook (real pre-commit, try-repo and an installed hook)"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pre-commit
export PRE_COMMIT_HOME="$work/pre-commit-home"
"$work/venv/bin/pre-commit" validate-manifest .pre-commit-hooks.yaml
echo "ok: .pre-commit-hooks.yaml is a valid manifest"
export PATH="$bin:$work/venv/bin:$PATH"
for key in $(env | grep -o '^GIT_[A-Z_]*' || true); do unset "$key"; done
project="$work/project"
mkdir -p "$project/app"
cp "$work/awkward/.prefect-secrets.toml" "$project/"
printf 'import os\n' > "$project/app/settings.py"
git -C "$project" init -q -b main
git -C "$project" config user.email ci@example.invalid
git -C "$project" config user.name CI
git -C "$project" config commit.gpgsign false
git -C "$project" add -A
git -C "$project" commit -q -m initial
printf 'import os\nLABEL = "acme_q8z3k1m9x2c4"\n' > "$project/app/settings.py"
git -C "$project" add app/settings.py

expect_blocked() {  # $1: label, $2: output file, $3: exit status
    if [ "$3" -eq 0 ]; then echo "FAIL: $1: the staged secret was not blocked"; cat "$2"; exit 1; fi
    if ! grep -q 'app/settings.py:2:10: ACME001' "$2"; then echo "FAIL: $1: the finding is not shown"; cat "$2"; exit 1; fi
    if grep -q 'q8z3k1m9x2c4' "$2"; then echo "FAIL: $1: the value leaked"; exit 1; fi
    echo "ok: $1 blocked, finding shown:"
    grep 'ACME001' "$2" | sed 's/^/    /'
}

set +e
(cd "$project" && pre-commit try-repo "$repo" prefect-secrets-system --verbose) > "$work/try1.txt" 2>&1
status=$?
set -e
expect_blocked "try-repo" "$work/try1.txt" "$status"

# An installed hook on a real commit, from the committed .pre-commit-hooks.yaml at HEAD
# (skipped when it is not committed yet, e.g. in a working copy).
if git -C "$repo" cat-file -e HEAD:.pre-commit-hooks.yaml 2>/dev/null; then
    cat > "$project/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $repo
    rev: $(git -C "$repo" rev-parse HEAD)
    hooks:
      - id: prefect-secrets-system
YAML
    git -C "$project" add .pre-commit-config.yaml
    (cd "$project" && pre-commit install >/dev/null)
    set +e
    git -C "$project" commit -q -m "add a token" > "$work/commit1.txt" 2>&1
    status=$?
    set -e
    expect_blocked "git commit" "$work/commit1.txt" "$status"
fi

printf 'import os\nTOKEN = os.environ["TOKEN"]\n' > "$project/app/settings.py"
git -C "$project" add app/settings.py
(cd "$project" && pre-commit try-repo "$repo" prefect-secrets-system --verbose) > "$work/try2.txt" 2>&1 \
    || { echo "FAIL: try-repo after the fix"; cat "$work/try2.txt"; exit 1; }
echo "ok: try-repo passes after the fix"
if [ -f "$project/.git/hooks/pre-commit" ]; then
    git -C "$project" commit -q -m "read the token from the environment" > "$work/commit2.txt" 2>&1 \
        || { echo "FAIL: git commit after the fix"; cat "$work/commit2.txt"; exit 1; }
    echo "ok: git commit passes after the fix"
fi
echo "ci-gating passed"
