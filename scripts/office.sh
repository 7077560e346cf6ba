#!/usr/bin/env bash
# Installs Debian's LibreOffice Writer without a GUI (libreoffice-writer-nogui), unless it is there:
# tests/documents/test_roadmap_docx.py converts the roadmap DOCX with `soffice --headless --convert-to pdf`
# to check it as a word processor lays it out (contents shown, column widths honoured). Needs root
# (as CI has). Prints nothing on stdout; errors go to stderr. Recommends are left out (Java, fonts
# and GUI helpers: about 85 MB of packages, 260 MB installed, half a minute); fonts-dejavu-core
# gives the converted pages Cyrillic and the Kazakh letters (it stands in for Arial).
set -euo pipefail
if [ -x /usr/bin/soffice ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "office: installing Debian's libreoffice-writer-nogui needs root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui fonts-dejavu-core >/dev/null
if [ ! -x /usr/bin/soffice ]; then
  echo "office: /usr/bin/soffice is missing after installing libreoffice-writer-nogui" >&2
  exit 1
fi
