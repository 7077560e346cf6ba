#!/usr/bin/env bash
# Starts the Genius Loci app on its embedded default database (SQLite under data/), with the
# participants' workshop routes beside it (server.py).
# Extra arguments go to `streamlit run` (e.g. --server.port 8600).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
exec .venv/bin/python -m streamlit run server.py \
  --server.headless true --browser.gatherUsageStats false "$@"
