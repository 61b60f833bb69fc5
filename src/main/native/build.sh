#!/usr/bin/env bash
# Compiles the two JNI libraries of the jar:
#   faiss/*.cpp   -> libfaissjni.so        (links Debian's static libfaiss.a, so executors need only
#                                           BLAS/LAPACK/OpenMP at run time)
#   kernels/*.cpp -> libmemoragkernels.so  (the engine's CPU kernels: fused attention; OpenMP only)
# Usage: build.sh OUTPUT_DIR OBJ_DIR   (called by the Maven build in process-classes)
set -euo pipefail
out_dir=$1
obj_dir=$2
here=$(cd "$(dirname "$0")" && pwd)
faiss_a=${FAISS_STATIC_LIB:-/usr/lib/x86_64-linux-gnu/libfaiss.a}
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
mkdir -p "$out_dir" "$obj_dir"
jni_includes=(-I"$java_home/include" -I"$java_home/include/linux")

# stale LIB FILES...: true when the library is missing or older than a source or this script
stale() {
    local lib=$1; shift
    [ -f "$lib" ] || return 0
    local s
    for s in "$@" "$0"; do [ "$s" -nt "$lib" ] && return 0; done
    return 1
}

shopt -s nullglob
faiss_sources=("$here"/faiss/*.cpp)
lib="$out_dir/libfaissjni.so"
if stale "$lib" "${faiss_sources[@]}"; then
    if [ ! -f "$faiss_a" ]; then
        echo "build.sh: $faiss_a not found. Install FAISS with scripts/setup.sh" \
             "(Debian package libfaiss-dev) or set FAISS_STATIC_LIB." >&2
        exit 1
    fi
    g++ -O2 -std=c++17 -shared -fPIC -fvisibility=hidden "${jni_includes[@]}" \
        "${faiss_sources[@]}" "$faiss_a" -lblas -llapack -fopenmp \
        -Wl,--no-undefined -o "$obj_dir/libfaissjni.so"
    mv "$obj_dir/libfaissjni.so" "$lib"
    echo "build.sh: built $lib" >&2
fi

# No -march: the AVX-512 kernel is compiled by function attributes and chosen at run time, so the
# library runs on any x86-64 CPU.
kernel_sources=("$here"/kernels/*.cpp)
kernel_headers=("$here"/kernels/*.h)
lib="$out_dir/libmemoragkernels.so"
if stale "$lib" "${kernel_sources[@]}" "${kernel_headers[@]}"; then
    g++ -O3 -std=c++17 -shared -fPIC -fvisibility=hidden "${jni_includes[@]}" \
        "${kernel_sources[@]}" -fopenmp -Wl,--no-undefined -o "$obj_dir/libmemoragkernels.so"
    mv "$obj_dir/libmemoragkernels.so" "$lib"
    echo "build.sh: built $lib" >&2
fi
