# Shared by the benchmark scripts: each records its figures with `figure`, and
# `tests/bench/all.sh` prints every figure of one run in one table, beside
# the ceiling measured in the same run (`tests/bench/ceilings.sh` writes those).
# Run alone, a script just prints its own lines as before.

# The portal, pgbench and psql reach PostgreSQL on the same machine, as a
# one-host deployment does: over loopback TLS protects nothing and costs both
# sides (a workflow step: 361 steps/s with TLS, 447 without, alternating A/B of
# 2026-12-07). Every figure and its ceiling connect the same way; PGSSLMODE=prefer
# measures with TLS.
export PGSSLMODE=${PGSSLMODE:-disable}

# figure WHAT MEASURED CEILING GOAL
figure() {
  [ -n "${BENCH_RESULTS:-}" ] && printf '%s\t%s\t%s\t%s\n' "$1" "$2" "${3:-—}" "${4:-—}" >>"$BENCH_RESULTS"
  return 0
}

# ceiling NAME: a ceiling measured earlier in this run, or "—".
ceiling() {
  local value=""
  [ -n "${BENCH_CEILINGS:-}" ] && [ -f "$BENCH_CEILINGS" ] && value=$(awk -F'\t' -v k="$1" '$1 == k {print $2}' "$BENCH_CEILINGS" | tail -1)
  echo "${value:-—}"
}

# json FIELD: a field of the JSON object on standard input.
json() {
  python3 -c "import json, sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"
}
