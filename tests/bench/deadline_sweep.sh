#!/usr/bin/env bash
# Deadline sweep benchmark (issue 5): one sweep over 1,000,000 open dossiers
# in PostgreSQL, of which 1,000 have just become overdue and 1,000 due soon.
# Prints the sweep's time and counts, and the query plans (index use).
#
#   bash tests/bench/deadline_sweep.sh        # needs PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/lib.sh
N=${N:-1000000}
DB=motcua_bench_sweep
ADMIN_URL=${ADMIN_URL:-postgres://motcua:motcua@127.0.0.1:5432/postgres}
DB_URL="${ADMIN_URL%/*}/$DB"

cargo build --release --quiet
psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
trap 'psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" 2>/dev/null' EXIT
export MOTCUA_DATABASE_URL="$DB_URL" MOTCUA_DATA_DIR="$(mktemp -d)" MOTCUA_LOG=warn
target/release/motcua seed >/dev/null
started=$(date +%s)
psql "$DB_URL" -q <<SQL
INSERT INTO dossier (public_id, code, procedure_id, procedure_version, agency_id, created_by, channel, status,
  form_data, applicant_name, applicant_id_number, applicant_address, applicant_phone, applicant_email,
  submitted_at, received_at, due_at, due_soon_at, due_state, version, created_at, updated_at)
SELECT 'bench-' || i, 'BENCH-' || i, p.id, 1, p.agency_id, a.id, 'online', 'in_progress',
  '{}', 'Người nộp ' || i, '', '', '', '',
  now() - interval '10 days', now() - interval '10 days',
  CASE WHEN i <= 1000 THEN now() - interval '1 hour' ELSE now() + (i % 60 + 2) * interval '1 day' END,
  CASE WHEN i <= 2000 THEN now() - interval '1 hour' ELSE now() + (i % 60 + 1) * interval '1 day' END,
  'on_time', 1, now(), now()
FROM generate_series(1, $N) AS i,
  (SELECT id, agency_id FROM procedure WHERE code = '1.004227') AS p,
  (SELECT id FROM account WHERE username = 'tiepnhan') AS a;
ANALYZE dossier;
SQL
echo "dossiers: $(psql "$DB_URL" -tAc 'SELECT count(*) FROM dossier WHERE closed_at IS NULL') open, loaded in $(( $(date +%s) - started )) s"
echo "plan of the overdue batch:"
psql "$DB_URL" -tAc "EXPLAIN SELECT id FROM dossier WHERE closed_at IS NULL AND paused_at IS NULL AND due_state <> 'overdue' AND due_at < now() ORDER BY due_at LIMIT 1000" | sed 's/^/  /'
echo "plan of the due-soon batch:"
psql "$DB_URL" -tAc "EXPLAIN SELECT id FROM dossier WHERE closed_at IS NULL AND paused_at IS NULL AND due_state = 'on_time' AND due_soon_at <= now() AND due_at >= now() ORDER BY due_soon_at LIMIT 1000" | sed 's/^/  /'
first=$(target/release/motcua sweep-deadlines)
second=$(target/release/motcua sweep-deadlines)
echo "first sweep:  $first"
echo "second sweep: $second"
figure "deadline sweep over $N open dossiers" "first: $first; second: $second" "$(ceiling pgbench)" "—"
