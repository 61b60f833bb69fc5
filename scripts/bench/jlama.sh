#!/usr/bin/env bash
# Runs EngineBench's Jlama baseline in its own JVM (Jlama needs Java 21+; the project builds on 17).
# Usage: scripts/bench/jlama.sh MODEL_DIR PROMPT_FILE LENGTHS DECODE_TOKENS REPS THREADS
# Env JLAMA_JAVA_HOME: a JDK >= 21 (default: the Temurin 25 this machine image ships).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jdk=${JLAMA_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ -x "$jdk/bin/javac" ] || { echo "jlama.sh: no JDK at $jdk (set JLAMA_JAVA_HOME to a JDK >= 21)" >&2; exit 2; }
out="$root/target/bench/jlama"
mkdir -p "$out/classes"
if [ ! -s "$out/classpath" ] || [ "$here/jlama/pom.xml" -nt "$out/classpath" ]; then
    mvn -B -q -f "$here/jlama/pom.xml" dependency:build-classpath -Dmdep.outputFile="$out/classpath" >&2
fi
src="$here/jlama/src/org/memorag/bench/jlama/JlamaRunner.java"
cls="$out/classes/org/memorag/bench/jlama/JlamaRunner.class"
if [ ! -f "$cls" ] || [ "$src" -nt "$cls" ]; then
    "$jdk/bin/javac" -nowarn --release 21 --add-modules jdk.incubator.vector -cp "$(cat "$out/classpath")" \
        -d "$out/classes" "$src" 2>&1 | grep -v 'incubator' >&2 || true
    [ -f "$cls" ] || { echo "jlama.sh: javac failed for $src" >&2; exit 1; }
fi
mkdir -p "$root/target/tmp"
exec "$jdk/bin/java" --add-modules jdk.incubator.vector --enable-preview -Xmx8g \
    -Djava.io.tmpdir="$root/target/tmp" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$out/classes:$(cat "$out/classpath")" org.memorag.bench.jlama.JlamaRunner "$@"
