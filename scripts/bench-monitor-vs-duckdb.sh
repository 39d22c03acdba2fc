#!/usr/bin/env bash
# bench-monitor-vs-duckdb.sh: issue 13's speed target, measured in one run.
# `mineralpact monitor scan` over a BACI-sized year (10 million rows, about
# 460 MB: written by tools/monitorgen into a scratch folder, never the repo)
# against DuckDB reading the same file and computing the per-pair, per-line
# yearly aggregates (tools/duckbench --query, a module of its own: the main
# module needs neither cgo nor DuckDB). Each is timed with /usr/bin/time -v
# (wall time, CPU, peak memory); the ratio is DuckDB's wall time over ours
# (docs/monitor.md, "Speed").
#
#   scripts/bench-monitor-vs-duckdb.sh [BACI.csv COUNTRY_CODES.csv]
#
# Environment: ROWS (default 10000000), RUNS (default 3), WORK (scratch folder).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${ROWS:-10000000}
runs=${RUNS:-3}
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
baci=${1:-$work/baci.csv}
codes=${2:-$work/country_codes.csv}
[ -x /usr/bin/time ] || { echo "bench-monitor-vs-duckdb: needs GNU time (apt-get install -y time)" >&2; exit 2; }

echo "building mineralpact, tools/monitorgen and tools/duckbench (cgo, DuckDB bundled; the first build takes a minute)" >&2
go build -o "$work/mineralpact" ./cmd/mineralpact
go build -o "$work/monitorgen" ./tools/monitorgen
(cd tools/duckbench && go build -o "$work/duckbench" .)
if [ ! -s "$baci" ]; then
  echo "generating $rows rows into $baci" >&2
  "$work/monitorgen" --baci-year 2023 --rows "$rows" --out "$baci" --codes "$codes"
fi
echo "file: $(wc -l <"$baci") lines, $(du -m "$baci" | cut -f1) MB; $(nproc) cores" >&2

query="SELECT count(*) AS cells, sum(v) AS value, sum(q) AS tonnes FROM (
  SELECT t, i, j, k, sum(v) AS v, sum(TRY_CAST(trim(q) AS DECIMAL(18,3))) AS q
  FROM read_csv('$baci', header = true,
    columns = {'t': 'INTEGER', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'VARCHAR', 'v': 'DECIMAL(18,3)', 'q': 'VARCHAR'})
  GROUP BY ALL)"

# measure NAME CMD...: one run, "wall_s cpu_s maxrss_mb" appended to $work/NAME.txt
measure() {
  local name=$1; shift
  /usr/bin/time -v "$@" >"$work/$name.out" 2>"$work/$name.time"
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
    /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { m = $2 / 1024 }
    END { printf "%.2f %.2f %.0f\n", w, u + s, m }' "$work/$name.time" >>"$work/$name.txt"
}
rm -f "$work/scan.txt" "$work/duckdb.txt"
for _ in $(seq "$runs"); do
  measure scan "$work/mineralpact" monitor scan --flows "$baci" --baci-codes "$codes" --as-of 2024-12-31 --format jsonl
  measure duckdb "$work/duckbench" --query "$query"
done
tail -n 1 "$work/scan.out" >&2 || true
cat "$work/duckdb.out" >&2
best() { sort -n "$1" | head -n 1; }
read -r sw sc sm <<<"$(best "$work/scan.txt")"
read -r dw dc dm <<<"$(best "$work/duckdb.txt")"
printf 'monitor scan: %s s wall, %s s CPU, %s MB peak (best of %s)\n' "$sw" "$sc" "$sm" "$runs"
printf 'duckdb:       %s s wall, %s s CPU, %s MB peak (best of %s)\n' "$dw" "$dc" "$dm" "$runs"
awk -v s="$sw" -v d="$dw" 'BEGIN { printf "ratio (DuckDB wall / scan wall): %.2f\n", d / s }'
