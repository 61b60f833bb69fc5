#!/usr/bin/env bash
# Runs one benchmark main from src/test/java/org/memorag/bench (not part of the test suite).
# Usage: scripts/bench.sh <Name> [args...]     e.g. scripts/bench.sh FaissBench
#        scripts/bench.sh --list
# Each bench prints one table: machine, commit, our figure, the baseline measured in the same run, ratio.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ "${1:-}" = "--list" ] || [ $# -eq 0 ]; then
    ls src/test/java/org/memorag/bench/ | sed -n 's/\.java$//p'
    exit 0
fi
name=$1; shift
[ -f "src/test/java/org/memorag/bench/$name.java" ] || { echo "bench.sh: no bench '$name' (see --list)" >&2; exit 2; }
"$root/scripts/setup.sh" --deps-only
mvn -B -q -DskipTests test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
mkdir -p target/tmp target/djl-cache
export DJL_CACHE_DIR="$root/target/djl-cache"
# OpenMP wait policy: libgomp's default (spin briefly, then sleep) unless the caller sets one; the
# same for ours and PyTorch eager. PASSIVE (sleep at once) made decode 1.7x slower on a quiet
# machine (42 vs 25 ms per token, 100M model, 2 threads); ACTIVE (spin forever) made prefill and
# decode 10-20x slower when other processes wanted the cores. Use PASSIVE on a shared machine.
exec java @scripts/jvm.args -Djava.io.tmpdir="$root/target/tmp" -Xmx12g ${BENCH_JAVA_OPTS:-} \
    -Dmemorag.project.dir="$root" -Dmemorag.build.dir="$root/target" \
    -cp "target/test-classes:target/classes:$(cat target/test.classpath)" "org.memorag.bench.$name" "$@"
