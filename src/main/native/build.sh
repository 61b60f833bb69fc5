#!/usr/bin/env bash
# Compiles the FAISS JNI shim (every *.cpp beside this script) into one shared library,
# linking Debian's static libfaiss.a so that executors need only BLAS/LAPACK/OpenMP at run time.
# Usage: build.sh OUTPUT_DIR OBJ_DIR   (called by the Maven build in process-classes)
set -euo pipefail
out_dir=$1
obj_dir=$2
here=$(cd "$(dirname "$0")" && pwd)
faiss_a=${FAISS_STATIC_LIB:-/usr/lib/x86_64-linux-gnu/libfaiss.a}
if [ ! -f "$faiss_a" ]; then
    echo "build.sh: $faiss_a not found. Install FAISS with scripts/setup.sh" \
         "(Debian package libfaiss-dev) or set FAISS_STATIC_LIB." >&2
    exit 1
fi
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
shopt -s nullglob
sources=("$here"/*.cpp)
if [ ${#sources[@]} -eq 0 ]; then
    echo "build.sh: no *.cpp in $here, nothing to build" >&2
    exit 0
fi
mkdir -p "$out_dir" "$obj_dir"
lib="$out_dir/libfaissjni.so"
# Rebuild only when a source is newer than the library (keeps incremental builds fast).
if [ -f "$lib" ]; then
    stale=0
    for s in "${sources[@]}" "$0"; do [ "$s" -nt "$lib" ] && stale=1; done
    [ $stale = 0 ] && exit 0
fi
g++ -O2 -std=c++17 -shared -fPIC -fvisibility=hidden \
    -I"$java_home/include" -I"$java_home/include/linux" \
    "${sources[@]}" "$faiss_a" -lblas -llapack -fopenmp \
    -Wl,--no-undefined -o "$obj_dir/libfaissjni.so"
mv "$obj_dir/libfaissjni.so" "$lib"
echo "build.sh: built $lib" >&2
