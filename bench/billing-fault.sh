#!/usr/bin/env bash
# Billing's exactly-once fault test: 1,000,000 usage.v1 events with 1% exact duplicates, billing SIGKILLed when half
# of them are consumed and started again; every invoice preview must equal the independently computed total to the
# cent (exit 1 otherwise).
#   bench/billing-fault.sh [--events 1000000] [--dup-rate 0.01] [--kill-at 0.5] [--billing-port 18083]
# Uses the running platform's PostgreSQL, Kafka and gateway (./platform up starts them if they are not running) and
# runs its own billing process from services/billing/target/quarkus-app/quarkus-run.jar, on its own topic and consumer
# group, so that it can be killed without touching the platform's billing. See bench/README.md ("Billing").
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
mode=${BILLING_BENCH_MODE:-fault}
# the infrastructure and the gateway must run (the platform's own billing and orbital need not)
status=$(./platform status 2>/dev/null || true)
if ! awk '$1 ~ /^(postgres|kafka|gateway)$/ && $2 == "running" { n++ } END { exit n != 3 }' <<<"$status"; then
  ./platform up
fi
[[ -f services/billing/target/quarkus-app/quarkus-run.jar ]] || ./mvnw -B -q -pl services/billing -am install -DskipTests
# shellcheck source=bench/classpath.sh
source bench/classpath.sh
bench_classpath
# the platform's ports, as ./platform up chose them (DBP_PG_PORT, DBP_KAFKA_PORT, DBP_REDIS_PORT)
exec "$JAVA_HOME/bin/java" -Xmx1g -cp "$cp" \
  io.defensebuilders.bench.BillingFault --mode "$mode" --repo "$repo" --gateway http://localhost:8080 \
  --pg-port "${DBP_PG_PORT:-5432}" --kafka "127.0.0.1:${DBP_KAFKA_PORT:-9092}" --redis-port "${DBP_REDIS_PORT:-6379}" \
  --key-file "${DBP_STATE_DIR:-.platform}/keys/bootstrap-api-key" --state "${DBP_STATE_DIR:-.platform}" "$@"
