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

for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y wrk nginx curl)" >&2; exit 2; }
done
if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -f target/broadsheet.jar ] || ./mvnw -q -B -ntp -DskipTests package

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_ready() {
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$1/readyz" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "bench: server on port $1 did not become ready" >&2
  exit 1
}

JVM_OPTS=${JVM_OPTS:-"-Xms512m -Xmx512m"}
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

cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  open_file_cache max=100;
  default_type text/html;
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp;
  fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp;
  scgi_temp_path $work/nginx-tmp;
  server {
    listen 127.0.0.1:$PORT_NGINX;
    root $work/www;
    location / { try_files \$uri =404; }
  }
}
CONF
mkdir -p "$work/nginx-tmp"
chmod 755 "$work"; chmod -R a+rX "$work/www"   # nginx workers run as an unprivileged user
nginx -c "$work/nginx.conf" -p "$work" 2>/dev/null
sleep 0.5
curl -fsS "http://127.0.0.1:$PORT_NGINX$path" -o /dev/null

measure() { # name url -> "rps p99"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$2" >/dev/null
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$2")
  local rps p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  local errors
  errors=$(echo "$out" | grep -E "Non-2xx|Socket errors" || true)
  printf '%-34s %12s req/s   p99 %8s   %s\n' "$1" "$rps" "$p99" "$errors" >&2
  echo "$rps $p99"
}

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
