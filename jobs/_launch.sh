#!/usr/bin/env bash
# Shared by jobs/*.sh: runs a job class with spark-submit when it is on PATH, otherwise in local
# mode from the shaded jar + target/lib (Spark's jars). Usage (from a launcher):
#   launch CLASS MASTER CONF_FILE JOB_ARGS...      (MASTER and CONF_FILE may be "")
launch() {
    local class=$1 master=$2 conf=$3; shift 3
    local root; root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    local jar; jar=$(ls "$root"/target/*-app.jar 2>/dev/null | head -n 1 || true)
    [ -n "$jar" ] || { echo "no target/*-app.jar: run scripts/setup.sh first" >&2; exit 1; }
    if command -v spark-submit >/dev/null 2>&1; then
        # spark-submit reads FILE (spark.* and spark.memorag.<key> lines) into the SparkConf,
        # which also reaches a driver in cluster deploy mode
        local submit=(--class "$class")
        [ -n "$master" ] && submit+=(--master "$master")
        [ -n "$conf" ] && submit+=(--properties-file "$conf")
        exec spark-submit "${submit[@]}" "$jar" "$@"
    fi
    local confs=()
    [ -f "$root/conf/memorag.properties" ] && confs+=(--conf "$root/conf/memorag.properties")
    confs+=(--conf "$root/conf/spark-local.conf")
    [ -n "$conf" ] && confs+=(--conf "$conf")
    mkdir -p "$root/target/tmp"
    export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} DJL_CACHE_DIR=${DJL_CACHE_DIR:-$root/target/djl-cache}
    exec java @"$root/scripts/jvm.args" -Djava.io.tmpdir="$root/target/tmp" \
        -Dspark.master="${master:-local[*]}" -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
        ${MEMORAG_JAVA_OPTS:-} -cp "$jar:$root/target/lib/*" "$class" "${confs[@]}" "$@"
}
