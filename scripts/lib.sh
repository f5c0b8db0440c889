# Shared by the scripts in this folder: build the reactor once and run a main class with the
# runtime classpath of a module. Sourced, not executed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# sb_build MODULE: packages MODULE (and what it needs) when any source is newer than its jar.
sb_build() {
  local module="$1" jar stamp
  jar=$(ls "$ROOT/$module"/target/switchboard-*-SNAPSHOT.jar 2>/dev/null | grep -v -- '-tests.jar' | head -1 || true)
  stamp="$ROOT/$module/target/classpath.txt"
  if [[ -z "$jar" || ! -f "$stamp" ]] ||
    [[ -n "$(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT"/*/src/main -newer "$jar" -print -quit)" ]]; then
    echo "building $module ..." >&2
    (cd "$ROOT" && mvn -q -B -DskipTests -pl "$module" -am install >&2 &&
      mvn -q -B -pl "$module" dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
        -Dmdep.includeScope=runtime >&2)
  fi
}

# sb_run MODULE MAIN_CLASS ARGS...: runs MAIN_CLASS with MODULE's runtime classpath.
sb_run() {
  local module="$1" main="$2"
  shift 2
  sb_build "$module"
  local jar
  jar=$(ls "$ROOT/$module"/target/switchboard-*-SNAPSHOT.jar | grep -v -- '-tests.jar' | head -1)
  # On 2 cores the common pool has parallelism 1 and CompletableFuture then starts a thread per
  # async stage; a wider common pool keeps completions on pooled threads.
  exec java -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 ${SWITCHBOARD_JAVA_OPTS:-} -cp "$jar:$(cat "$ROOT/$module/target/classpath.txt")" "$main" "$@"
}
