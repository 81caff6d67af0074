#!/usr/bin/env bash
# SDK registry benchmark: 10,000 SDKs x 10 versions, search and resolve latency and throughput.
#   bench/sdk-registry.sh [--sdks 10000] [--concurrency 16] [--seconds 20]
# Starts the local platform if it is not running (./platform up), seeds the catalog once through the gateway with
# the bootstrap API key, then measures. Results: a table on stdout and JSON under bench/results/.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
./platform up
# shellcheck source=bench/classpath.sh
source bench/classpath.sh
bench_classpath
exec "$JAVA_HOME/bin/java" -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" \
  io.defensebuilders.bench.RegistryBench --gateway http://localhost:8080 --registry http://localhost:8081 \
  --key-file "${DBP_STATE_DIR:-.platform}/keys/bootstrap-api-key" "$@"
