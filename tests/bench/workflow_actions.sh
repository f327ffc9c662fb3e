#!/usr/bin/env bash
# Workflow actions benchmark (issue 5): the release portal on PostgreSQL,
# WORKERS threads taking workflow steps over HTTP for SECONDS on DOSSIERS
# dossiers. See workflow_actions.py.
#
#   bash tests/bench/workflow_actions.sh        # needs PostgreSQL and python3
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/lib.sh
PORT=${PORT:-18381}
MOCK_PORT=${MOCK_PORT:-18390}
WORKERS=${WORKERS:-8}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-30}
DOSSIERS=${DOSSIERS:-400}
DB=motcua_bench_steps
ADMIN_URL=${ADMIN_URL:-postgres://motcua:motcua@127.0.0.1:5432/postgres}
DB_URL="${ADMIN_URL%/*}/$DB"

BIN=${BIN:-target/release/motcua}   # another build's binary: a before/after pair
[ "$BIN" = target/release/motcua ] && cargo build --release --quiet
# The timed load comes from examples/loadgen.rs (keep-alive, one thread); LOADGEN= runs the Python loop instead.
LOADGEN=${LOADGEN-target/release/examples/loadgen}
[ -n "$LOADGEN" ] && cargo build --release --quiet --example loadgen
export LOADGEN
psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
data=$(mktemp -d)
MOTCUA_DATABASE_URL="$DB_URL" MOTCUA_DATA_DIR="$data" MOTCUA_LOG=warn MOTCUA_WORKERS=off MOTCUA_SERVER_TIMING=on \
  MOTCUA_LISTEN="127.0.0.1:$PORT" MOTCUA_MOCK_NATIONAL_PORTAL_LISTEN="127.0.0.1:$MOCK_PORT" \
  "$BIN" serve >/dev/null 2>"$data/portal.log" &
server=$!
trap 'kill $server 2>/dev/null; psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
result=$(python3 tests/bench/workflow_actions.py "http://127.0.0.1:$PORT" "$server" "$WORKERS" "$SECONDS_PER_RUN" "$DOSSIERS")
echo "$result"
figure "workflow actions" \
  "$(json per_second <<<"$result")/s, p50 $(json p50_ms <<<"$result") ms, p99 $(json p99_ms <<<"$result") ms, $(json errors <<<"$result") errors, $(json sql_per_request <<<"$result") SQL statements each; CPU: portal $(json portal_cpu_pct <<<"$result") %, load generator ($(json generator <<<"$result")) $(json generator_cpu_pct <<<"$result") % of a core, $(json peak_rss_mib <<<"$result") MiB peak" \
  "$(ceiling pgbench)" "≥ 1,000/s (issue 21)"
echo "  history entries: $(psql "$DB_URL" -tAc 'SELECT count(*) FROM dossier_event') · notices: $(psql "$DB_URL" -tAc 'SELECT count(*) FROM notice')"
