#!/usr/bin/env bash
# Installs everything the test suite needs, checks lint and formatting (ruff), and runs the tests.
# `.ci/run` calls exactly this.
# Extra arguments go to pytest (e.g. -k rules).
#
# PostgreSQL: the store tests also run against a real server. Unless TEST_PG_URL is already set,
# this script installs and starts Debian's PostgreSQL (needs root, as CI has) and sets it. Under
# CI a server that cannot be had is a failure; on a developer machine without root the PostgreSQL
# tests are skipped with a warning.
#
# Chromium: the end-to-end tests (tests/e2e) drive the real app in Debian's headless Chromium
# through Playwright. When root with apt-get, scripts/browser.sh installs it if missing. Under CI
# a browser that cannot be had is a failure; elsewhere the browser tests are skipped with a warning.
# The same script installs poppler-utils (pdftoppm), with which the e2e test renders the roadmap PDF.
#
# LibreOffice: tests/documents/test_roadmap_docx.py converts the roadmap DOCX with Debian's headless Writer.
# When root with apt-get, scripts/office.sh installs it if missing; under CI an office that cannot
# be had is a failure; elsewhere that test is skipped with a warning.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
if [ -z "${TEST_PG_URL:-}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && url=$(bash scripts/postgres.sh | tail -n 1); then
    export TEST_PG_URL="$url"
  elif [ "${CI:-}" = "true" ]; then
    echo "test: CI needs PostgreSQL and scripts/postgres.sh could not provide it" >&2
    exit 1
  else
    echo "test: WARNING: no PostgreSQL (not root?); its tests will be skipped. Set TEST_PG_URL to run them." >&2
  fi
fi
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/pdftoppm ]; then
  :
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && bash scripts/browser.sh; then
  :
elif [ "${CI:-}" = "true" ]; then
  echo "test: CI needs Chromium and scripts/browser.sh could not provide it" >&2
  exit 1
else
  echo "test: WARNING: no /usr/bin/chromium (not root?); the browser tests will be skipped. Run scripts/browser.sh as root." >&2
fi
if [ -x /usr/bin/soffice ]; then
  :
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && bash scripts/office.sh; then
  :
elif [ "${CI:-}" = "true" ]; then
  echo "test: CI needs LibreOffice and scripts/office.sh could not provide it" >&2
  exit 1
else
  echo "test: WARNING: no /usr/bin/soffice (not root?); the DOCX layout test will be skipped. Run scripts/office.sh as root." >&2
fi
# The linter and the formatter first (ruff.toml): a red lint fails the run as a red test does.
.venv/bin/ruff check .
.venv/bin/ruff format --check .
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "test: pytest collected no tests; that is a failure" >&2
  exit 1
fi
exit "$rc"
