#!/usr/bin/env bash
# Many readers on one live story, one node: opens READERS Server-Sent Events connections on
# 127.0.0.1, posts an update, and records how long until every reader has it and the heap the
# connections take: src/test/java/org/broadsheet/bench/LiveReadersBench.java. Bounded (each wait
# gives up after two minutes). Usage: bench/live-readers.sh   (env: READERS="1000 5000")
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
echo "| open live pages | all connected in | all had the update in | heap per page (both ends) |"
echo "|---|---|---|---|"
for readers in ${READERS:-1000 5000}; do
  ./mvnw -q -B -ntp -Dspotless.check.skip=true -Djacoco.skip=true -DskipFuzz=true verify \
    -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=LiveReadersBench \
    -Dlive.readers="$readers" >/dev/null
  cat "target/bench/live-readers-$readers.txt"
done
