// Fused scaled-dot-product attention for float32 on the CPU, for
// org.memorag.engine.ops.NativeAttention.
//
// One call attends n query rows of every head to a list of key/value segments, causally
// (optionally with a sliding window) or to all keys. Nothing of size n x keys is ever stored: each
// tile of query rows walks the keys in cache-sized blocks with an online softmax, so scores live
// only in L1/L2.
#pragma once

#include <cstdint>

namespace memorag {

// One run of cached keys and values of a layer: [kvHeads, length, headDim], rows of one head
// contiguous (headDim floats apart), heads headStride floats apart (a cache has room for more slots
// than it has filled, so headStride >= length * headDim).
struct KvSegmentView {
    const float* keys;
    const float* values;
    int64_t headStride;
    int32_t length;
};

struct AttentionProblem {
    const float* q;   // [n, heads, headDim], contiguous, already rotated
    float* out;       // [n, heads * headDim], written
    int32_t n;
    int32_t heads;
    int32_t kvHeads;  // query head h uses kv head h / (heads / kvHeads), as HF's repeat_kv
    int32_t headDim;
    const KvSegmentView* segments;
    int32_t segmentCount;
    // Key indices count over all segments in order. Causal: query row i sits at key index
    // queryOffset + i and sees key k iff k <= queryOffset + i and, with window > 0,
    // k > queryOffset + i - window. Not causal: every row sees every key.
    bool causal;
    int64_t queryOffset;
    int32_t window;
    float scale;      // multiplies q . k (1 / sqrt(headDim) for the usual attention)
};

// Auto: AVX-512 if the CPU has it, else AVX2 (with FMA) if it has that, else the portable loops.
enum class AttentionKernel { Auto = 0, Portable = 1, Avx512 = 2, Avx2 = 3 };

// True when this CPU (and OS) runs the AVX-512 kernel.
bool avx512Available();

// True when this CPU (and OS) runs the AVX2 kernel (AVX2 and FMA).
bool avx2Available();

// Computes p.out on `threads` threads (OpenMP). Returns nullptr on success, else a message that
// says what was wrong with the problem (nothing is written then).
const char* attend(const AttentionProblem& p, int threads, AttentionKernel kernel);

}  // namespace memorag
