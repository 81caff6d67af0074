#!/usr/bin/env bash
# The whole fleet started from its images' own files (each image unpacked: its jlinked Java runtime, its application),
# without and with the AOT cache deploy/images-aot trained into it, side by side in each of ROUNDS (3) rounds; medians.
# Needs JDK 25 (the images' runtime is jlinked from the build's JDK), Debian's docker-registry and skopeo: it starts a
# registry on loopback with PostgreSQL, Kafka and Redis (the test run's launcher), builds and pushes every image
# (-Pimages, which trains the caches), then measures. Figures and how to read them: bench/README.md, "Start-up".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=../deploy/local/jdk.sh
source deploy/local/jdk.sh
pick_jdk
command -v docker-registry >/dev/null && command -v skopeo >/dev/null \
  || { echo "bench/image-startup.sh needs docker-registry and skopeo (apt-get install docker-registry skopeo)" >&2; exit 1; }

work=bench/target/image-startup
mkdir -p "$work"
env_file=$work/infra.env
rm -f "$env_file"
./mvnw -B -q install -DskipTests -pl deploy/local/runtime -am
cp="deploy/local/runtime/target/classes:$(cat deploy/local/runtime/target/launcher.classpath)"
"$JAVA_HOME/bin/java" -Xmx256m -cp "$cp" io.defensebuilders.local.LocalRuntime test-infra \
  --env-file "$env_file" > "$work/infra.log" 2>&1 &
infra=$!
trap 'kill $infra 2>/dev/null; wait $infra 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do [[ -f $env_file ]] && break; sleep 0.5; done
# shellcheck disable=SC1090
source "$env_file"
[[ -n ${DBP_TEST_IMAGE_REGISTRY:-} ]] || { cat "$work/infra.log" >&2; exit 1; }

./mvnw -B -q install -DskipTests -Pimages -Ddbp.image.registry="$DBP_TEST_IMAGE_REGISTRY" -Ddbp.git.sha=bench \
  -pl deploy/images,services/sdk-registry,services/billing,services/gateway,services/orbital,services/environment-manager,services/analytics,services/inference,services/ai-tools,deploy/images-aot -am
./mvnw -B -q -o dependency:build-classpath -pl deploy/images-aot -Dmdep.outputFile="$PWD/$work/classpath" >/dev/null
"$JAVA_HOME/bin/java" -Xmx256m -cp "deploy/images-aot/target/classes:$(cat "$work/classpath")" \
  io.defensebuilders.images.aot.ImageStartupBench --registry="$DBP_TEST_IMAGE_REGISTRY" --tag=bench \
  --rounds="${ROUNDS:-3}" --work="$work"
