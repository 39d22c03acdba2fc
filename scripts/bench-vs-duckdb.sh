#!/usr/bin/env bash
# bench-vs-duckdb.sh: issue 18 part 6's speed target, measured in one run.
# `mineralpact assess` CSV -> CSV on a declarations file against DuckDB
# running the floor-gap duty as SQL over the same file (tools/duckbench, a
# module of its own: the main module needs neither cgo nor DuckDB), timed
# by hyperfine, reported as ratios (docs/exports.md, "Speed against DuckDB").
#
#   scripts/bench-vs-duckdb.sh [DECLARATIONS.csv]
#
# Without a file, it generates its own in its scratch folder (a shared path
# such as /tmp/d1m.csv may be rewritten by someone else while it runs).
#
# Environment: RUNS (default 3), WARMUP (default 1), N (rows generated when
# the file is absent, default 1000000), FLOOR_DATES (the revisions whose
# floors DuckDB joins, default the quarters of 2026), WORK (scratch folder).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
warmup=${WARMUP:-1}
n=${N:-1000000}
floor_dates=${FLOOR_DATES:-"2026-01-01 2026-04-01 2026-07-01 2026-10-01"}
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
decl=${1:-$work/declarations.csv}
command -v hyperfine >/dev/null || { echo "bench-vs-duckdb: needs hyperfine (apt-get install -y hyperfine)" >&2; exit 2; }

echo "building mineralpact and tools/duckbench (cgo, DuckDB bundled; the first build takes a minute)" >&2
go build -o "$work/mineralpact" ./cmd/mineralpact
(cd tools/duckbench && go build -o "$work/duckbench" .)

if [ ! -s "$decl" ]; then
  echo "generating $n declarations into $decl" >&2
  "$work/mineralpact" gen declarations --n "$n" --seed 7 --bad-rate 0.01 >"$decl"
fi
# The floors of every revision in the declarations' range, as DuckDB reads them.
for d in $floor_dates; do
  # A floor that cannot be computed (a series without its months) is left
  # out of DuckDB's floors; prices compute then exits 1 after writing the rest.
  "$work/mineralpact" prices compute --as-of "$d" --format csv 2>/dev/null || true
done | awk 'NR == 1 || !/^mineral,stage,/' >"$work/floors.csv"

rm -f "$work/duck-times.txt"
duck="$work/duckbench --decl $decl --floors $work/floors.csv --hs data/hs_map.csv \
--fx data/fred-exchange-rates/monthly.csv --series data/fred-exchange-rates/series.csv \
--out $work/duck-out.csv --times $work/duck-times.txt"
assess="$work/mineralpact assess --in $decl --out $work/assess-out.csv --errors $work/assess-errors.csv"

echo "rows: $(($(wc -l <"$decl") - 1)) in $decl; $(nproc) cores; runs $runs after $warmup warm-up" >&2
hyperfine --warmup "$warmup" --runs "$runs" --export-csv "$work/hyperfine.csv" \
  -n assess "$assess" -n duckdb "$duck" >&2

# hyperfine.csv: command,mean,stddev,median,user,system,min,max
col() { awk -F, -v c="$1" -v k="$2" '$1 == c {print $k}' "$work/hyperfine.csv"; }
assess_s=$(col assess 2) duck_s=$(col duckdb 2) assess_min=$(col assess 7) duck_min=$(col duckdb 7)
# CPU time (user + system, mean): steadier than wall time on a shared machine,
# and what a loaded server pays.
assess_cpu=$(awk -F, '$1 == "assess" {print $5 + $6}' "$work/hyperfine.csv")
duck_cpu=$(awk -F, '$1 == "duckdb" {print $5 + $6}' "$work/hyperfine.csv")
# The query alone: duckbench's own timing of its COPY statement over the
# timed runs (the warm-up runs come first in the file): mean and least.
query_s=$(tail -n "$runs" "$work/duck-times.txt" | awk '{s += $1} END {printf "%.3f", s / NR}')
query_min=$(tail -n "$runs" "$work/duck-times.txt" | sort -n | awk 'NR == 1 {printf "%.3f", $1}')
echo
printf '%-28s %8s %8s\n' "" "mean s" "least s"
printf '%-28s %8.3f %8.3f\n' "assess CSV->CSV" "$assess_s" "$assess_min" \
  "DuckDB process" "$duck_s" "$duck_min" "DuckDB query alone" "$query_s" "$query_min"
printf '%-28s %8.3f\n' "CPU assess (user + sys)" "$assess_cpu" "CPU DuckDB (user + sys)" "$duck_cpu"
awk -v a="$assess_s" -v d="$duck_s" -v q="$query_s" -v am="$assess_min" -v dm="$duck_min" -v qm="$query_min" \
  -v ac="$assess_cpu" -v dc="$duck_cpu" 'BEGIN {
  printf "%-28s %8.2f %8.2f  (target: <= 1.00)\n", "assess / DuckDB process", a / d, am / dm
  printf "%-28s %8.2f %8.2f\n", "assess / DuckDB query alone", a / q, am / qm
  printf "%-28s %8.2f\n", "CPU assess / CPU DuckDB", ac / dc
}'
echo "rows out: assess $(($(wc -l <"$work/assess-out.csv") - 1)), DuckDB $(($(wc -l <"$work/duck-out.csv") - 1)); load average $(cut -d' ' -f1-3 /proc/loadavg); files in $work"
