#!/usr/bin/env bash
# The embedded default end to end, on CPU: three real long Wikipedia articles (LooGLE, MIT;
# src/demo/) memorized by the Spark memorize job, then their 43 questions answered by the answer
# job — real BGE-small embedder, FAISS, the extractive generator, memory mode none (standard RAG
# over each document's chunks). Prints a few answers next to the gold ones and where the Parquet went.
# Usage: scripts/demo.sh [OUTPUT_DIR]   (default: demo-out/ in the repository)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$root/demo-out}" && cd "${1:-$root/demo-out}" && pwd)
"$root/scripts/setup.sh" >&2
rm -rf "$out/store" "$out/answers"
echo "== memorize: $root/src/demo/loogle/docs.jsonl -> $out/store" >&2
"$root/jobs/memorize.sh" --corpus "$root/src/demo/loogle/docs.jsonl" --store "file://$out/store" \
    --master "local[2]"
echo "== answer: $root/src/demo/loogle/questions.jsonl -> $out/answers" >&2
"$root/jobs/answer.sh" --questions "$root/src/demo/loogle/questions.jsonl" \
    --store "file://$out/store" --out "file://$out/answers" --task rag --master "local[2]"
"$root/scripts/memorag" answers --in "file://$out/answers" --limit 4
echo
echo "manifest: $out/store/manifest   answers: $out/answers   (Parquet; run summary: _run_summary.json)"
