# Picks a JDK 21 or newer and exports JAVA_HOME; sourced by ./platform and the bench scripts.
# The build targets Java 21 (maven.compiler.release), so an older default java cannot build or run it.

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1; }

pick_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/current; do
    [[ -n $candidate && -x $candidate/bin/java && -x $candidate/bin/javac ]] || continue
    if (( $(java_major "$candidate" || echo 0) >= 21 )); then
      export JAVA_HOME=$candidate
      return 0
    fi
  done
  printf '[platform] error: %s\n' "no JDK 21 or newer found (looked at JAVA_HOME and /usr/lib/jvm). Install one (e.g. Temurin 21) and set JAVA_HOME." >&2
  exit 1
}

