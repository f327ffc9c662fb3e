#!/usr/bin/env bash
# Dossier submission benchmark (issue 4): the release portal on PostgreSQL,
# files in the local folder and then in an S3 server (moto), mail to files;
# WORKERS applicants submit for SECONDS each run. See submissions.py.
#
#   bash tests/bench/submissions.sh        # needs PostgreSQL and python3 (pip installs moto for S3)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/lib.sh
PORT=${PORT:-18281}
MOCK_PORT=${MOCK_PORT:-18290}
S3_PORT=${S3_PORT:-18299}
WORKERS=${WORKERS:-8}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-30}
DB=motcua_bench_submit
ADMIN_URL=${ADMIN_URL:-postgres://motcua:motcua@127.0.0.1:5432/postgres}
DB_URL="${ADMIN_URL%/*}/$DB"

BIN=${BIN:-target/release/motcua}   # another build's binary: a before/after pair
[ "$BIN" = target/release/motcua ] && cargo build --release --quiet
# The timed load comes from examples/loadgen.rs (keep-alive, one thread); LOADGEN= runs the Python loop instead.
LOADGEN=${LOADGEN-target/release/examples/loadgen}
[ -n "$LOADGEN" ] && cargo build --release --quiet --example loadgen
export LOADGEN
PIDS=""
trap 'kill $PIDS 2>/dev/null; psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" 2>/dev/null' EXIT

run() {
  local storage=$1
  psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  local data
  data=$(mktemp -d)
  local env=(MOTCUA_DATABASE_URL="$DB_URL" MOTCUA_DATA_DIR="$data" MOTCUA_LOG=warn MOTCUA_SERVER_TIMING=on
    MOTCUA_LISTEN="127.0.0.1:$PORT" MOTCUA_MOCK_NATIONAL_PORTAL_LISTEN="127.0.0.1:$MOCK_PORT")
  if [ "$storage" = s3 ]; then
    curl -sf -X PUT "http://127.0.0.1:$S3_PORT/motcua-bench" >/dev/null
    env+=(MOTCUA_STORAGE=s3 MOTCUA_S3_ENDPOINT="http://127.0.0.1:$S3_PORT" MOTCUA_S3_BUCKET=motcua-bench
      MOTCUA_S3_PATH_STYLE=on MOTCUA_S3_REGION=us-east-1 MOTCUA_S3_ACCESS_KEY_ID=bench MOTCUA_S3_SECRET_ACCESS_KEY=bench)
  fi
  env "${env[@]}" "$BIN" serve >/dev/null 2>"$data/portal.log" &
  local server=$!
  PIDS="$PIDS $server"
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
  local result
  result=$(python3 tests/bench/submissions.py "http://127.0.0.1:$PORT" "$server" "$WORKERS" "$SECONDS_PER_RUN")
  echo "$storage: $result"
  local ceiling_name=file_write
  [ "$storage" = s3 ] && ceiling_name=s3_put
  figure "submissions with two 200 KB files ($storage)" \
    "$(json per_second <<<"$result")/s, p50 $(json p50_ms <<<"$result") ms, p99 $(json p99_ms <<<"$result") ms, $(json errors <<<"$result") errors, $(json sql_per_request <<<"$result") SQL statements each; CPU: portal $(json portal_cpu_pct <<<"$result") %, load generator ($(json generator <<<"$result")) $(json generator_cpu_pct <<<"$result") % of a core" \
    "$(ceiling "$ceiling_name") · $(ceiling pgbench)" "≥ 300/s, p99 ≤ 100 ms (issue 21)"
  figure "memory of the portal under submissions ($storage)" "$(json peak_rss_mib <<<"$result") MiB peak (VmHWM)" "—" "≤ 150 MiB (issue 21)"
  echo "  dossiers in the database: $(psql "$DB_URL" -tAc 'SELECT count(*) FROM dossier') (received: $(psql "$DB_URL" -tAc "SELECT count(*) FROM dossier WHERE status = 'received'"))"
  kill "$server"; wait "$server" 2>/dev/null || true
}

STORAGES=${STORAGES:-local s3}   # STORAGES=local: an A/B pair without the S3 run
case " $STORAGES " in *" local "*) run local ;; esac
case " $STORAGES " in *" s3 "*)
  python3 -m pip install -q 'moto[server]' 2>/dev/null || true
  python3 -m moto.server -H 127.0.0.1 -p "$S3_PORT" >/dev/null 2>&1 &
  PIDS="$PIDS $!"
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$S3_PORT" >/dev/null && break; sleep 0.2; done
  run s3 ;;
esac
