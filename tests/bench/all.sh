#!/usr/bin/env bash
# Every benchmark of the portal in one run, then one table: each figure beside
# the ceiling measured in the same run and the goal the issues set.
#
#   bash tests/bench/all.sh                # release build, PostgreSQL, wrk, python3; about 30 minutes
#   ONLY="catalogue dashboard" bash tests/bench/all.sh
#
# The dashboard's 1,000,000 dossiers take about 8 minutes to seed; KEEP=1 keeps
# them for the next run. Figures move by about ±25 % between runs on a shared
# machine: compare lines of one run.
set -euo pipefail
cd "$(dirname "$0")/../.."
export BENCH_RESULTS BENCH_CEILINGS
BENCH_RESULTS=$(mktemp)
BENCH_CEILINGS=$(mktemp)
LOG=${LOG:-target/bench-$(date +%Y%m%d-%H%M%S).log}
mkdir -p target
cargo build --release --quiet

ALL="ceilings catalogue submissions workflow_actions instructions deadline_sweep sync_drain dashboard"
for bench in ${ONLY:-$ALL}; do
  echo "== $bench" | tee -a "$LOG"
  if ! bash "tests/bench/$bench.sh" >>"$LOG" 2>&1; then
    echo "$bench failed: see $LOG" >&2
    figure_failed=1
  fi
done

echo
echo "Run of $(date -u '+%F %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores; every line's output in $LOG"
echo
echo "| what | measured | ceiling (same run) | goal |"
echo "|---|---|---|---|"
awk -F'\t' '{printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4}' "$BENCH_RESULTS"
rm -f "$BENCH_RESULTS" "$BENCH_CEILINGS"
[ -z "${figure_failed:-}" ]
