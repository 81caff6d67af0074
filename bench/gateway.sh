#!/usr/bin/env bash
# Gateway benchmark: one backend, called directly, through the gateway (API key auth, Redis rate limits, internal
# JWT, access log, usage event), and through nginx as a plain reverse proxy. Latency at a fixed 2,000 req/s (open
# loop) and maximum throughput (wrk). Goal: the gateway adds at most 2 ms at p99, and reaches at least half of nginx.
#   bench/gateway.sh [--rate 2000] [--seconds 20] [--settle 60] [--turn-ms 0]
#     (settle: seconds at the fixed rate before measuring; turn-ms: the targets take turns of that length, 0: one after
#     the other)
#   BENCH_LATENCIES=DIR bench/gateway.sh   also writes every measured call's due time and latency to DIR
# Needs root for apt-get (nginx, wrk) unless both are installed.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=bench/gateway-common.sh
source bench/gateway-common.sh

for tool in nginx wrk; do
  if ! command -v "$tool" >/dev/null && ! [[ -x /usr/sbin/$tool ]]; then
    echo "[bench] installing $tool (Debian package)"
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    apt-get install -y -q --no-install-recommends "$tool" >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "$tool" >/dev/null; }
    rm -f /usr/sbin/policy-rc.d
  fi
done

gateway_bench_setup

echo "[bench] backend on 18081"
"$JAVA_HOME/bin/java" "${BACKEND_JVM[@]}" -cp "$cp" io.defensebuilders.bench.EchoBackend 18081 > "$work/backend.log" 2>&1 &
pids+=($!)

echo "[bench] a bare Vert.x reverse proxy on 18083 (the gateway's proxy engine with nothing else, for reference)"
"$JAVA_HOME/bin/java" -Xmx256m -cp "$cp" io.defensebuilders.bench.BareProxy 18083 18081 > "$work/bare-proxy.log" 2>&1 &
pids+=($!)

echo "[bench] a second gateway on 18080, with a route to the backend and an unlimited 'bench' plan"
gateway_bench_gateway 18080 services/gateway/target/quarkus-app/quarkus-run.jar "" "$work/gateway.log" &
pids+=($!)

echo "[bench] nginx on 18082"
cat > "$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log $work/nginx-access.log combined buffer=64k flush=1s;
  upstream backend { server 127.0.0.1:18081; keepalive 128; }
  server {
    listen 127.0.0.1:18082;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$remote_addr;
    }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work"

for _ in $(seq 1 120); do
  curl -fs -o /dev/null http://127.0.0.1:19080/q/health/ready && curl -fs -o /dev/null http://127.0.0.1:18081/x && break
  sleep 0.5
done

"$JAVA_HOME/bin/java" "${GENERATOR_JVM[@]}" ${BENCH_LATENCIES:+-Dbench.latencies="$BENCH_LATENCIES"} -cp "$cp" io.defensebuilders.bench.GatewayBench --backend 18081 --gateway 18080 \
  --nginx 18082 --bare 18083 --key-file "$state/keys/bootstrap-api-key" "$@"
