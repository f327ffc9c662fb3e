#!/usr/bin/env bash
# Catalogue benchmark (issue 2): requests per second and latency percentiles of
# the catalogue search page and API against PostgreSQL holding ~2,000
# procedures, next to a static file from static/ as the ceiling. wrk runs on
# loopback on the same machine as the portal, so both share its cores.
#
#   bash tests/bench/catalogue.sh            # needs wrk (apt-get install wrk) and PostgreSQL
#   BIN=/tmp/motcua-before bash tests/bench/catalogue.sh   # another build's binary: a before/after pair
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/lib.sh
PORT=${PORT:-18181}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
DB=motcua_bench
ADMIN_URL=${ADMIN_URL:-postgres://motcua:motcua@127.0.0.1:5432/postgres}
DB_URL="${ADMIN_URL%/*}/$DB"

BIN=${BIN:-target/release/motcua}
[ "$BIN" = target/release/motcua ] && cargo build --release --quiet
psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
export MOTCUA_DATABASE_URL="$DB_URL" MOTCUA_DATA_DIR="$(mktemp -d)" MOTCUA_LOG=warn MOTCUA_LISTEN="127.0.0.1:$PORT" MOTCUA_SERVER_TIMING=on
"$BIN" seed >/dev/null
"$BIN" seed --synthetic 2000 >/dev/null
echo "procedures: $(psql "$DB_URL" -tAc 'SELECT count(*) FROM procedure') (published: $(psql "$DB_URL" -tAc "SELECT count(*) FROM procedure WHERE status = 'published'"))"
"$BIN" serve >/dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" 2>/dev/null' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done

run() {
  local name=$1 path=$2
  curl -sf -o /dev/null "http://127.0.0.1:$PORT$path"
  local sql
  sql=$(curl -sf -D - -o /dev/null "http://127.0.0.1:$PORT$path" | sed -n 's/.*desc="\([0-9]*\) SQL.*/\1/p')
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT$path")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  printf '| %s | `%s` | %s | %s | %s |\n' "$name" "$path" "$rps" "$p50" "$p99"
  if [ -z "${STATIC:-}" ]; then
    STATIC="$rps req/s, p99 $p99 (static file)"
    STATIC_RPS=$rps
  else
    local share
    share=$(awk -v a="$rps" -v b="$STATIC_RPS" 'BEGIN {printf "%.0f", 100 * a / b}')
    figure "catalogue: $name" "$rps req/s ($share % of the static file), p50 $p50, p99 $p99, ${sql:-?} SQL statements each" "$STATIC" "${3:-—}"
  fi
}

echo "| what | path | requests/s | p50 | p99 |"
echo "|---|---|---|---|---|"
run "static file (ceiling)" "/static/css/site.css"
run "API search, diacritic-free" "/api/v1/procedures?q=giay+phep" "≥ 50 % of the static file, p99 ≤ 20 ms (issue 21)"
run "API search, with marks" "/api/v1/procedures?q=gi%E1%BA%A5y%20ph%C3%A9p%20b%C6%B0u%20ch%C3%ADnh"
run "API filters, page 5" "/api/v1/procedures?field=SHTT&mode=full_online&page=5"
run "API procedure detail" "/api/v1/procedures/1.004227"
run "catalogue page search" "/thu-tuc?q=giay+phep" "≥ 25 % of the static file, p99 ≤ 30 ms (issue 21)"
run "catalogue page, all" "/thu-tuc"
peak=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$SERVER/status")
echo "memory of the portal: $peak MiB peak (VmHWM)"
figure "memory of the portal under the catalogue loads" "$peak MiB peak (VmHWM)" "—" "≤ 150 MiB (issue 21)"
