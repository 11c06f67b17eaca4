#!/usr/bin/env bash
# Article page throughput, in one run on one machine:
#   (a) Broadsheet's article page (page cache on),
#   (b) the same bytes as a static file served by nginx,
#   (c) Broadsheet's article page with the page cache disabled.
# Everything talks to 127.0.0.1 only, each wrk run is bounded (DURATION seconds), and the script stops
# what it started. Usage: bench/article-page.sh   (env: DURATION=20 CONNECTIONS=32 THREADS=2)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-20}
PORT_CACHED=18080 PORT_UNCACHED=18081 PORT_NGINX=18082

source bench/lib.sh wrk nginx curl

BROADSHEET_DATA_DIR="$work/data" BROADSHEET_PORT=$PORT_CACHED \
  "$JAVA" $JVM_OPTS -jar target/broadsheet.jar serve >"$work/cached.log" 2>&1 &
pids+=($!)
wait_ready $PORT_CACHED
BROADSHEET_DATA_DIR="$work/data" BROADSHEET_PORT=$PORT_UNCACHED BROADSHEET_PAGE_CACHE=false BROADSHEET_SEARCH_INDEX_DIR="$work/index-2" \
  "$JAVA" $JVM_OPTS -jar target/broadsheet.jar serve >"$work/uncached.log" 2>&1 &
pids+=($!)
wait_ready $PORT_UNCACHED

path=$(curl -fsS "http://127.0.0.1:$PORT_CACHED/" | grep -o 'href="/[a-z0-9-]*/[0-9]\{4\}/[0-9]\{2\}/[0-9]\{2\}/[a-z0-9-]*"' | head -n 1 | cut -d'"' -f2)
[ -n "$path" ] || { echo "bench: no article link on the front page" >&2; exit 1; }
mkdir -p "$work/www$(dirname "$path")"
curl -fsS "http://127.0.0.1:$PORT_CACHED$path" -o "$work/www$path"
bytes=$(wc -c <"$work/www$path")

static_nginx $PORT_NGINX text/html
curl -fsS "http://127.0.0.1:$PORT_NGINX$path" -o /dev/null

echo "Article $path ($bytes bytes), wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s after ${WARMUP}s warm-up, $(nproc) cores" >&2
read -r a_rps a_p99 < <(measure "(a) Broadsheet, page cache" "http://127.0.0.1:$PORT_CACHED$path")
read -r b_rps b_p99 < <(measure "(b) nginx, same bytes as a file" "http://127.0.0.1:$PORT_NGINX$path")
read -r c_rps c_p99 < <(measure "(c) Broadsheet, no page cache" "http://127.0.0.1:$PORT_UNCACHED$path")
ratio=$(awk -v a="$a_rps" -v b="$b_rps" 'BEGIN { printf "%.2f", a / b }')

cat <<RESULT

| $(date -u +%Y-%m-%d) | page bytes | requests/s | p99 |
|---|---|---|---|
| (a) Broadsheet, page cache | $bytes | $a_rps | $a_p99 |
| (b) nginx static file | $bytes | $b_rps | $b_p99 |
| (c) Broadsheet, page cache off | $bytes | $c_rps | $c_p99 |

Ratio a/b = $ratio (target ≥ 0.6). Command: bench/article-page.sh (wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, JVM_OPTS="$JVM_OPTS").
RESULT
