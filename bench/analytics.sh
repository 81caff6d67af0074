#!/usr/bin/env bash
# Analytics bench: ingest rate through the real usage.v1 topic, and p50/p99 of typical queries over 30 days x 100
# tenants of rollups. Runs AnalyticsBench (services/analytics/src/test) inside the module's test JVM against the real
# PostgreSQL and Kafka that ./platform test starts; prints a Markdown table, writes bench/results/analytics-*.json.
#   bench/analytics.sh                                   # 200,000 events, 100 tenants, 30 days, 200 runs per query
#   bench/analytics.sh --events 500000 --iterations 500 --late-share 1   # every event anywhere in 29 days
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
events=200000 tenants=100 days=30 iterations=200 late=0.1
while [[ $# -gt 0 ]]; do
  case $1 in
    --events) events=$2; shift 2 ;;
    --tenants) tenants=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    --iterations) iterations=$2; shift 2 ;;
    --late-share) late=$2; shift 2 ;;
    *) echo "unknown option $1 (--events N --tenants N --days N --iterations N --late-share F)" >&2; exit 2 ;;
  esac
done
log=$(mktemp -t dbp-analytics-bench.XXXXXX.log)
echo "analytics bench: $events events, $tenants tenants, $days days, $iterations runs per query (log: $log)"
cd "$root"
if ! ./platform test -pl services/analytics -am -Dtest=AnalyticsBench -Dsurefire.failIfNoSpecifiedTests=false \
    -Ddbp.bench=true -Ddbp.bench.events="$events" -Ddbp.bench.tenants="$tenants" -Ddbp.bench.days="$days" \
    -Ddbp.bench.iterations="$iterations" -Ddbp.bench.late-share="$late" > "$log" 2>&1; then
  tail -50 "$log" >&2
  echo "bench failed; see $log" >&2
  exit 1
fi
sed -n '/=== analytics bench/,/^}/p' "$log"
