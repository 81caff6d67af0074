#!/usr/bin/env bash
# Inference benchmark (issue 18): one small model in-process through ONNX Runtime, over the Open Inference Protocol's
# gRPC and REST straight to the inference service, and REST through the gateway; 1 and 16 clients.
#   bench/inference.sh [--seconds 10] [--concurrency 16]
# Starts the local platform if it is not running (./platform up). Results: a table on stdout, JSON under bench/results/.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
./platform up
# shellcheck source=bench/classpath.sh
source bench/classpath.sh
bench_classpath
# ONNX Runtime 1.29.0's Java binding crashes the JVM (SIGSEGV, no hs_err) when java.class.path is longer than about
# 4 KB, as a -cp of the bench's ~400 jars is; the services run with -jar and never meet it. So the bench starts from a
# jar whose manifest holds the class path, leaving java.class.path short.
launcher=bench/target/inference-bench.jar
{
  printf 'Manifest-Version: 1.0\nMain-Class: io.defensebuilders.bench.InferenceBench\n'
  # one Class-Path line, folded into the manifest's 72-byte lines (a continuation starts with a space)
  for entry in "$repo/bench/target/classes/" $(tr ':' ' ' < bench/target/bench.classpath); do
    printf ' file://%s' "$entry"
  done | sed 's/^/Class-Path:/' | fold -w 70 | sed '2,$s/^/ /'
  printf '\n'
} > bench/target/inference-bench.mf
"$JAVA_HOME/bin/jar" --create --file "$launcher" --manifest bench/target/inference-bench.mf
exec "$JAVA_HOME/bin/java" -Xmx1g --enable-native-access=ALL-UNNAMED -jar "$launcher" \
  --gateway http://localhost:8080 --inference http://localhost:8086 \
  --key-file "${DBP_STATE_DIR:-.platform}/keys/bootstrap-api-key" "$@"
