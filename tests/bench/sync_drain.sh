#!/usr/bin/env bash
# National sync delivery benchmark (issue 17). A backlog of EVENTS sync events
# (10 per dossier: a dossier record at each change and a step after each, as
# the lifecycle queues them) is queued with `motcua seed --sync-backlog`, then
# drained by `motcua sync-drain` into the mock national portal (its own
# process, over HTTP, with OAuth2 client-credentials tokens) — on SQLite and on
# PostgreSQL. Beside it, the ceiling: the mock's own accept rate for the same
# records sent straight to its adapter, batch for batch (sync_accept.py).
#
#   bash tests/bench/sync_drain.sh        # needs python3; PostgreSQL for the second line
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/lib.sh
EVENTS=${EVENTS:-100000}
BATCH=${BATCH:-200}
MOCK_PORT=${MOCK_PORT:-18390}
DB=motcua_bench_sync
ADMIN_URL=${ADMIN_URL:-postgres://motcua:motcua@127.0.0.1:5432/postgres}
PG_URL="${ADMIN_URL%/*}/$DB"
SECRET=bench-sync-secret-0123456789

[ -n "${SKIP_BUILD:-}" ] || cargo build --release --quiet
WORK=$(mktemp -d)
PIDS=""
trap 'kill $PIDS 2>/dev/null; psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" 2>/dev/null; rm -rf "$WORK"' EXIT

common=(MOTCUA_LOG=warn MOTCUA_DEMO_DATA=off MOTCUA_SSO_CLIENT_SECRET=bench-sso-secret-0123456789
  MOTCUA_VNPAY_HASH_SECRET=bench-vnpay-secret-0123456789 MOTCUA_NATIONAL_SYNC_CLIENT_SECRET=$SECRET
  MOTCUA_NATIONAL_SYNC_URL="http://127.0.0.1:$MOCK_PORT" MOTCUA_NATIONAL_SYNC_BATCH=$BATCH)
env "${common[@]}" MOTCUA_DATA_DIR="$WORK/mock" MOTCUA_MOCK_NATIONAL_PORTAL_LISTEN="127.0.0.1:$MOCK_PORT" \
  target/release/motcua mock-national-portal >/dev/null &
PIDS="$PIDS $!"
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$MOCK_PORT/.well-known/openid-configuration" >/dev/null && break; sleep 0.1; done

drain() {
  local name=$1 url=$2
  env "${common[@]}" MOTCUA_DATA_DIR="$WORK/$name" MOTCUA_DATABASE_URL="$url" target/release/motcua migrate >/dev/null
  env "${common[@]}" MOTCUA_DATA_DIR="$WORK/$name" MOTCUA_DATABASE_URL="$url" \
    target/release/motcua seed --sync-backlog "$EVENTS" >/dev/null
  local out ms
  out=$(env "${common[@]}" MOTCUA_DATA_DIR="$WORK/$name" MOTCUA_DATABASE_URL="$url" target/release/motcua sync-drain)
  ms=$(echo "$out" | sed -E 's/.* in ([0-9]+) ms/\1/')
  local rate
  rate=$(python3 -c "print(f'{$EVENTS / ($ms / 1000):.0f}')")
  echo "$name: $out — $rate events/s"
  printf '%s\t%s\n' "$name" "$rate" >>"$WORK/rates"
}

echo "backlog of $EVENTS events, batches of $BATCH"
drain sqlite "sqlite://$WORK/sqlite.db?mode=rwc"
if psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" 2>/dev/null; then
  drain postgresql "$PG_URL"
fi
accept=$(python3 tests/bench/sync_accept.py "http://127.0.0.1:$MOCK_PORT" "$SECRET" "$EVENTS" "$BATCH")
echo "ceiling (the mock's own accept rate, same records and batches): $accept"
while IFS=$'\t' read -r name rate; do
  figure "national sync backlog drain, $EVENTS events ($name)" "$rate events/s" "the mock accepts: $accept" "—"
done <"$WORK/rates"
