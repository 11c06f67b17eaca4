#!/usr/bin/env bash
# Lighthouse (from npm, driving Debian's Chromium) on the demo paper's front page and an article
# page, mobile preset (simulated slow 4G and a mid-range phone): RUNS runs each, the median score
# per category. Talks to 127.0.0.1 only; stops what it started.
# Usage: bench/lighthouse.sh   (env: JAR=target/broadsheet.jar RUNS=3)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-target/broadsheet.jar}
RUNS=${RUNS:-3}
PORT=18130
TOOL=${LIGHTHOUSE_DIR:-target/lighthouse-tool}
if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -f "$JAR" ] || ./mvnw -q -B -ntp -DskipTests package
[ -x "$TOOL/node_modules/.bin/lighthouse" ] || npm install --prefix "$TOOL" --silent lighthouse@12.8.2
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
BROADSHEET_DATA_DIR="$work/data" BROADSHEET_PORT=$PORT "$JAVA" -jar "$JAR" serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
article=$(curl -fsS "http://127.0.0.1:$PORT/" | grep -o 'href="/[a-z-]*/20[0-9][0-9]/[0-9][0-9]/[0-9][0-9]/[a-z0-9-]*"' | head -n 1 | cut -d'"' -f2)
export CHROME_PATH=/usr/bin/chromium
for page in "/" "$article"; do
  for run in $(seq 1 "$RUNS"); do
    "$TOOL/node_modules/.bin/lighthouse" "http://127.0.0.1:$PORT$page" --quiet --output=json \
      --output-path="$work/lh-$run.json" --form-factor=mobile \
      --chrome-flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=$work/profile-$run" \
      >/dev/null 2>&1 || true
  done
  python3 - "$page" "$work" "$RUNS" <<'PY'
import json, statistics, sys
page, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
scores = {}
for run in range(1, runs + 1):
    try:
        cats = json.load(open(f"{work}/lh-{run}.json"))["categories"]
    except (OSError, KeyError, ValueError):
        continue
    for key, cat in cats.items():
        if cat.get("score") is not None:
            scores.setdefault(key, []).append(round(cat["score"] * 100))
line = " | ".join(f"{k} {statistics.median(v):.0f}" for k, v in sorted(scores.items()))
print(f"{page}: {line} (median of {len(scores.get('performance', []))} runs)")
PY
done
