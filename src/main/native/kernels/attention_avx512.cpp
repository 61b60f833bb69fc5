// The tile kernel with AVX-512 intrinsics. Layout (attention_tile.h): queries and outputs are
// transposed, [headDim][columns], and a block's scores are [keys][48 columns], so everything runs
// down columns: a key row is broadcast against 16 query columns, softmax max and sum are plain
// vector max/add across key rows (no horizontal reductions), and K and V are read in place from the
// cache. Register blocks of 8 rows x 3 vectors (24 accumulators) keep the FMA units busy.
//
// Compiled for AVX-512 by function attributes only, so the library still loads on CPUs without it;
// attend() checks the CPU before calling in here.
#include <immintrin.h>

#include <algorithm>
#include <limits>

#include "attention_tile.h"

#define MEMORAG_AVX512 __attribute__((target("avx512f,avx512dq")))

namespace memorag::attention {
namespace {

constexpr int ROWS = 8;   // register block rows (keys in QK, output dims in PV)

// 2^x for x <= 0, float32 to ~2e-7 relative: x = n + f with n = floor(x), f in [0, 1);
// 2^f by a degree-5 polynomial (least-squares fit on Chebyshev nodes, relative error 1.7e-7 in
// float32); scalef multiplies by 2^floor(x). Inputs below -126 are clamped (results < 1.2e-38).
MEMORAG_AVX512 inline __m512 exp2Negative(__m512 x) {
    x = _mm512_max_ps(x, _mm512_set1_ps(-126.0f));
    __m512 f = _mm512_reduce_ps(x, 0x09);   // x - floor(x), exceptions suppressed
    __m512 r = _mm512_set1_ps(0.0018775765784084797f);
    r = _mm512_fmadd_ps(r, f, _mm512_set1_ps(0.008989340625703335f));
    r = _mm512_fmadd_ps(r, f, _mm512_set1_ps(0.05582631751894951f));
    r = _mm512_fmadd_ps(r, f, _mm512_set1_ps(0.24015361070632935f));
    r = _mm512_fmadd_ps(r, f, _mm512_set1_ps(0.6931530833244324f));
    r = _mm512_fmadd_ps(r, f, _mm512_set1_ps(0.9999999403953552f));
    return _mm512_scalef_ps(r, x);
}

// scores[j][16c..] = sum_i keys[j][i] * qt[i][16c..] for key rows j < R, vectors c < NV.
template <int R, int NV>
MEMORAG_AVX512 inline void scoreBlock(const float* keys, int32_t d, const float* qt, int32_t ld,
        float* scores) {
    __m512 acc[R][NV];
    for (int r = 0; r < R; r++) {
        for (int c = 0; c < NV; c++) {
            acc[r][c] = _mm512_setzero_ps();
        }
    }
    for (int32_t i = 0; i < d; i++) {
        __m512 q[NV];
        for (int c = 0; c < NV; c++) {
            q[c] = _mm512_loadu_ps(qt + static_cast<int64_t>(i) * ld + 16 * c);
        }
        for (int r = 0; r < R; r++) {
            __m512 k = _mm512_set1_ps(keys[static_cast<int64_t>(r) * d + i]);
            for (int c = 0; c < NV; c++) {
                acc[r][c] = _mm512_fmadd_ps(k, q[c], acc[r][c]);
            }
        }
    }
    for (int r = 0; r < R; r++) {
        for (int c = 0; c < NV; c++) {
            _mm512_storeu_ps(scores + r * SCORE_COLUMNS + 16 * c, acc[r][c]);
        }
    }
}

// ot[i][16c..] = ot[i][16c..] * corr[16c..] + sum_j values[j][i] * probs[j][16c..], dims i < R.
template <int R, int NV>
MEMORAG_AVX512 inline void accumulateBlock(const float* values, int32_t d, int32_t count,
        const float* probs, const float* corr, float* ot, int32_t ld) {
    __m512 acc[R][NV];
    for (int c = 0; c < NV; c++) {
        __m512 k = _mm512_loadu_ps(corr + 16 * c);
        for (int r = 0; r < R; r++) {
            const float* o = ot + static_cast<int64_t>(r) * ld + 16 * c;
            acc[r][c] = _mm512_mul_ps(_mm512_loadu_ps(o), k);
        }
    }
    for (int32_t j = 0; j < count; j++) {
        __m512 pr[NV];
        for (int c = 0; c < NV; c++) {
            pr[c] = _mm512_loadu_ps(probs + j * SCORE_COLUMNS + 16 * c);
        }
        const float* v = values + static_cast<int64_t>(j) * d;
        for (int r = 0; r < R; r++) {
            __m512 vr = _mm512_set1_ps(v[r]);
            for (int c = 0; c < NV; c++) {
                acc[r][c] = _mm512_fmadd_ps(vr, pr[c], acc[r][c]);
            }
        }
    }
    for (int r = 0; r < R; r++) {
        for (int c = 0; c < NV; c++) {
            _mm512_storeu_ps(ot + static_cast<int64_t>(r) * ld + 16 * c, acc[r][c]);
        }
    }
}

// The fixed-size kernels for a runtime row count 1..ROWS.
template <int NV>
MEMORAG_AVX512 void scoreRows(int rows, const float* keys, int32_t d, const float* qt, int32_t ld,
        float* scores) {
    switch (rows) {
        case 8: scoreBlock<8, NV>(keys, d, qt, ld, scores); break;
        case 7: scoreBlock<7, NV>(keys, d, qt, ld, scores); break;
        case 6: scoreBlock<6, NV>(keys, d, qt, ld, scores); break;
        case 5: scoreBlock<5, NV>(keys, d, qt, ld, scores); break;
        case 4: scoreBlock<4, NV>(keys, d, qt, ld, scores); break;
        case 3: scoreBlock<3, NV>(keys, d, qt, ld, scores); break;
        case 2: scoreBlock<2, NV>(keys, d, qt, ld, scores); break;
        default: scoreBlock<1, NV>(keys, d, qt, ld, scores); break;
    }
}

template <int NV>
MEMORAG_AVX512 void accumulateRows(int rows, const float* values, int32_t d, int32_t count,
        const float* probs, const float* corr, float* ot, int32_t ld) {
    switch (rows) {
        case 8: accumulateBlock<8, NV>(values, d, count, probs, corr, ot, ld); break;
        case 7: accumulateBlock<7, NV>(values, d, count, probs, corr, ot, ld); break;
        case 6: accumulateBlock<6, NV>(values, d, count, probs, corr, ot, ld); break;
        case 5: accumulateBlock<5, NV>(values, d, count, probs, corr, ot, ld); break;
        case 4: accumulateBlock<4, NV>(values, d, count, probs, corr, ot, ld); break;
        case 3: accumulateBlock<3, NV>(values, d, count, probs, corr, ot, ld); break;
        case 2: accumulateBlock<2, NV>(values, d, count, probs, corr, ot, ld); break;
        default: accumulateBlock<1, NV>(values, d, count, probs, corr, ot, ld); break;
    }
}

// Turns the block's scores of 16 * NV columns into probabilities against the running max,
// masking hidden pairs, and updates the running max and sum; corr gets exp2(old max - new max).
template <int NV>
MEMORAG_AVX512 void softmaxBlock(const AttentionProblem& p, const KeyBlock& b, Scratch& s,
        int32_t c0, float* corr) {
    const __m512 negInf = _mm512_set1_ps(-std::numeric_limits<float>::infinity());
    __m512i pos[NV];
    for (int c = 0; c < NV; c++) {
        pos[c] = _mm512_loadu_si512(s.pos + c0 + 16 * c);
    }
    if (b.partial) {
        // visible iff key <= pos and (no window or key > pos - window); key indices fit int32
        const __m512i window = _mm512_set1_epi32(p.window);
        for (int32_t j = 0; j < b.count; j++) {
            const __m512i key = _mm512_set1_epi32(static_cast<int32_t>(b.first + j));
            float* row = s.scores + j * SCORE_COLUMNS;
            for (int c = 0; c < NV; c++) {
                __mmask16 seen = _mm512_cmple_epi32_mask(key, pos[c]);
                if (p.window > 0) {
                    seen &= _mm512_cmpgt_epi32_mask(key, _mm512_sub_epi32(pos[c], window));
                }
                _mm512_storeu_ps(row + 16 * c,
                        _mm512_mask_mov_ps(negInf, seen, _mm512_loadu_ps(row + 16 * c)));
            }
        }
    }
    __m512 mx[NV];
    for (int c = 0; c < NV; c++) {
        mx[c] = negInf;
    }
    for (int32_t j = 0; j < b.count; j++) {
        for (int c = 0; c < NV; c++) {
            mx[c] = _mm512_max_ps(mx[c], _mm512_loadu_ps(s.scores + j * SCORE_COLUMNS + 16 * c));
        }
    }
    __m512 shift[NV];
    __m512 sum[NV];
    for (int c = 0; c < NV; c++) {
        __m512 old = _mm512_loadu_ps(s.rowMax + c0 + 16 * c);
        __m512 now = _mm512_max_ps(old, mx[c]);
        _mm512_storeu_ps(s.rowMax + c0 + 16 * c, now);
        // a column that has seen no key yet keeps max -inf; shift 0 keeps exp2 finite, and its
        // hidden entries are masked to exactly 0 below
        shift[c] = _mm512_mask_mov_ps(now, _mm512_cmpeq_ps_mask(now, negInf), _mm512_setzero_ps());
        _mm512_storeu_ps(corr + 16 * c, exp2Negative(_mm512_sub_ps(old, shift[c])));
        sum[c] = _mm512_setzero_ps();
    }
    // the max of -inf - shift clamps to 2^-126, not 0: mask hidden entries again
    for (int32_t j = 0; j < b.count; j++) {
        float* row = s.scores + j * SCORE_COLUMNS;
        for (int c = 0; c < NV; c++) {
            __m512 x = _mm512_loadu_ps(row + 16 * c);
            __m512 e = exp2Negative(_mm512_sub_ps(x, shift[c]));
            if (b.partial) {
                e = _mm512_maskz_mov_ps(_mm512_cmpneq_ps_mask(x, negInf), e);
            }
            _mm512_storeu_ps(row + 16 * c, e);
            sum[c] = _mm512_add_ps(sum[c], e);
        }
    }
    for (int c = 0; c < NV; c++) {
        __m512 l = _mm512_loadu_ps(s.rowSum + c0 + 16 * c);
        _mm512_storeu_ps(s.rowSum + c0 + 16 * c,
                _mm512_fmadd_ps(l, _mm512_loadu_ps(corr + 16 * c), sum[c]));
    }
}

template <int NV>
MEMORAG_AVX512 void columnGroup(const AttentionProblem& p, const KeyBlock& b, Scratch& s,
        int32_t c0) {
    const int32_t d = p.headDim;
    const int32_t ld = s.columnsPadded;
    for (int32_t j = 0; j < b.count; j += ROWS) {
        scoreRows<NV>(std::min(ROWS, b.count - j), b.keys + static_cast<int64_t>(j) * d, d,
                s.qt + c0, ld, s.scores + j * SCORE_COLUMNS);
    }
    alignas(64) float corr[SCORE_COLUMNS];
    softmaxBlock<NV>(p, b, s, c0, corr);
    for (int32_t i = 0; i < d; i += ROWS) {
        accumulateRows<NV>(std::min(ROWS, d - i), b.values + i, d, b.count, s.scores, corr,
                s.ot + static_cast<int64_t>(i) * ld + c0, ld);
    }
}

}  // namespace

MEMORAG_AVX512 bool attendTileAvx512(const AttentionProblem& p, const Tile& t, Scratch& s) {
    packTile(p, t, s);
    const int32_t ld = s.columnsPadded;
    forEachKeyBlock(p, t, [&](const KeyBlock& b) {
        for (int32_t c0 = 0; c0 < ld; c0 += SCORE_COLUMNS) {
            switch (std::min(SCORE_COLUMNS, ld - c0) / 16) {
                case 3: columnGroup<3>(p, b, s, c0); break;
                case 2: columnGroup<2>(p, b, s, c0); break;
                default: columnGroup<1>(p, b, s, c0); break;
            }
        }
    });
    return writeTile(p, t, s);
}

}  // namespace memorag::attention
