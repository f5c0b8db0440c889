# Shared by the scripts in this folder: build the reactor once and run a main class with the
# runtime classpath of a module. Sourced, not executed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# sb_build MODULE: packages MODULE (and what it needs) when any source is newer than its jar.
# Nothing is installed into ~/.m2: the reactor resolves the sibling modules to their target/ jars.
# It says so at once, then names each module as Maven reaches it and prints a dot every 4-5 s, so a
# first build (dependencies downloaded, about 2 minutes) is never silent; Maven's own output goes
# to target/build.log, and its errors are shown when the build fails.
sb_build() {
  local module="$1" jar stamp
  jar=$(ls "$ROOT/$module"/target/switchboard-*-SNAPSHOT.jar 2>/dev/null | grep -v -- '-tests.jar' | head -1 || true)
  stamp="$ROOT/$module/target/classpath.txt"
  if [[ -z "$jar" || ! -f "$stamp" ]] ||
    [[ -n "$(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT"/*/src/main -newer "$jar" -print -quit)" ]]; then
    if [[ -z "$jar" ]]; then
      echo "building (first run downloads dependencies, about 2 minutes)…" >&2
    else
      echo "building $module (sources changed)…" >&2
    fi
    local log="$ROOT/target/build.log" started=$SECONDS status=0 pid
    mkdir -p "$ROOT/target"
    # -Djansi.noreset: Maven 3.8's console library writes ANSI resets ("[0m") even with -B and
    # output that is not a terminal.
    (cd "$ROOT" && MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" \
      mvn -B -Dstyle.color=never -DskipTests -pl "$module" -am package dependency:build-classpath \
        -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime) >"$log" 2>&1 &
    pid=$!
    sb_progress "$log" "$pid"
    wait "$pid" || status=$?
    if ((status != 0)); then
      echo "build failed (Maven's output: $log):" >&2
      grep -E '^\[ERROR\]' "$log" | head -40 >&2 || tail -40 "$log" >&2
      exit "$status"
    fi
    echo "built in $((SECONDS - started)) s" >&2
  fi
}

# sb_progress LOG PID: while PID runs, names each module Maven starts building (from LOG) and
# prints a dot when nothing was printed for 4 s (by the clock: a busy machine slows the loop).
sb_progress() {
  local log="$1" pid="$2" shown=0 mark=$SECONDS names
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    mapfile -t names < <(sed -n -E 's/^\[INFO\] Building (.+) [^ ]+ +\[([0-9]+\/[0-9]+)\]$/\1 [\2]/p' "$log")
    if ((${#names[@]} > shown)); then
      for (( ; shown < ${#names[@]}; shown++)); do printf ' %s ' "${names[shown]}" >&2; done
      mark=$SECONDS
    elif ((SECONDS - mark >= 4)); then
      printf . >&2
      mark=$SECONDS
    fi
  done
  printf '\n' >&2
}

# sb_classpath MODULE: MODULE's jar and its runtime classpath (after sb_build). Maven's
# build-classpath lists the sibling modules' test jars too (http-api depends on them in test
# scope); they are left out: their logback-test.xml, found before logback.xml, turned every
# logger to DEBUG on the console, which cost more CPU per call than the call itself.
sb_classpath() {
  local module="$1" jar
  jar=$(ls "$ROOT/$module"/target/switchboard-*-SNAPSHOT.jar | grep -v -- '-tests.jar' | head -1)
  printf '%s:%s' "$jar" \
    "$(tr ':' '\n' <"$ROOT/$module/target/classpath.txt" | grep -v -- '-tests\.jar$' | paste -sd: -)"
}

# sb_run MODULE MAIN_CLASS ARGS...: runs MAIN_CLASS with MODULE's runtime classpath.
sb_run() {
  local module="$1" main="$2"
  shift 2
  sb_build "$module"
  local cp
  cp=$(sb_classpath "$module")
  # On 2 cores the common pool has parallelism 1 and CompletableFuture then starts a thread per
  # async stage; a wider common pool keeps completions on pooled threads.
  exec java -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 ${SWITCHBOARD_JAVA_OPTS:-} -cp "$cp" "$main" "$@"
}
