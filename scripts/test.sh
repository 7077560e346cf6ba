#!/usr/bin/env bash
# Installs everything the test suite needs and runs it. `.ci/run` calls exactly this.
# Extra arguments go to pytest (e.g. -k rules).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "test: pytest collected no tests; that is a failure" >&2
  exit 1
fi
exit "$rc"
