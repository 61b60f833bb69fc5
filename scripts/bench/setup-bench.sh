#!/usr/bin/env bash
# Installs what EngineBench's baselines need (never called by the test suite): Debian's PyTorch
# for the system python3, with OpenBLAS (pthread) as the system BLAS. Idempotent: does nothing
# when /usr/bin/python3 already imports torch and numpy.
set -euo pipefail
if /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
    exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends python3-torch python3-numpy libopenblas0-pthread \
    || { $sudo apt-get -o DPkg::Lock::Timeout=600 update -q && $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \
            python3-torch python3-numpy libopenblas0-pthread; }
# Debian's reference BLAS is ~15x slower: make OpenBLAS the libblas.so.3 everything links against.
ob=/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3
if [ -e "$ob" ]; then
    $sudo update-alternatives --set libblas.so.3-x86_64-linux-gnu "$ob" >/dev/null
fi
/usr/bin/python3 -c 'import torch, numpy' \
    || { echo "setup-bench.sh: /usr/bin/python3 still cannot import torch" >&2; exit 1; }
