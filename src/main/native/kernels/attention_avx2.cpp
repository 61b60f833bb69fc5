// The tile kernel with AVX2 + FMA intrinsics, for x86-64 CPUs without AVX-512 (e.g. AMD Zen 2/3).
// The same layout and steps as attention_avx512.cpp, with 8-float vectors: 16 registers allow
// blocks of 4 rows x 3 vectors (12 accumulators), so a pass covers 24 of a block's 48 score
// columns. Compiled by function attributes only; attend() checks the CPU before calling in here.
#include <immintrin.h>

#include <algorithm>
#include <limits>

#include "attention_tile.h"

#define MEMORAG_AVX2 __attribute__((target("avx2,fma")))

namespace memorag::attention {
namespace {

constexpr int ROWS = 4;           // register block rows (keys in QK, output dims in PV)
constexpr int GROUP_COLUMNS = 24; // columns per pass: three 8-float vectors

// 2^x for x <= 0 as in attention_avx512.cpp: floor, a degree-5 polynomial of the fraction, and
// 2^floor(x) built in the exponent bits (x is clamped to >= -126, so it stays a normal float).
MEMORAG_AVX2 inline __m256 exp2Negative(__m256 x) {
    x = _mm256_max_ps(x, _mm256_set1_ps(-126.0f));
    __m256 n = _mm256_floor_ps(x);
    __m256 f = _mm256_sub_ps(x, n);
    __m256 r = _mm256_set1_ps(0.0018775765784084797f);
    r = _mm256_fmadd_ps(r, f, _mm256_set1_ps(0.008989340625703335f));
    r = _mm256_fmadd_ps(r, f, _mm256_set1_ps(0.05582631751894951f));
    r = _mm256_fmadd_ps(r, f, _mm256_set1_ps(0.24015361070632935f));
    r = _mm256_fmadd_ps(r, f, _mm256_set1_ps(0.6931530833244324f));
    r = _mm256_fmadd_ps(r, f, _mm256_set1_ps(0.9999999403953552f));
    __m256i e = _mm256_slli_epi32(
            _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(r, _mm256_castsi256_ps(e));
}

template <int R, int NV>
MEMORAG_AVX2 inline void scoreBlock(const float* keys, int32_t d, const float* qt, int32_t ld,
        float* scores) {
    __m256 acc[R][NV];
    for (int r = 0; r < R; r++) {
        for (int c = 0; c < NV; c++) {
            acc[r][c] = _mm256_setzero_ps();
        }
    }
    for (int32_t i = 0; i < d; i++) {
        __m256 q[NV];
        for (int c = 0; c < NV; c++) {
            q[c] = _mm256_loadu_ps(qt + static_cast<int64_t>(i) * ld + 8 * c);
        }
        for (int r = 0; r < R; r++) {
            __m256 k = _mm256_broadcast_ss(keys + static_cast<int64_t>(r) * d + i);
            for (int c = 0; c < NV; c++) {
                acc[r][c] = _mm256_fmadd_ps(k, q[c], acc[r][c]);
            }
        }
    }
    for (int r = 0; r < R; r++) {
        for (int c = 0; c < NV; c++) {
            _mm256_storeu_ps(scores + r * SCORE_COLUMNS + 8 * c, acc[r][c]);
        }
    }
}

template <int R, int NV>
MEMORAG_AVX2 inline void accumulateBlock(const float* values, int32_t d, int32_t count,
        const float* probs, const float* corr, float* ot, int32_t ld) {
    __m256 acc[R][NV];
    for (int c = 0; c < NV; c++) {
        __m256 k = _mm256_loadu_ps(corr + 8 * c);
        for (int r = 0; r < R; r++) {
            const float* o = ot + static_cast<int64_t>(r) * ld + 8 * c;
            acc[r][c] = _mm256_mul_ps(_mm256_loadu_ps(o), k);
        }
    }
    for (int32_t j = 0; j < count; j++) {
        __m256 pr[NV];
        for (int c = 0; c < NV; c++) {
            pr[c] = _mm256_loadu_ps(probs + j * SCORE_COLUMNS + 8 * c);
        }
        const float* v = values + static_cast<int64_t>(j) * d;
        for (int r = 0; r < R; r++) {
            __m256 vr = _mm256_broadcast_ss(v + r);
            for (int c = 0; c < NV; c++) {
                acc[r][c] = _mm256_fmadd_ps(vr, pr[c], acc[r][c]);
            }
        }
    }
    for (int r = 0; r < R; r++) {
        for (int c = 0; c < NV; c++) {
            _mm256_storeu_ps(ot + static_cast<int64_t>(r) * ld + 8 * c, acc[r][c]);
        }
    }
}

template <int NV>
MEMORAG_AVX2 void scoreRows(int rows, const float* keys, int32_t d, const float* qt, int32_t ld,
        float* scores) {
    switch (rows) {
        case 4: scoreBlock<4, NV>(keys, d, qt, ld, scores); break;
        case 3: scoreBlock<3, NV>(keys, d, qt, ld, scores); break;
        case 2: scoreBlock<2, NV>(keys, d, qt, ld, scores); break;
        default: scoreBlock<1, NV>(keys, d, qt, ld, scores); break;
    }
}

template <int NV>
MEMORAG_AVX2 void accumulateRows(int rows, const float* values, int32_t d, int32_t count,
        const float* probs, const float* corr, float* ot, int32_t ld) {
    switch (rows) {
        case 4: accumulateBlock<4, NV>(values, d, count, probs, corr, ot, ld); break;
        case 3: accumulateBlock<3, NV>(values, d, count, probs, corr, ot, ld); break;
        case 2: accumulateBlock<2, NV>(values, d, count, probs, corr, ot, ld); break;
        default: accumulateBlock<1, NV>(values, d, count, probs, corr, ot, ld); break;
    }
}

// As softmaxBlock in attention_avx512.cpp, for 8 * NV columns.
template <int NV>
MEMORAG_AVX2 void softmaxBlock(const AttentionProblem& p, const KeyBlock& b, Scratch& s,
        int32_t c0, float* corr) {
    const __m256 negInf = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
    if (b.partial) {
        __m256i pos[NV];
        __m256i edge[NV];   // keys must be > pos - window
        for (int c = 0; c < NV; c++) {
            pos[c] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s.pos + c0 + 8 * c));
            edge[c] = _mm256_sub_epi32(pos[c], _mm256_set1_epi32(p.window));
        }
        for (int32_t j = 0; j < b.count; j++) {
            const __m256i key = _mm256_set1_epi32(static_cast<int32_t>(b.first + j));
            float* row = s.scores + j * SCORE_COLUMNS;
            for (int c = 0; c < NV; c++) {
                __m256i hidden = _mm256_cmpgt_epi32(key, pos[c]);   // a future key
                if (p.window > 0) {
                    // key <= pos - window: left of the window
                    hidden = _mm256_or_si256(hidden, _mm256_xor_si256(
                            _mm256_cmpgt_epi32(key, edge[c]), _mm256_set1_epi32(-1)));
                }
                _mm256_storeu_ps(row + 8 * c, _mm256_blendv_ps(_mm256_loadu_ps(row + 8 * c),
                        negInf, _mm256_castsi256_ps(hidden)));
            }
        }
    }
    __m256 mx[NV];
    for (int c = 0; c < NV; c++) {
        mx[c] = negInf;
    }
    for (int32_t j = 0; j < b.count; j++) {
        for (int c = 0; c < NV; c++) {
            mx[c] = _mm256_max_ps(mx[c], _mm256_loadu_ps(s.scores + j * SCORE_COLUMNS + 8 * c));
        }
    }
    __m256 shift[NV];
    __m256 sum[NV];
    for (int c = 0; c < NV; c++) {
        __m256 old = _mm256_loadu_ps(s.rowMax + c0 + 8 * c);
        __m256 now = _mm256_max_ps(old, mx[c]);
        _mm256_storeu_ps(s.rowMax + c0 + 8 * c, now);
        // no key seen yet: max stays -inf, shift 0 keeps exp2 finite (hidden entries masked below)
        __m256 unseen = _mm256_cmp_ps(now, negInf, _CMP_EQ_OQ);
        shift[c] = _mm256_blendv_ps(now, _mm256_setzero_ps(), unseen);
        _mm256_storeu_ps(corr + 8 * c, exp2Negative(_mm256_sub_ps(old, shift[c])));
        sum[c] = _mm256_setzero_ps();
    }
    for (int32_t j = 0; j < b.count; j++) {
        float* row = s.scores + j * SCORE_COLUMNS;
        for (int c = 0; c < NV; c++) {
            __m256 x = _mm256_loadu_ps(row + 8 * c);
            __m256 e = exp2Negative(_mm256_sub_ps(x, shift[c]));
            if (b.partial) {
                e = _mm256_and_ps(e, _mm256_cmp_ps(x, negInf, _CMP_NEQ_OQ));
            }
            _mm256_storeu_ps(row + 8 * c, e);
            sum[c] = _mm256_add_ps(sum[c], e);
        }
    }
    for (int c = 0; c < NV; c++) {
        __m256 l = _mm256_loadu_ps(s.rowSum + c0 + 8 * c);
        _mm256_storeu_ps(s.rowSum + c0 + 8 * c,
                _mm256_fmadd_ps(l, _mm256_loadu_ps(corr + 8 * c), sum[c]));
    }
}

template <int NV>
MEMORAG_AVX2 void columnGroup(const AttentionProblem& p, const KeyBlock& b, Scratch& s,
        int32_t c0) {
    const int32_t d = p.headDim;
    const int32_t ld = s.columnsPadded;
    for (int32_t j = 0; j < b.count; j += ROWS) {
        scoreRows<NV>(std::min(ROWS, b.count - j), b.keys + static_cast<int64_t>(j) * d, d,
                s.qt + c0, ld, s.scores + j * SCORE_COLUMNS);
    }
    alignas(32) float corr[GROUP_COLUMNS];
    softmaxBlock<NV>(p, b, s, c0, corr);
    for (int32_t i = 0; i < d; i += ROWS) {
        accumulateRows<NV>(std::min(ROWS, d - i), b.values + i, d, b.count, s.scores, corr,
                s.ot + static_cast<int64_t>(i) * ld + c0, ld);
    }
}

}  // namespace

MEMORAG_AVX2 bool attendTileAvx2(const AttentionProblem& p, const Tile& t, Scratch& s) {
    packTile(p, t, s);
    const int32_t ld = s.columnsPadded;   // a multiple of 16, so of 8
    forEachKeyBlock(p, t, [&](const KeyBlock& b) {
        for (int32_t c0 = 0; c0 < ld; c0 += GROUP_COLUMNS) {
            switch (std::min(GROUP_COLUMNS, ld - c0) / 8) {
                case 3: columnGroup<3>(p, b, s, c0); break;
                case 2: columnGroup<2>(p, b, s, c0); break;
                default: columnGroup<1>(p, b, s, c0); break;
            }
        }
    });
    return writeTile(p, t, s);
}

}  // namespace memorag::attention
