#!/usr/bin/env bash
# Instructions per request (issue 21): the release portal on PostgreSQL under
# valgrind's callgrind, COUNT requests of each kind one after another (the
# catalogue, a submission, a workflow step); see instructions.py. A stable
# figure to judge a change by where wall-clock figures move ±25 % between runs.
# BIN=path/to/motcua measures another build (an earlier commit's, for a
# before/after pair).
#
#   bash tests/bench/instructions.sh        # needs valgrind, PostgreSQL and python3
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/lib.sh
PORT=${PORT:-18481}
MOCK_PORT=${MOCK_PORT:-18490}
COUNT=${COUNT:-20}
BIN=${BIN:-target/release/motcua}
DB=motcua_bench_instructions
ADMIN_URL=${ADMIN_URL:-postgres://motcua:motcua@127.0.0.1:5432/postgres}
DB_URL="${ADMIN_URL%/*}/$DB"

[ "$BIN" = target/release/motcua ] && cargo build --release --quiet
psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
data=$(mktemp -d)
export MOTCUA_DATABASE_URL="$DB_URL" MOTCUA_DATA_DIR="$data" MOTCUA_LOG=warn MOTCUA_WORKERS=off \
  MOTCUA_LISTEN="127.0.0.1:$PORT" MOTCUA_MOCK_NATIONAL_PORTAL_LISTEN="127.0.0.1:$MOCK_PORT"
# Migrations and demo data natively first: under callgrind the portal only serves.
"$BIN" seed >/dev/null
valgrind --tool=callgrind --callgrind-out-file="$data/callgrind.out.%p" "$BIN" serve >/dev/null 2>"$data/portal.log" &
server=$!
trap 'kill $server 2>/dev/null; psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" 2>/dev/null' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.5; done
result=$(python3 tests/bench/instructions.py "http://127.0.0.1:$PORT" "$server" "$data" "$COUNT")
echo "$result"
python3 - "$result" <<'PY' | while IFS=$'\t' read -r what n; do figure "instructions per request: $what" "$n" "—" "—"; done
import json, sys
for what, n in json.loads(sys.argv[1])["instructions_per_request"].items():
    print(f"{what}\t{n:,}")
PY
