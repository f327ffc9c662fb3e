#!/usr/bin/env bash
# What this machine can do at best, measured right before the portal's figures
# so that both see the same load: PostgreSQL's own TPC-B rate (pgbench),
# writing and syncing files of a submission's size to the local disk, and
# PUTs of the same files to the S3 server (moto) the S3 figures use.
#
#   bash tests/bench/ceilings.sh          # needs PostgreSQL (pgbench) and python3 (pip installs moto)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/lib.sh
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
S3_PORT=${S3_PORT:-18298}
DB=motcua_bench_pgbench
ADMIN_URL=${ADMIN_URL:-postgres://motcua:motcua@127.0.0.1:5432/postgres}
DB_URL="${ADMIN_URL%/*}/$DB"
PIDS=""
trap 'kill $PIDS 2>/dev/null; psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" 2>/dev/null' EXIT

record() { # name value
  echo "$1: $2"
  [ -n "${BENCH_CEILINGS:-}" ] && printf '%s\t%s\n' "$1" "$2" >>"$BENCH_CEILINGS"
  return 0
}

psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
pgbench -q -i -s 10 "$DB_URL" >/dev/null 2>&1
tps=$(pgbench -c 8 -j 2 -T "$SECONDS_PER_RUN" "$DB_URL" 2>/dev/null | awk '/^tps/ {printf "%.0f", $3}')
record pgbench "$tps TPC-B transactions/s"

# Two 200 KB files per submission, as the submission benchmark sends.
files=$(python3 - "$SECONDS_PER_RUN" <<'PY'
import os, sys, tempfile, time
data, n = os.urandom(200 * 1024), 0
with tempfile.TemporaryDirectory() as d:
    end = time.monotonic() + float(sys.argv[1]) / 2
    while time.monotonic() < end:
        path = os.path.join(d, f"{n}.pdf")
        with open(path, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        n += 1
    print(f"{n / (float(sys.argv[1]) / 2):.0f}")
PY
)
record file_write "$files files of 200 KB written and synced/s"

python3 -m pip install -q --disable-pip-version-check 'moto[server]' 2>/dev/null || true
python3 -m moto.server -H 127.0.0.1 -p "$S3_PORT" >/dev/null 2>&1 &
PIDS="$PIDS $!"
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$S3_PORT" >/dev/null && break; sleep 0.2; done
curl -sf -X PUT "http://127.0.0.1:$S3_PORT/ceiling" >/dev/null
puts=$(python3 - "http://127.0.0.1:$S3_PORT/ceiling" "$SECONDS_PER_RUN" <<'PY'
import os, sys, threading, time, urllib.request
url, seconds = sys.argv[1], float(sys.argv[2]) / 2
data, done, lock = os.urandom(200 * 1024), [0], threading.Lock()
end = time.monotonic() + seconds
def put(t):
    n = 0
    while time.monotonic() < end:
        # Without a content type urllib says form data, which moto then tries to parse.
        req = urllib.request.Request(f"{url}/{t}-{n}", data=data, method="PUT",
                                     headers={"Content-Type": "application/octet-stream"})
        try:
            urllib.request.urlopen(req, timeout=10).read()
            n += 1
        except OSError:
            pass  # a PUT the server dropped counts for nothing
    with lock:
        done[0] += n
threads = [threading.Thread(target=put, args=(t,)) for t in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
print(f"{done[0] / seconds:.0f}")
PY
)
record s3_put "$puts S3 PUTs of 200 KB/s"
