// Splits an attention problem into tiles (kv head x up to QUERY_TILE query rows) and runs them on
// an OpenMP team. Loaded after PyTorch, this library's libgomp binds to PyTorch's copy
// (STACK_NOTES.md), so the team is PyTorch's own threads with its wait policy: no second pool
// spinning against it.
#include "flash_attention.h"

#include <omp.h>
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdlib>
#include <memory>
#include <vector>

#include "attention_tile.h"

namespace memorag {

using attention::Scratch;
using attention::Tile;

bool avx512Available() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
}

bool avx2Available() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

namespace {

const char* validate(const AttentionProblem& p) {
    if (p.n <= 0 || p.heads <= 0 || p.kvHeads <= 0 || p.headDim <= 0) {
        return "attention: n, heads, kvHeads and headDim must be positive";
    }
    if (p.heads % p.kvHeads != 0) {
        return "attention: heads must be a multiple of kvHeads";
    }
    if (p.segmentCount <= 0) {
        return "attention needs at least one key/value segment";
    }
    int64_t keys = 0;
    for (int32_t s = 0; s < p.segmentCount; s++) {
        const KvSegmentView& seg = p.segments[s];
        if (seg.length < 0 || seg.keys == nullptr || seg.values == nullptr
                || seg.headStride < static_cast<int64_t>(seg.length) * p.headDim) {
            return "attention: a key/value segment has a null buffer, a negative length or a head"
                   " stride shorter than its rows";
        }
        keys += seg.length;
    }
    // the AVX-512 kernel compares key indices and positions as int32
    if (keys >= INT_MAX || p.queryOffset < 0 || p.queryOffset + p.n >= INT_MAX
            || p.window < 0) {
        return "attention: key count, query offset and window must be within [0, 2^31 - 1)";
    }
    return nullptr;
}

// Flush-to-zero and denormals-are-zero on this thread for the life of the object. Probabilities of
// far-below-max keys times values fall under float's normal range; on x86 each such product takes
// a microcode assist, which made one-row decode steps of a real model several times slower than on
// random data. Terms below 1e-38 cannot change a sum of probabilities that includes 1.
class FlushDenormals {
#if defined(__x86_64__) || defined(__i386__)
    unsigned int saved_ = _mm_getcsr();

public:
    FlushDenormals() { _mm_setcsr(saved_ | 0x8040u); }   // FTZ (bit 15) | DAZ (bit 6)
    ~FlushDenormals() { _mm_setcsr(saved_); }
#endif
};

// Aligned per-thread buffers of one tile.
struct ScratchBuffers {
    std::unique_ptr<float[], decltype(&std::free)> floats{nullptr, &std::free};
    std::unique_ptr<int32_t[], decltype(&std::free)> ints{nullptr, &std::free};
    Scratch s{};

    bool allocate(int32_t columnsPadded, int32_t d) {
        size_t n = static_cast<size_t>(columnsPadded) * d * 2
                + static_cast<size_t>(attention::KEY_BLOCK) * attention::SCORE_COLUMNS
                + static_cast<size_t>(columnsPadded) * 2;
        size_t bytes = (n * sizeof(float) + 63) / 64 * 64;
        floats.reset(static_cast<float*>(std::aligned_alloc(64, bytes)));
        size_t intBytes = (static_cast<size_t>(columnsPadded) * sizeof(int32_t) + 63) / 64 * 64;
        ints.reset(static_cast<int32_t*>(std::aligned_alloc(64, intBytes)));
        if (!floats || !ints) {
            return false;
        }
        float* f = floats.get();
        s.columnsPadded = columnsPadded;
        s.qt = f;
        s.ot = s.qt + static_cast<size_t>(columnsPadded) * d;
        s.scores = s.ot + static_cast<size_t>(columnsPadded) * d;
        s.rowMax = s.scores + attention::KEY_BLOCK * attention::SCORE_COLUMNS;
        s.rowSum = s.rowMax + columnsPadded;
        s.pos = ints.get();
        return true;
    }
};

}  // namespace

const char* attend(const AttentionProblem& p, int threads, AttentionKernel kernel) {
    if (const char* why = validate(p)) {
        return why;
    }
    if (kernel == AttentionKernel::Auto) {
        kernel = avx512Available() ? AttentionKernel::Avx512
                : avx2Available() ? AttentionKernel::Avx2 : AttentionKernel::Portable;
    }
    if (kernel == AttentionKernel::Avx512 && !avx512Available()) {
        return "attention: the AVX-512 kernel was asked for, but this CPU has no AVX-512F/DQ";
    }
    if (kernel == AttentionKernel::Avx2 && !avx2Available()) {
        return "attention: the AVX2 kernel was asked for, but this CPU has no AVX2/FMA";
    }
    auto tileKernel = kernel == AttentionKernel::Avx512 ? attention::attendTileAvx512
            : kernel == AttentionKernel::Avx2 ? attention::attendTileAvx2
            : attention::attendTilePortable;
    // Tiles with the most keys first (causal: the last query rows), so the team ends together.
    std::vector<Tile> tiles;
    for (int32_t r1 = p.n; r1 > 0; r1 -= attention::QUERY_TILE) {
        int32_t r0 = std::max(0, r1 - attention::QUERY_TILE);
        for (int32_t h = 0; h < p.kvHeads; h++) {
            tiles.push_back(Tile{h, r0, r1});
        }
    }
    int32_t rows = std::min(p.n, attention::QUERY_TILE);
    int32_t columnsPadded = (attention::groups(p) * rows + 15) / 16 * 16;
    int team = std::max(1, std::min<int>(threads, static_cast<int>(tiles.size())));
    std::atomic<size_t> next{0};
    std::atomic<bool> outOfMemory{false};
    std::atomic<bool> unseen{false};
#pragma omp parallel num_threads(team)
    {
        FlushDenormals flush;
        ScratchBuffers buffers;
        if (!buffers.allocate(columnsPadded, p.headDim)) {
            outOfMemory = true;
        } else {
            for (size_t i = next++; i < tiles.size() && !outOfMemory; i = next++) {
                if (!tileKernel(p, tiles[i], buffers.s)) {
                    unseen = true;
                }
            }
        }
    }
    if (outOfMemory) {
        return "attention: out of native memory for the per-thread tile buffers";
    }
    if (unseen) {
        return "attention: some query row sees no key at all (the mask hides every key)";
    }
    return nullptr;
}

}  // namespace memorag
