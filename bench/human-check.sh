#!/usr/bin/env bash
# The human check's costs: (1) server side, JMH: issuing a challenge and verifying + spending an
# answer (SQLite); (2) reader side: solve time at the default difficulty in headless Chromium.
# Local only and bounded. Usage: bench/human-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
./mvnw -q -B -ntp -DskipTests -Dspotless.check.skip=true test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
echo "== JMH (1 fork, 2 warm-up + 4 measured iterations of 3 s)"
"$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main HumanCheckBenchmark -f 1 -wi 2 -i 4 -w 3s -r 3s 2>&1 | grep -E "^Benchmark|HumanCheckBenchmark\."
echo "== Solve time in headless Chromium (default difficulty)"
./mvnw -q -B -ntp -Dspotless.check.skip=true -Djacoco.skip=true verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=SolveTimeBench -Dbroadsheet.solveTimeRuns="${RUNS:-20}" >/dev/null
cat target/bench/solve-time.txt
