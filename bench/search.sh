#!/usr/bin/env bash
# Search and More Articles at scale, in one run on one machine:
#   1. generate COUNT articles (default 100,000) in 5,000 news stories into a fresh SQLite file,
#   2. build the index and every More Articles list with `broadsheet reindex` (timed),
#   3. time More Articles computation and search in process, against SQL LIKE on the same file,
#   4. search over HTTP under concurrent load (wrk, bounded by DURATION seconds).
# Everything talks to 127.0.0.1 only and the script stops what it started.
# Usage: bench/search.sh   (env: COUNT=100000 DURATION=20 CONNECTIONS="2 4 16" THREADS=2 SAMPLES=2000)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-100000}
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-"2 4 16"}
THREADS=${THREADS:-2}
SAMPLES=${SAMPLES:-2000}
PORT=18083

for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y wrk curl)" >&2; exit 2; }
done
if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -f target/broadsheet.jar ] || ./mvnw -q -B -ntp -DskipTests package

work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "Generating $COUNT articles..." >&2
"$JAVA" -cp target/broadsheet.jar bench/SearchCorpus.java "$work/data" "$COUNT"
echo "Building the index and More Articles..." >&2
start=$(date +%s.%N)
"$JAVA" -Xmx1g -jar target/broadsheet.jar reindex --data-dir "$work/data" >"$work/reindex.out" 2>"$work/reindex.err"
build=$(echo "$(date +%s.%N) - $start" | bc)
cat "$work/reindex.out" >&2
index_phase=$(grep -o 'Indexing[^\r]*' "$work/reindex.err" | tail -n 1 || true)
related_phase=$(grep -o 'More Articles[^\r]*' "$work/reindex.err" | tail -n 1 || true)

timing=$("$JAVA" -Xmx1g -cp target/broadsheet.jar bench/SearchTiming.java "$work/data" "$SAMPLES" "$work/queries.txt")
echo "$timing" >&2

BROADSHEET_DATA_DIR="$work/data" BROADSHEET_PORT=$PORT \
  "$JAVA" -Xms512m -Xmx1g -jar target/broadsheet.jar serve >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 240); do
  curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null
QUERIES="$work/queries.txt" wrk -t"$THREADS" -c4 -d10s -s bench/search.lua "http://127.0.0.1:$PORT" >/dev/null
load=""
for c in $CONNECTIONS; do
  out=$(QUERIES="$work/queries.txt" wrk -t"$THREADS" -c"$c" -d"${DURATION}s" --latency \
    -s bench/search.lua "http://127.0.0.1:$PORT")
  echo "$out" >&2
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  load="$load
| $c | $rps | $p50 | $p99 | ${errors:-0} |"
done
cat <<RESULT

$(date -u +%Y-%m-%d), $COUNT generated articles in $((COUNT / 20)) stories (bench/search.sh):

- Build (\`broadsheet reindex\`, index then every More Articles list, all cores): ${build%.*} s in all
  - ${index_phase:-?}
  - ${related_phase:-?}
$(echo "$timing" | sed 's/^/- /')

HTTP \`GET /api/search?q=\` (20 results with snippets), 400 queries rotating, wrk -t$THREADS -d${DURATION}s after a 10 s warm-up:

| connections | req/s | p50 | p99 | non-2xx |
|---|---|---|---|---|$load
RESULT
