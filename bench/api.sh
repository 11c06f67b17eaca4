#!/usr/bin/env bash
# Content API throughput, in one run on one machine:
#   (a) one story as JSON (/api/v1/articles/{id}), from the page cache,
#   (b) the same bytes as a static file served by nginx,
#   (c) the newest 20 stories (/api/v1/articles?limit=20), from the page cache,
#   (d) one story as JSON with the page cache off (every request renders it).
# Everything talks to 127.0.0.1 only, each wrk run is bounded (DURATION seconds), and the script
# stops what it started. Usage: bench/api.sh   (env: DURATION=20 CONNECTIONS=32 THREADS=2)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-15}
PORT_CACHED=18090 PORT_UNCACHED=18091 PORT_NGINX=18092

source bench/lib.sh wrk nginx curl

# The rate limit counts only requests that reach the application; the uncached run needs room.
BROADSHEET_DATA_DIR="$work/data" BROADSHEET_PORT=$PORT_CACHED BROADSHEET_API_RATE=1000000 \
  "$JAVA" $JVM_OPTS -jar target/broadsheet.jar serve >"$work/cached.log" 2>&1 &
pids+=($!)
wait_ready $PORT_CACHED
BROADSHEET_DATA_DIR="$work/data" BROADSHEET_PORT=$PORT_UNCACHED BROADSHEET_PAGE_CACHE=false \
  BROADSHEET_SEARCH_INDEX_DIR="$work/index-2" BROADSHEET_API_RATE=1000000 \
  "$JAVA" $JVM_OPTS -jar target/broadsheet.jar serve >"$work/uncached.log" 2>&1 &
pids+=($!)
wait_ready $PORT_UNCACHED

id=$(curl -fsS "http://127.0.0.1:$PORT_CACHED/api/v1/articles?limit=1&fields=id" | grep -o '"id":[0-9]*' | head -n 1 | cut -d: -f2)
[ -n "$id" ] || { echo "bench: no story in the Content API" >&2; exit 1; }
single="/api/v1/articles/$id"
list="/api/v1/articles?limit=20"
mkdir -p "$work/www/api/v1/articles"
curl -fsS "http://127.0.0.1:$PORT_CACHED$single" -o "$work/www$single"
bytes=$(wc -c <"$work/www$single")
list_bytes=$(curl -fsS "http://127.0.0.1:$PORT_CACHED$list" | wc -c)

static_nginx $PORT_NGINX application/json
curl -fsS "http://127.0.0.1:$PORT_NGINX$single" -o /dev/null

echo "Story $single ($bytes bytes), list ($list_bytes bytes); wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s after ${WARMUP}s warm-up, $(nproc) cores" >&2
read -r a_rps a_p99 < <(measure "(a) Broadsheet, one story, cached" "http://127.0.0.1:$PORT_CACHED$single")
read -r b_rps b_p99 < <(measure "(b) nginx, same bytes as a file" "http://127.0.0.1:$PORT_NGINX$single")
read -r c_rps c_p99 < <(measure "(c) Broadsheet, newest 20, cached" "http://127.0.0.1:$PORT_CACHED$list")
read -r d_rps d_p99 < <(measure "(d) Broadsheet, one story, cache off" "http://127.0.0.1:$PORT_UNCACHED$single")
ratio=$(awk -v a="$a_rps" -v b="$b_rps" 'BEGIN { printf "%.2f", a / b }')

cat <<RESULT

| $(date -u +%Y-%m-%d) | bytes | requests/s | p99 |
|---|---|---|---|
| (a) Broadsheet, one story (\`$single\`), page cache | $bytes | $a_rps | $a_p99 |
| (b) nginx, the same bytes as a static file | $bytes | $b_rps | $b_p99 |
| (c) Broadsheet, newest 20 (\`$list\`), page cache | $list_bytes | $c_rps | $c_p99 |
| (d) Broadsheet, one story, page cache off | $bytes | $d_rps | $d_p99 |

Ratio a/b = $ratio (target ≥ 0.6). Command: bench/api.sh (wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, JVM_OPTS="$JVM_OPTS").
RESULT
