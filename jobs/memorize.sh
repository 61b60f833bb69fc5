#!/usr/bin/env bash
# Memorize a corpus (Parquet, JSON Lines, or a folder of .txt files) into an artifact store and
# write the manifest as Parquet. Uses spark-submit when on PATH, else local mode from the jar.
set -euo pipefail
usage="usage: jobs/memorize.sh --corpus PATH --store URI [--out MANIFEST_DIR] [--conf FILE]
                         [--master URL] [--partitions N]
  --corpus      corpus table: .parquet, .jsonl, or a folder (doc_id = .txt file name)
  --store       artifact store: file:///..., s3a://bucket/prefix, hdfs://...
  --out         manifest folder (default STORE/manifest)
  --conf        properties file: spark.* settings and pipeline keys (spark.memorag.<key>)
  --master      Spark master (spark-submit's default, or local[*] without Spark installed)
  --partitions  tasks to spread the documents over (default: Spark's default parallelism)"
master=""; conf=""; args=()
while [ $# -gt 0 ]; do
    case "$1" in
        -h|--help) echo "$usage"; exit 0 ;;
        --master) master=${2:?--master needs a value}; shift 2 ;;
        --conf) conf=${2:?--conf needs a file}; shift 2 ;;
        --corpus|--store|--out|--partitions) args+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
        *) echo "memorize.sh: unknown argument '$1'" >&2; echo "$usage" >&2; exit 2 ;;
    esac
done
[[ " ${args[*]:-} " == *" --corpus "* && " ${args[*]} " == *" --store "* ]] \
    || { echo "memorize.sh: --corpus and --store are required" >&2; echo "$usage" >&2; exit 2; }
source "$(dirname "$0")/_launch.sh"
launch org.memorag.spark.MemorizeJob "$master" "$conf" "${args[@]}"
