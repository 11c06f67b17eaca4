#!/usr/bin/env bash
# How long an edit on one node takes to reach the others' article page, search and feed, with 2
# and 3 nodes (separate JVMs) on the local PostgreSQL (127.0.0.1:5432, database test):
# src/test/java/org/broadsheet/bench/PropagationBench.java. Local only, bounded (EDITS edits per
# run, each watcher gives up after 30 s). Usage: bench/propagation.sh   (env: EDITS=60)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
echo "| cluster | page on the other nodes | edits × nodes | p50 | p99 | max |"
echo "|---|---|---|---|---|---|"
for nodes in 2 3; do
  ./mvnw -q -B -ntp -Dspotless.check.skip=true -Djacoco.skip=true -DskipFuzz=true verify \
    -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=PropagationBench \
    -Dcluster.nodes="$nodes" -Dcluster.edits="${EDITS:-60}" >/dev/null
  cat "target/bench/propagation-$nodes.txt"
done
