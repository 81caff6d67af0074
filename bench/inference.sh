#!/usr/bin/env bash
# Inference benchmark (issue 18): one small model in-process through ONNX Runtime, over the Open Inference Protocol's
# gRPC and REST straight to the inference service, and REST through the gateway; 1 and 16 clients.
#   bench/inference.sh [--seconds 10] [--concurrency 16]
# Starts the local platform if it is not running (./platform up). Results: a table on stdout, JSON under bench/results/.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
./platform up
# shellcheck source=deploy/local/jdk.sh
source deploy/local/jdk.sh
pick_jdk
if [[ ! -f bench/target/bench.classpath || -n $(find bench/src -newer bench/target/bench.classpath -print -quit) ]]; then
  ./mvnw -B -q -pl bench -am install -DskipTests
fi
exec "$JAVA_HOME/bin/java" -Xmx1g --enable-native-access=ALL-UNNAMED -cp "bench/target/classes:$(cat bench/target/bench.classpath)" \
  io.defensebuilders.bench.InferenceBench --gateway http://localhost:8080 --inference http://localhost:8086 \
  --key-file "${DBP_STATE_DIR:-.platform}/keys/bootstrap-api-key" "$@"
