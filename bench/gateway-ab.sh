#!/usr/bin/env bash
# Two gateway builds (or one build with two sets of flags), each the bench gateway of bench/gateway.sh, side by side
# for changes too small for bench/gateway.sh's noise: both run at once against one backend and take turns at a fixed
# 2,000 req/s, so a noisy machine hits both.
# Per round and target: latency, and from /proc the CPU the active process used per call (and the Kafka broker's,
# which the usage events cost), and how long its threads waited for a CPU (run queue, /proc/<pid>/task/*/schedstat).
#   bench/gateway-ab.sh JAR_A JAR_B [rounds]        (A_FLAGS / B_FLAGS: extra JVM flags of each, e.g. -Dkey=value)
# e.g. a build from another commit against this one:
#   git worktree add /tmp/before HEAD~1 && (cd /tmp/before && ./mvnw -q -pl services/gateway -am package -DskipTests)
#   bench/gateway-ab.sh /tmp/before/services/gateway/target/quarkus-app/quarkus-run.jar \
#     services/gateway/target/quarkus-app/quarkus-run.jar
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar_a=$(realpath "$1"); jar_b=$(realpath "$2"); rounds=${3:-3}
cd "$repo"
# shellcheck source=bench/gateway-common.sh
source bench/gateway-common.sh
gateway_bench_setup

"$JAVA_HOME/bin/java" "${BACKEND_JVM[@]}" -cp "$cp" io.defensebuilders.bench.EchoBackend 18081 > "$work/backend.log" 2>&1 &
backend=$!
pids+=("$backend")
gateway_bench_gateway 18080 "$jar_a" "${A_FLAGS:-}" "$work/gateway-a.log" &
gw_a=$!
gateway_bench_gateway 18090 "$jar_b" "${B_FLAGS:-}" "$work/gateway-b.log" &
gw_b=$!
pids+=("$gw_a" "$gw_b")
for port in 18080 18090; do
  for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:$((port + 1000))/q/health/ready" && break; sleep 0.5; done
done
admin=$(cat "$state/keys/bootstrap-api-key")
new_key() {
  curl -fs -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d '{"name":"bench-ab","roles":["viewer"],"tenant":"bench-gateway"}' "http://127.0.0.1:$1/api/v1/api-keys" \
    | sed -E 's/.*"secret":"([^"]+)".*/\1/'
}
key_a=$(new_key 18080)
key_b=$(new_key 18090)
fixed_rate() { "$JAVA_HOME/bin/java" "${GENERATOR_JVM[@]}" -cp "$cp" io.defensebuilders.bench.FixedRate 2000 "$@" 2>/dev/null; }

echo "[bench] warming both gateways (JIT): 10 s at full speed each, then 50 s each at the fixed rate"
command -v wrk > /dev/null || { echo "wrk is needed (bench/gateway.sh installs it)"; exit 1; }
wrk -t2 -c64 -d10s -H "Authorization: Bearer $key_a" http://127.0.0.1:18080/api/v1/bench/items > /dev/null
wrk -t2 -c64 -d10s -H "Authorization: Bearer $key_b" http://127.0.0.1:18090/api/v1/bench/items > /dev/null
fixed_rate 50 1 /api/v1/bench/items "A=18080;Authorization: Bearer $key_a" "B=18090;Authorization: Bearer $key_b" > /dev/null

kafka=$(cat "$state/data/kafka.pid")
cpu_ticks() { local s; read -ra s < "/proc/$1/stat"; echo $(( s[13] + s[14] )); }
# summed over the process' threads: nanoseconds waited on a run queue, and times run
run_queue() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{w += $2; n += $3} END {printf "%.0f %.0f", w, n}'; }
ticks=$(getconf CLK_TCK)
echo
echo "fixed 2000 req/s, rounds of 20 s (after 3 s of warm-up), measured over the middle 16 s (32,000 calls):"
printf '%s\n' "| target                 | req/s |   sent | errors | p50 ms  | p90 ms  | p99 ms  | p99.9 ms |  max ms  | stalls | in stalls | CPU us/call | broker us/call | run-queue wait us/call | us/wait |"
for _ in $(seq 1 "$rounds"); do
  for target in "direct=18081|$backend" "A=18080;Authorization: Bearer $key_a|$gw_a" "B=18090;Authorization: Bearer $key_b|$gw_b"; do
    pid=${target#*|}
    fixed_rate 20 1 /api/v1/bench/items "${target%|*}" | grep "^| [A-Za-z]" | grep -v "^| target" > "$work/row" &
    runner=$!
    sleep 4
    c0=$(cpu_ticks "$pid"); k0=$(cpu_ticks "$kafka"); read -r w0 n0 <<< "$(run_queue "$pid")"
    sleep 16
    c1=$(cpu_ticks "$pid"); k1=$(cpu_ticks "$kafka"); read -r w1 n1 <<< "$(run_queue "$pid")"
    wait "$runner"
    printf '%s %11d | %14d | %22d | %7d |\n' "$(cat "$work/row")" $(( (c1 - c0) * 1000000 / ticks / 32000 )) \
      $(( (k1 - k0) * 1000000 / ticks / 32000 )) $(( (w1 - w0) / 1000 / 32000 )) $(( (w1 - w0) / 1000 / (n1 - n0 + 1) ))
  done
done
echo "(direct: the backend's own figures; A and B: the whole gateway process. Logs: bench/results/logs/gateway-{a,b}.log)"
