#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript and, on standalone
# workers, spark.worker.resource.gpu.discoveryScript): prints the GPUs this executor may use as
# Spark's resource JSON, e.g. {"name":"gpu","addresses":["0","1"]}, read from nvidia-smi.
# No nvidia-smi or no GPU: an empty address list, so tasks run on the CPU.
set -euo pipefail
addresses=""
if command -v nvidia-smi >/dev/null 2>&1; then
    while read -r index; do
        index=${index//[[:space:]]/}
        [[ "$index" =~ ^[0-9]+$ ]] && addresses="${addresses:+$addresses,}\"$index\""
    done < <(nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null || true)
fi
echo "{\"name\":\"gpu\",\"addresses\":[${addresses}]}"
