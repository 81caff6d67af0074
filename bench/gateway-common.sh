# What bench/gateway.sh and bench/gateway-ab.sh share; sourced from the repository root.
# shellcheck shell=bash

# shellcheck source=bench/classpath.sh
source bench/classpath.sh

# JVM settings of the load generator and the echo backend: young generations larger than what one measured run
# allocates, so that (with the collection FixedRate runs before each run) neither pauses inside one; their pauses would
# land on every target's calls and are not what is measured.
GENERATOR_JVM=(-Xmx2g -Xmn1g)
BACKEND_JVM=(-Xmx1g -Xmn768m)

# The JDK, the platform (PostgreSQL, Redis, Kafka), the bench classpath ($cp) and a work directory ($work); the
# platform's own services paused for the run and everything started in $pids stopped on exit.
gateway_bench_setup() {
  ./platform up > /dev/null
  state=${DBP_STATE_DIR:-.platform}
  bench_classpath
  work=$(mktemp -d)
  pids=()
  paused=()
  # The platform's services run elsewhere in a cluster; here they share two cores with the benchmark. Billing and
  # analytics consume every usage event the bench gateway emits (thousands per second), and the others wake up for
  # their timers and polls: work the figures would pay for. All are paused (SIGSTOP) for the run and resumed
  # afterwards (billing and analytics then catch up on the backlog); the bench gateway needs only PostgreSQL, Redis
  # and Kafka.
  local svc
  for svc in billing analytics gateway sdk-registry orbital environment-manager; do
    if [[ -f $state/run/$svc.pid ]] && kill -0 "$(cat "$state/run/$svc.pid")" 2>/dev/null; then
      echo "[bench] pausing the platform's $svc for the run"
      kill -STOP "$(cat "$state/run/$svc.pid")" && paused+=("$(cat "$state/run/$svc.pid")")
    fi
  done
  trap gateway_bench_cleanup EXIT
}

gateway_bench_cleanup() {
  for p in "${paused[@]}"; do kill -CONT "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f $work/nginx.pid ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  mkdir -p bench/results/logs && cp "$work"/*.log bench/results/logs/ 2>/dev/null || true
  rm -rf "$work"
}

# The bench gateway (run it in the background): the built jar with a route to the backend on 18081 and an unlimited
# 'bench' plan; billing lookups off (billing is paused: the tenant's plan comes from its row, refreshed behind the
# calls). Health and metrics on PORT + 1000.   gateway_bench_gateway PORT JAR "EXTRA JVM FLAGS" LOG
gateway_bench_gateway() {
  # shellcheck disable=SC2086
  exec "$JAVA_HOME/bin/java" -Xms512m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=10 -Xlog:gc:file="${4%.log}-gc.log" \
    -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -Dquarkus.http.port="$1" -Dquarkus.management.port=$(( $1 + 1000 )) \
    -Dquarkus.log.console.json.enabled=false -Dquarkus.otel.sdk.disabled=true \
    -Ddbp.gateway.bootstrap.enabled=false -Ddbp.gateway.billing.enabled=false \
    -Ddbp.gateway.routes.bench.prefixes=/api/v1/bench -Ddbp.gateway.routes.bench.url=http://127.0.0.1:18081 \
    -Ddbp.gateway.plans.bench.tenant.per-minute=1000000000 -Ddbp.gateway.plans.bench.tenant.burst=100000000 \
    -Ddbp.gateway.plans.bench.principal.per-minute=1000000000 -Ddbp.gateway.plans.bench.principal.burst=100000000 \
    -Ddbp.gateway.signing.key-encryption-key="$(cat "$state/keys/gateway-signing-kek")" $3 \
    -jar "$2" > "$4" 2>&1
}
