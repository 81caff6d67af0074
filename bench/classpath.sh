# What every Java bench script needs first; sourced from the repository root.
# shellcheck shell=bash

# shellcheck source=deploy/local/jdk.sh
source deploy/local/jdk.sh

# The JDK (JAVA_HOME) and the bench module built when its sources are newer than its class path; sets $cp, the class
# path of bench/target/classes and every dependency.
bench_classpath() {
  pick_jdk
  if [[ ! -f bench/target/bench.classpath || -n $(find bench/src -newer bench/target/bench.classpath -print -quit) ]]; then
    ./mvnw -B -q -pl bench -am install -DskipTests
  fi
  cp="bench/target/classes:$(cat bench/target/bench.classpath)"
}
