#!/usr/bin/env bash
# Orbital benchmark: SGP4 propagations per second per core (Orekit, and the Python sgp4 package on the same TLEs),
# and conjunction screening of a synthetic catalog (default 10,000 objects x 7 days at 5 km) with its recall against
# the brute-force reference on a subset.
#   bench/orbital.sh [objects=10000] [days=7] [km=5] [seed=42] [recallObjects=1000] [recallDays=1] [step=20] [threads=N]
# No platform needed: the engine runs in-process (services/orbital's classes). Results: text on stdout, JSON under
# bench/results/orbital-*.json. Heap: -Xmx3g (set ORBITAL_BENCH_XMX to change it); more JVM options (a JFR recording,
# say) in ORBITAL_BENCH_JAVA_OPTS.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=deploy/local/jdk.sh
source deploy/local/jdk.sh
pick_jdk
cp_file=services/orbital/target/orbital-bench.classpath
# compiles (no tests, no install); the reactor's last module is services/orbital, whose classpath is kept
./mvnw -B -q -pl services/orbital -am test-compile dependency:build-classpath -Dmdep.outputFile="$repo/$cp_file" \
  -Dmdep.includeScope=test 2>&1 | grep -v '^WARNING' || true
mkdir -p bench/results bench/target
stamp=$(date -u +%Y-%m-%dT%H-%M-%SZ)
out=bench/results/orbital-$stamp.json
"$JAVA_HOME/bin/java" ${ORBITAL_BENCH_JAVA_OPTS:-} -Xmx"${ORBITAL_BENCH_XMX:-3g}" \
  -cp "services/orbital/target/classes:services/orbital/target/test-classes:$(cat "$cp_file")" \
  io.defensebuilders.orbital.bench.ScreeningBench tleOut=bench/target/orbital-catalog.tle \
  statesOut=bench/target/orbital-orekit-states.txt out="$out" "$@" 2>&1 | grep -v -e '^WARNING' -e 'OrekitData' -e 'no IERS EOP'
# the other SGP4 implementation: the Python sgp4 package (C++ port of Vallado's reference code), from the registry
venv=bench/target/orbital-venv
if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv" && { "$venv/bin/pip" install -q sgp4 numpy 2>&1 | grep -v -e Retrying -e 'is ignored' || true; }
fi
if [[ -x $venv/bin/python ]] && "$venv/bin/python" -c 'import sgp4, numpy' 2>/dev/null; then
  "$venv/bin/python" bench/orbital_sgp4.py bench/target/orbital-catalog.tle bench/target/orbital-orekit-states.txt \
    "bench/results/orbital-python-sgp4-$stamp.json"
else
  echo "python sgp4 not installable: comparison skipped"
fi
echo "results: $out"
