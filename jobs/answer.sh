#!/usr/bin/env bash
# Answer a question file (Parquet or JSON Lines) against documents memorized in a store; writes
# answers as Parquet, one row per question. spark-submit when on PATH, else local mode.
set -euo pipefail
usage="usage: jobs/answer.sh --questions PATH --store URI --out DIR [--task memorag|qa|summarize|rag]
                       [--manifest DIR] [--conf FILE] [--master URL] [--partitions N]
  --questions   question table: .parquet or .jsonl (question_id, doc_id, question, [task_type])
  --store       artifact store the documents were memorized into
  --out         answers folder (Parquet + _run_summary.json)
  --task        task for rows without task_type (default memorag)
  --manifest    MemorizeJob's manifest (default STORE/manifest)
  --conf        properties file: spark.* settings and pipeline keys (spark.memorag.<key>)
  --master      Spark master (spark-submit's default, or local[*] without Spark installed)"
master=""; conf=""; args=()
while [ $# -gt 0 ]; do
    case "$1" in
        -h|--help) echo "$usage"; exit 0 ;;
        --master) master=${2:?--master needs a value}; shift 2 ;;
        --conf) conf=${2:?--conf needs a file}; shift 2 ;;
        --questions|--store|--out|--task|--manifest|--partitions)
            args+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
        *) echo "answer.sh: unknown argument '$1'" >&2; echo "$usage" >&2; exit 2 ;;
    esac
done
for f in --questions --store --out; do
    [[ " ${args[*]:-} " == *" $f "* ]] || { echo "answer.sh: $f is required" >&2; echo "$usage" >&2; exit 2; }
done
source "$(dirname "$0")/_launch.sh"
launch org.memorag.spark.AnswerJob "$master" "$conf" "${args[@]}"
