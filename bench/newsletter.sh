#!/usr/bin/env bash
# One newsletter campaign to SUBSCRIBERS confirmed subscribers (default 100,000), in one run on one
# machine:
#   1. a fresh site with the demo paper, the subscribers written straight into its SQLite file, and
#      an editor account;
#   2. the site (heap capped at 512 MB) delivering over SMTP to a local sink (bench/SmtpSink.java);
#   3. the article page read at RATE requests/s (open loop) for BASELINE seconds, then again while an
#      editor publishes an article and the campaign runs until the sink has every message;
#   4. messages/s, peak heap (jstat) and the article page's latency without and with the campaign.
# Everything talks to 127.0.0.1 only, each phase is bounded, and the script stops what it started.
# Usage: bench/newsletter.sh   (env: SUBSCRIBERS=100000 RATE=200 BASELINE=20 CONCURRENCY=8 MAIL_RATE=0)
set -euo pipefail
cd "$(dirname "$0")/.."
SUBSCRIBERS=${SUBSCRIBERS:-100000}
RATE=${RATE:-200}
BASELINE=${BASELINE:-20}
CONCURRENCY=${CONCURRENCY:-8}
MAIL_RATE=${MAIL_RATE:-0}
PORT=18084
SMTP_PORT=12525

for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 2; }
done
if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JSTAT="${JAVA_HOME:+$JAVA_HOME/bin/}jstat"
[ -f target/broadsheet.jar ] || ./mvnw -q -B -ntp -DskipTests package

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  cp "$work/serve.log" "${TMPDIR:-/tmp}/newsletter-bench-serve.log" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

export BROADSHEET_DATA_DIR="$work/data"
"$JAVA" -jar target/broadsheet.jar migrate >/dev/null
"$JAVA" -jar target/broadsheet.jar demo >/dev/null
echo "Writing $SUBSCRIBERS confirmed subscribers..." >&2
python3 - "$work/data/broadsheet.db" "$SUBSCRIBERS" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
n = int(sys.argv[2])
now = int(time.time() * 1000)
news = db.execute("SELECT id FROM newsletters WHERE slug = 'news'").fetchone()[0]
with db:
    db.executemany(
        "INSERT INTO subscribers (email, name, status, frequency, created_at, confirmed_at, consent_ip)"
        " VALUES (?, ?, 'confirmed', 'each', ?, ?, 'bench')",
        ((f"reader{i}@example.org", f"Reader {i}", now, now) for i in range(n)))
    db.execute("INSERT INTO subscriber_newsletters (subscriber_id, newsletter_id) SELECT id, ? FROM subscribers", (news,))
db.close()
PY
echo "bench-password-1234" | BROADSHEET_PASSWORD_STDIN=1 "$JAVA" -jar target/broadsheet.jar create-user \
  --email bench@example.org --name Bench --role editor >/dev/null

"$JAVA" -XX:TieredStopAtLevel=1 bench/SmtpSink.java $SMTP_PORT "$work/sink" &
pids+=($!)
BROADSHEET_PORT=$PORT BROADSHEET_SMTP_HOST=127.0.0.1 BROADSHEET_SMTP_PORT=$SMTP_PORT \
  BROADSHEET_SMTP_SECURITY=none BROADSHEET_MAIL_CONCURRENCY=$CONCURRENCY BROADSHEET_MAIL_RATE=$MAIL_RATE \
  BROADSHEET_BASE_URL="http://127.0.0.1:$PORT" \
  "$JAVA" -Xms512m -Xmx512m ${JVM_OPTS:-} -jar target/broadsheet.jar serve >"$work/serve.log" 2>&1 &
site=$!
pids+=($site)
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null
article=$(curl -fsS "http://127.0.0.1:$PORT/" | grep -o 'href="/[a-z-]*/[0-9]\{4\}/[^"]*"' | head -n 1 | cut -d'"' -f2)
[ -n "$article" ] || { echo "bench: no article link on the front page" >&2; exit 1; }
for _ in $(seq 1 200); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT$article"; done

"$JSTAT" -gc "$site" 250 >"$work/jstat" 2>/dev/null &
pids+=($!)
result=$("$JAVA" -XX:TieredStopAtLevel=1 bench/NewsletterCampaign.java "http://127.0.0.1:$PORT" "$article" bench@example.org \
  bench-password-1234 "$work/sink" "$SUBSCRIBERS" "$RATE" "$BASELINE")
peak=$(awk 'NR==1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $1 ~ /^[0-9.]+$/ { used = $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]; if (used > max) max = used }
  END { printf "%.0f", max / 1024 }' "$work/jstat")
echo "$result"
echo "peak_heap_used_mb=$peak (heap capped at 512 MB)"
grep -E "ERROR|Exception" "$work/serve.log" | head -n 5 >&2 || true
grep -o "Queued article .*" "$work/serve.log" >&2 || true
