#!/usr/bin/env bash
# Idempotent set-up: installs the Debian packages the build, runtime and tests need (only those
# missing), then builds the application jar and the local Spark classpath (target/lib).
# Usage: scripts/setup.sh [--deps-only]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

# build: JDK 17, Maven, g++; FAISS (static lib + headers) and its BLAS/LAPACK/OpenMP runtime;
# tests: Debian's python3 with faiss and jinja2 regenerate/check fixtures.
packages=(openjdk-17-jdk-headless maven g++ libfaiss-dev libopenblas-dev liblapack-dev libgomp1
          python3 python3-faiss python3-numpy python3-jinja2)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

[ "${1:-}" = "--deps-only" ] && exit 0

cd "$root"
mvn -B -q -DskipTests package
echo "setup: built $(ls target/*-app.jar) and target/lib/ (Spark for local runs)" >&2
