#!/usr/bin/env bash
# Sustained comment POSTs through the whole pipeline on SQLite: validation, rate limits, the human
# check (each request carries its own solved challenge, verified and spent in the database),
# duplicate detection, the scored checks, one transaction with the change feed, page-cache eviction.
# Talks to 127.0.0.1 only; bounded by DURATION. Usage: bench/comment-post.sh (env: DURATION=20 CONNECTIONS=32)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
ANSWER_COUNT=${ANSWER_COUNT:-50000}
WARMUP=${WARMUP:-10}
WARMUP_ANSWERS=${WARMUP_ANSWERS:-20000}
PORT=18090
if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -f target/broadsheet.jar ] || ./mvnw -q -B -ntp -DskipTests package
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# Difficulty does not change the server's cost of verifying (one hash and one HMAC); it is lowered
# here only so the load generator can pre-solve tens of thousands of challenges quickly.
BROADSHEET_DATA_DIR="$work/data" BROADSHEET_PORT=$PORT BROADSHEET_COMMENTS_POLICY=none \
BROADSHEET_COMMENTS_MIN_FILL_SECONDS=0 BROADSHEET_COMMENTS_PER_IP_PER_MINUTE=100000 \
BROADSHEET_HUMAN_CHECK_DIFFICULTY=1000 BROADSHEET_HUMAN_CHECK_EXPIRY=3600 \
  "$JAVA" ${JVM_OPTS:--Xms512m -Xmx512m} -jar target/broadsheet.jar serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
path=$(curl -fsS "http://127.0.0.1:$PORT/" | grep -o 'href="/[a-z0-9-]*/[0-9]\{4\}/[0-9]\{2\}/[0-9]\{2\}/[a-z0-9-]*"' | head -n 1 | cut -d'"' -f2)
article=$(curl -fsS "http://127.0.0.1:$PORT$path" | grep -o 'data-article-id="[0-9]*"' | head -n 1 | grep -o '[0-9]*')
"$JAVA" -cp target/broadsheet.jar bench/PreSolve.java "http://127.0.0.1:$PORT" "$article" "$ANSWER_COUNT" "$work/answers.txt" >&2
# Warm-up (JIT) on the first part of the answers; the measured run starts at WARMUP_ANSWERS.
ANSWERS="$work/answers.txt" THREADS=$THREADS OFFSET=0 wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" \
  -s bench/comment-post.lua "http://127.0.0.1:$PORT/api/articles/$article/comments" >/dev/null
before=$(curl -fsS "http://127.0.0.1:$PORT/api/articles/$article/comments" | { grep -o '"id":' || true; } | wc -l)
out=$(ANSWERS="$work/answers.txt" THREADS=$THREADS OFFSET=$WARMUP_ANSWERS wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency \
  -s bench/comment-post.lua "http://127.0.0.1:$PORT/api/articles/$article/comments")
echo "$out" >&2
after=$(curl -fsS "http://127.0.0.1:$PORT/api/articles/$article/comments" | { grep -o '"id":' || true; } | wc -l)
rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
p99=$(echo "$out" | awk '$1=="99%" {print $2}')
errors=$(echo "$out" | awk '/Non-2xx/ {print $4}')
cat <<RESULT

| $(date -u +%Y-%m-%d) | comments/s | p99 | non-2xx | comments stored during the run |
|---|---|---|---|---|
| comment POST, SQLite, full pipeline | $rps | $p99 | ${errors:-0} | $((after - before)) |

Command: bench/comment-post.sh (wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s after a ${WARMUP}s warm-up, $ANSWER_COUNT pre-solved challenges; target ≥ 500/s, p99 ≤ 50 ms).
RESULT
