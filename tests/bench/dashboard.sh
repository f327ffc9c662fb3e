#!/usr/bin/env bash
# Dashboard benchmark (issue 18): N dossiers (1,000,000 by default) seeded
# into PostgreSQL by `motcua seed --dossiers N`, then the admin's dashboard
# page and the QĐ 766 JSON for the agency with the most dossiers over the
# last year, each asked REQUESTS times one after another (a leader looking),
# with the median and the slowest. Prints the seeding time too.
#
#   bash tests/bench/dashboard.sh             # needs PostgreSQL
#   KEEP=1 bash tests/bench/dashboard.sh      # keep (and reuse) the seeded database
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/lib.sh
N=${N:-1000000}
PORT=${PORT:-18481}
MOCK_PORT=${MOCK_PORT:-18490}
REQUESTS=${REQUESTS:-20}
DB=motcua_bench_dashboard
ADMIN_URL=${ADMIN_URL:-postgres://motcua:motcua@127.0.0.1:5432/postgres}
# Over the Unix socket: on loopback TCP the database driver's multi-row inserts stall on delayed
# acknowledgements (about 4x slower seeding measured on this machine).
DB_URL=${DB_URL:-"postgres://motcua:motcua@localhost/$DB?host=/var/run/postgresql"}
BASE="http://127.0.0.1:$PORT"

cargo build --release --quiet
data=$(mktemp -d)
export MOTCUA_DATABASE_URL="$DB_URL" MOTCUA_DATA_DIR="$data" MOTCUA_LOG=warn MOTCUA_WORKERS=off
if [ "${KEEP:-}" != 1 ] || [ "$(psql "$ADMIN_URL" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
  psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  started=$(date +%s.%N)
  target/release/motcua seed --dossiers "$N"
  seeded=$(echo "$(date +%s.%N) - $started" | bc)
  echo "seeded $N dossiers in $seeded s"
  figure "seeding $N dossiers (motcua seed)" "$(printf '%.0f' "$seeded") s" "—" "minutes"
  psql "$DB_URL" -qc "VACUUM ANALYZE"
fi
[ "${KEEP:-}" = 1 ] || trap 'psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" 2>/dev/null' EXIT
echo "rows: $(psql "$DB_URL" -tAc "SELECT (SELECT count(*) FROM dossier) || ' dossiers, ' || (SELECT count(*) FROM dossier_event) || ' history entries, ' || (SELECT count(*) FROM rating) || ' ratings'")"
MOTCUA_LISTEN="127.0.0.1:$PORT" MOTCUA_MOCK_NATIONAL_PORTAL=off MOTCUA_MOCK_NATIONAL_PORTAL_LISTEN="127.0.0.1:$MOCK_PORT" \
  target/release/motcua serve >/dev/null 2>"$data/portal.log" &
server=$!
trap 'kill $server 2>/dev/null; [ "${KEEP:-}" = 1 ] || psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -sf "$BASE/readyz" >/dev/null && break; sleep 0.2; done

agency=$(psql "$DB_URL" -tAc "SELECT a.code FROM dossier d JOIN agency a ON a.id = d.agency_id GROUP BY a.code ORDER BY count(*) DESC LIMIT 1")
to=$(TZ=Asia/Ho_Chi_Minh date +%F)
from=$(TZ=Asia/Ho_Chi_Minh date -d '-1 year +1 day' +%F)
in_scope=$(psql "$DB_URL" -tAc "SELECT count(*) FROM dossier d JOIN agency a ON a.id = d.agency_id WHERE a.code = '$agency' AND d.received_at >= '$from'")
echo "agency $agency, $from to $to: $in_scope dossiers received"

# The demo admin (documented demo password) signs in; the session cookie asks for the dashboard.
jar="$data/cookies"
csrf=$(curl -s -c "$jar" "$BASE/can-bo/dang-nhap" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
curl -s -b "$jar" -c "$jar" -o /dev/null -d "username=admin&password=motcua-demo&next=/can-bo&_csrf=$csrf" "$BASE/can-bo/dang-nhap"

measure() { # name goal url [curl options]
  local name=$1 goal=$2 url=$3; shift 3
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url")
  [ "$status" = 200 ] || { echo "$name: HTTP $status" >&2; exit 1; }
  for _ in $(seq 1 "$REQUESTS"); do curl -s -o /dev/null -w '%{time_total}\n' "$@" "$url"; done | sort -n |
    awk -v name="$name" -v goal="$goal" '{t[NR]=$1} END {printf "| %s | %.0f ms | %.0f ms | %s |\n", name, t[int((NR+1)/2)]*1000, t[NR]*1000, goal}' |
    tee "$data/line"
  local median slowest
  median=$(awk -F' [|] ' '{print $2}' "$data/line")
  slowest=$(awk -F' [|] ' '{print $3}' "$data/line")
  if [ "$goal" = "—" ]; then
    STATIC="median $median (static file)"
  else
    figure "dashboard over $N dossiers: $name" "median $median, slowest $slowest" "$STATIC" "$goal (issue 18)"
  fi
}
echo "| what | median | slowest | goal |"
echo "|---|---|---|---|"
measure "static file (ceiling)" "—" "$BASE/static/css/site.css"
measure "QĐ 766 JSON" "200 ms" "$BASE/api/v1/statistics/766?agency=$agency&from=$from&to=$to"
measure "dashboard page (admin)" "200 ms" "$BASE/quan-tri/thong-ke?agency=$agency&from=$from&to=$to" -b "$jar"
measure "open data by unit (JSON)" "200 ms" "$BASE/api/v1/open-data/statistics?by=agency&agency=$agency&from=$from&to=$to"
