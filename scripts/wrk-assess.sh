#!/usr/bin/env bash
# wrk-assess.sh BIN DB PORT: POST /v1/assessments under wrk -t2 -c8 against a
# fresh store, with GET /healthz in the same run (docs/access.md, "What
# checking costs"). BIN is a mineralpact binary, DB sqlite:PATH (the file is
# removed first) or a postgres:// DSN with search_path=SCHEMA (the schema is
# dropped and made again). QUOTA=1 sends imports on one first-come quota
# (internal/api/testdata/assess.lua, MINERALPACT_WRK_QUOTA); WARM and DUR are the warm-up and measured
# seconds (15 and 15); SETTLE the seconds left for the design studio's
# warm-up after readiness (8).
set -euo pipefail
BIN=$1 DB=$2 PORT=$3
DUR=${DUR:-15} WARM=${WARM:-15} SETTLE=${SETTLE:-8}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
case $DB in
sqlite:*) rm -f "${DB#sqlite:}" "${DB#sqlite:}"-wal "${DB#sqlite:}"-shm ;;
postgres*)
	schema=$(sed -n 's/.*search_path=\([a-z_]*\).*/\1/p' <<<"$DB")
	psql -q "${DB%%\?*}?sslmode=disable" -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema;" >/dev/null 2>&1
	;;
esac
token=$("$BIN" token create --name wrk --role customs --party US --db "$DB" 2>/dev/null | grep -o 'mpt_[A-Za-z0-9_-]*' | head -1)
log=$(mktemp)
"$BIN" serve --addr "127.0.0.1:$PORT" --db "$DB" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.3; done
sleep "$SETTLE"
export MINERALPACT_TOKEN=$token MINERALPACT_WRK_QUOTA=${QUOTA:-}
wrk -t2 -c8 -d"${WARM}s" -s "internal/api/testdata/assess.lua" "http://127.0.0.1:$PORT" >/dev/null
post=$(wrk -t2 -c8 -d"${DUR}s" --latency -s "internal/api/testdata/assess.lua" "http://127.0.0.1:$PORT")
health=$(wrk -t2 -c8 -d10s --latency "http://127.0.0.1:$PORT/healthz")
printf '%s %s POST %s req/s p50 %s p99 %s non-2xx %s | healthz %s req/s p99 %s\n' "$(basename "$BIN")" "${DB%%:*}" \
	"$(awk '/Requests\/sec/{print $2}' <<<"$post")" "$(awk '/ 50%/{print $2}' <<<"$post")" "$(awk '/ 99%/{print $2}' <<<"$post")" \
	"$(awk '/Non-2xx/{print $5}' <<<"$post")" "$(awk '/Requests\/sec/{print $2}' <<<"$health")" "$(awk '/ 99%/{print $2}' <<<"$health")"
