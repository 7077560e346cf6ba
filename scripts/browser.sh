#!/usr/bin/env bash
# Installs Debian's Chromium and its driver for the end-to-end tests (tests/e2e), and poppler-utils
# (pdftoppm: the e2e test turns the downloaded roadmap PDF into PNG pages), unless both are there. Needs root (as CI has). Prints nothing on stdout; errors
# go to stderr. Playwright drives this binary: `playwright install` is never used (CI cannot
# reach Playwright's CDN). Recommends are left out (printer and notification tools); a font
# with Cyrillic still comes in through libfontconfig1 -> fontconfig-config -> fonts-dejavu-core.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/pdftoppm ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "browser: installing Debian's chromium needs root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium chromium-driver poppler-utils >/dev/null
for tool in /usr/bin/chromium /usr/bin/pdftoppm; do
  if [ ! -x "$tool" ]; then
    echo "browser: $tool is missing after installing chromium and poppler-utils" >&2
    exit 1
  fi
done
