#!/usr/bin/env bash
# Fuzzes every target (Markdown, comment text, paths and headers, search queries, the human check's
# answer, WordPress exports, site archives) through one entry for as long as asked, starting from
# the saved inputs in src/test/resources/org/broadsheet/fuzz/AllTargetsFuzzTestInputs/everyTarget,
# and saves the new inputs that reach new code there (commit the useful ones). A finding stops the
# run and is written as crash-* into that folder, where the normal build replays it from then on.
# Usage: bench/fuzz.sh [seconds]   (default 600; talks to nothing, uses a temp SQLite database)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-600}
if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
./mvnw -q -B -ntp test-compile -Dspotless.check.skip=true
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
./mvnw -q -B -ntp dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
corpus=src/test/resources/org/broadsheet/fuzz/AllTargetsFuzzTestInputs/everyTarget
"$JAVA" -XX:+EnableDynamicAgentLoading \
  -cp "target/test-classes:target/classes:$(cat "$cp_file")" \
  com.code_intelligence.jazzer.Jazzer \
  --target_class=org.broadsheet.fuzz.AllTargetsFuzzTest \
  --instrumentation_includes='org.broadsheet.**' \
  --custom_hook_includes='org.broadsheet.**' \
  -max_total_time="$SECONDS_TO_RUN" \
  -artifact_prefix="$corpus/" \
  "$corpus"
