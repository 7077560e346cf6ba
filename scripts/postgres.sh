#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages if needed, starts its cluster, and creates the test
# role and database. Prints the URL for TEST_PG_URL on its last line. Needs root (as CI has).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "postgres: installing Debian's postgresql" >&2
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
read -r ver cluster port status _ < <(pg_lsclusters --no-header | head -n 1)
if [ -z "${ver:-}" ]; then
  echo "postgres: no cluster found after install" >&2
  exit 1
fi
if [ "$status" != "online" ]; then
  pg_ctlcluster "$ver" "$cluster" start >&2
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
pg_isready -h 127.0.0.1 -p "$port" >&2
su postgres -c "psql -q -p $port -v ON_ERROR_STOP=1" >&2 <<'SQL'
SELECT 'CREATE ROLE genius_loci LOGIN PASSWORD ''genius_loci'' CREATEDB'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'genius_loci')\gexec
SELECT 'CREATE DATABASE genius_loci_test OWNER genius_loci TEMPLATE template0 ENCODING ''UTF8'''
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'genius_loci_test')\gexec
SQL
echo "postgresql+psycopg://genius_loci:genius_loci@127.0.0.1:${port}/genius_loci_test"
