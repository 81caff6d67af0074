#!/usr/bin/env bash
# Reconcile N environments (default 500, one SDK each) with the environment manager's operator against fabric8's
# Kubernetes mock API server (CRUD mode, in the test JVM: no real cluster runs on these machines), with a thread
# playing the kubelet (each SDK Deployment is marked available as soon as it exists). Prints time to Ready and heap.
#   bench/environment-manager.sh [N] [extra Maven/-D args, e.g. -Dquarkus.operator-sdk.concurrent-reconciliation-threads=8]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-500}; shift || true
log=$(mktemp)
./platform test -pl services/environment-manager -Dtest=EnvironmentBench -Dbench.environments="$n" \
  -Dsurefire.failIfNoSpecifiedTests=false "$@" > "$log" 2>&1 || { tail -50 "$log"; exit 1; }
grep '^BENCH' "$log" | grep -v '{}'
echo "args: ${*:-(defaults: 2 operator workers)}; log: $log"
