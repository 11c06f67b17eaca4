#!/usr/bin/env bash
# One hour of steady, mixed use (bench/Soak.java): readers open articles (20/s) and the front page
# and search (2/s each), a commenter posts every 5 s with a solved human check, an editor publishes
# every minute. Every SAMPLE seconds it forces a full GC and records the heap used after it, the
# process's threads and open files and the database's size. Not part of the test suite; talks to
# 127.0.0.1 only and stops by itself. Usage: bench/soak.sh   (env: DURATION=3600 SAMPLE=300)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-3600}
SAMPLE=${SAMPLE:-300}
PORT=18095
if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JCMD="${JAVA_HOME:+$JAVA_HOME/bin/}jcmd"
[ -f target/broadsheet.jar ] || ./mvnw -q -B -ntp -DskipTests package
work=$(mktemp -d)
pid=""
load=""
cleanup() {
  [ -n "$load" ] && kill "$load" 2>/dev/null
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export BROADSHEET_DATA_DIR="$work/data" BROADSHEET_PORT=$PORT \
  BROADSHEET_COMMENTS_MIN_FILL_SECONDS=0 BROADSHEET_COMMENTS_PER_IP_PER_MINUTE=1000 \
  BROADSHEET_COMMENTS_PER_EMAIL_PER_MINUTE=1000 BROADSHEET_HUMAN_CHECK_DIFFICULTY=5000
"$JAVA" ${JVM_OPTS:--Xms512m -Xmx512m} -jar target/broadsheet.jar serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
echo "soak editor password of at least twelve" | BROADSHEET_PASSWORD_STDIN=1 \
  "$JAVA" -jar target/broadsheet.jar create-user --email soak@example.org --name "Soak Editor" --role editor >/dev/null

sample() {
  "$JCMD" "$pid" GC.run >/dev/null
  local heap threads files db
  heap=$("$JCMD" "$pid" GC.heap_info | grep -o 'used [0-9]*K' | head -n 1 | grep -o '[0-9]*')
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
  files=$(ls "/proc/$pid/fd" | wc -l)
  db=$(du -cb "$work"/data/broadsheet.db* | tail -n 1 | cut -f1)
  printf '| %5d min | %8d KB | %4d | %5d | %9d KB |\n' "$1" "$heap" "$threads" "$files" "$((db / 1024))"
}

echo "| time | heap after full GC | threads | open files | database |"
echo "|---|---|---|---|---|"
sample 0
"$JAVA" -cp target/broadsheet.jar bench/Soak.java "http://127.0.0.1:$PORT" "$DURATION" \
  soak@example.org "soak editor password of at least twelve" >"$work/load.txt" 2>&1 &
load=$!
elapsed=0
while kill -0 "$load" 2>/dev/null; do
  sleep "$SAMPLE" || true
  elapsed=$((elapsed + SAMPLE))
  kill -0 "$load" 2>/dev/null && sample $((elapsed / 60))
done
wait "$load" || true
load=""
sample $((DURATION / 60))
cat "$work/load.txt"
grep -c ' ERROR ' "$work/server.log" | sed 's/^/server log ERROR lines: /'
