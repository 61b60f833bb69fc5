// The tile kernel written once over a vector type V (attention_avx512.cpp and attention_avx2.cpp
// supply V, and define MEMORAG_SIMD_TARGET as their target attribute before including this, so
// every function here is compiled for that instruction set and nothing else is: a `#pragma GCC
// target` would also recompile shared inline helpers, which the linker could then hand to the
// portable code). Layout (attention_tile.h): queries and outputs are transposed,
// [headDim][columns], and a block's scores are [keys][SCORE_COLUMNS], so everything runs down
// columns: a key row is broadcast against V::WIDTH query columns, softmax max and sum are plain
// vector max/add across key rows (no horizontal reductions), and K and V are read in place from the
// cache. Register blocks of V::ROWS rows x 3 vectors keep the FMA units busy.
//
// V provides: F (the float vector), WIDTH (floats per vector), ROWS (register block rows), and
// zero, load, store, set1, broadcast, fma, mul, add, sub, max, exp2Negative (2^x for x <= 0),
// hide (scores of keys a column must not see set to -inf), dropHidden (probabilities of -inf
// scores set to 0) and unseenToZero (a running max of -inf replaced by 0).
#pragma once

#ifndef MEMORAG_SIMD_TARGET
#error "define MEMORAG_SIMD_TARGET (a target attribute) before including attention_simd.h"
#endif

#include <algorithm>
#include <cstdint>

#include "attention_tile.h"

namespace memorag::attention {

template <class V>
struct SimdTile {
    using F = typename V::F;
    static constexpr int W = V::WIDTH;
    static constexpr int ROWS = V::ROWS;
    static constexpr int GROUP = 3 * W;   // columns per pass over a block
    static_assert(GROUP <= SCORE_COLUMNS, "a pass must fit the score buffer");

    // scores[j][W*c..] = sum_i keys[j][i] * qt[i][W*c..] for key rows j < R, vectors c < NV.
    template <int R, int NV>
    MEMORAG_SIMD_TARGET static inline void scoreBlock(const float* keys, int32_t d,
            const float* qt, int32_t ld, float* scores) {
        F acc[R][NV];
        for (int r = 0; r < R; r++) {
            for (int c = 0; c < NV; c++) {
                acc[r][c] = V::zero();
            }
        }
        for (int32_t i = 0; i < d; i++) {
            F q[NV];
            for (int c = 0; c < NV; c++) {
                q[c] = V::load(qt + static_cast<int64_t>(i) * ld + W * c);
            }
            for (int r = 0; r < R; r++) {
                F k = V::broadcast(keys + static_cast<int64_t>(r) * d + i);
                for (int c = 0; c < NV; c++) {
                    acc[r][c] = V::fma(k, q[c], acc[r][c]);
                }
            }
        }
        for (int r = 0; r < R; r++) {
            for (int c = 0; c < NV; c++) {
                V::store(scores + r * SCORE_COLUMNS + W * c, acc[r][c]);
            }
        }
    }

    // ot[i][W*c..] = ot[i][W*c..] * corr[W*c..] + sum_j values[j][i] * probs[j][W*c..], i < R.
    template <int R, int NV>
    MEMORAG_SIMD_TARGET static inline void accumulateBlock(const float* values, int32_t d,
            int32_t count, const float* probs, const float* corr, float* ot, int32_t ld) {
        F acc[R][NV];
        for (int c = 0; c < NV; c++) {
            F k = V::load(corr + W * c);
            for (int r = 0; r < R; r++) {
                acc[r][c] = V::mul(V::load(ot + static_cast<int64_t>(r) * ld + W * c), k);
            }
        }
        for (int32_t j = 0; j < count; j++) {
            F pr[NV];
            for (int c = 0; c < NV; c++) {
                pr[c] = V::load(probs + j * SCORE_COLUMNS + W * c);
            }
            const float* v = values + static_cast<int64_t>(j) * d;
            for (int r = 0; r < R; r++) {
                F vr = V::broadcast(v + r);
                for (int c = 0; c < NV; c++) {
                    acc[r][c] = V::fma(vr, pr[c], acc[r][c]);
                }
            }
        }
        for (int r = 0; r < R; r++) {
            for (int c = 0; c < NV; c++) {
                V::store(ot + static_cast<int64_t>(r) * ld + W * c, acc[r][c]);
            }
        }
    }

    // The fixed-size kernels for a runtime row count 1..ROWS (ROWS is 4 or 8). A switch, not a
    // recursive if-constexpr chain: the chain made the AVX-512 kernel 20% slower (419 vs 523 ms,
    // AttentionBench 16K keys x 2048 rows).
    template <int NV>
    MEMORAG_SIMD_TARGET static void scoreRows(int rows, const float* keys, int32_t d,
            const float* qt, int32_t ld, float* scores) {
        switch (rows) {
            case 8: if constexpr (ROWS >= 8) { scoreBlock<8, NV>(keys, d, qt, ld, scores); } break;
            case 7: if constexpr (ROWS >= 7) { scoreBlock<7, NV>(keys, d, qt, ld, scores); } break;
            case 6: if constexpr (ROWS >= 6) { scoreBlock<6, NV>(keys, d, qt, ld, scores); } break;
            case 5: if constexpr (ROWS >= 5) { scoreBlock<5, NV>(keys, d, qt, ld, scores); } break;
            case 4: scoreBlock<4, NV>(keys, d, qt, ld, scores); break;
            case 3: scoreBlock<3, NV>(keys, d, qt, ld, scores); break;
            case 2: scoreBlock<2, NV>(keys, d, qt, ld, scores); break;
            default: scoreBlock<1, NV>(keys, d, qt, ld, scores); break;
        }
    }

    template <int NV>
    MEMORAG_SIMD_TARGET static void accumulateRows(int rows, const float* values, int32_t d,
            int32_t count, const float* probs, const float* corr, float* ot, int32_t ld) {
        switch (rows) {
            case 8: if constexpr (ROWS >= 8) {
                accumulateBlock<8, NV>(values, d, count, probs, corr, ot, ld); } break;
            case 7: if constexpr (ROWS >= 7) {
                accumulateBlock<7, NV>(values, d, count, probs, corr, ot, ld); } break;
            case 6: if constexpr (ROWS >= 6) {
                accumulateBlock<6, NV>(values, d, count, probs, corr, ot, ld); } break;
            case 5: if constexpr (ROWS >= 5) {
                accumulateBlock<5, NV>(values, d, count, probs, corr, ot, ld); } break;
            case 4: accumulateBlock<4, NV>(values, d, count, probs, corr, ot, ld); break;
            case 3: accumulateBlock<3, NV>(values, d, count, probs, corr, ot, ld); break;
            case 2: accumulateBlock<2, NV>(values, d, count, probs, corr, ot, ld); break;
            default: accumulateBlock<1, NV>(values, d, count, probs, corr, ot, ld); break;
        }
    }

    // Turns the block's scores of W * NV columns into probabilities against the running max,
    // masking hidden pairs, and updates the running max and sum; corr gets exp2(old - new max).
    template <int NV>
    MEMORAG_SIMD_TARGET static void softmaxBlock(const AttentionProblem& p, const KeyBlock& b,
            Scratch& s, int32_t c0, float* corr) {
        if (b.partial) {
            for (int32_t j = 0; j < b.count; j++) {
                const int32_t key = static_cast<int32_t>(b.first + j);   // fits: validated
                float* row = s.scores + j * SCORE_COLUMNS;
                for (int c = 0; c < NV; c++) {
                    V::store(row + W * c, V::hide(V::load(row + W * c), key,
                            s.pos + c0 + W * c, p.window));
                }
            }
        }
        F mx[NV];
        for (int c = 0; c < NV; c++) {
            mx[c] = V::set1(-__builtin_inff());
        }
        for (int32_t j = 0; j < b.count; j++) {
            for (int c = 0; c < NV; c++) {
                mx[c] = V::max(mx[c], V::load(s.scores + j * SCORE_COLUMNS + W * c));
            }
        }
        F shift[NV];
        F sum[NV];
        for (int c = 0; c < NV; c++) {
            F old = V::load(s.rowMax + c0 + W * c);
            F now = V::max(old, mx[c]);
            V::store(s.rowMax + c0 + W * c, now);
            // a column that has seen no key yet keeps max -inf; shift 0 keeps exp2 finite, and
            // its hidden entries are set to exactly 0 below
            shift[c] = V::unseenToZero(now);
            V::store(corr + W * c, V::exp2Negative(V::sub(old, shift[c])));
            sum[c] = V::zero();
        }
        // exp2 clamps -inf - shift to 2^-126, not 0: drop hidden entries again
        for (int32_t j = 0; j < b.count; j++) {
            float* row = s.scores + j * SCORE_COLUMNS;
            for (int c = 0; c < NV; c++) {
                F x = V::load(row + W * c);
                F e = V::exp2Negative(V::sub(x, shift[c]));
                if (b.partial) {
                    e = V::dropHidden(e, x);
                }
                V::store(row + W * c, e);
                sum[c] = V::add(sum[c], e);
            }
        }
        for (int c = 0; c < NV; c++) {
            F l = V::load(s.rowSum + c0 + W * c);
            V::store(s.rowSum + c0 + W * c, V::fma(l, V::load(corr + W * c), sum[c]));
        }
    }

    template <int NV>
    MEMORAG_SIMD_TARGET static void columnGroup(const AttentionProblem& p, const KeyBlock& b,
            Scratch& s, int32_t c0) {
        const int32_t d = p.headDim;
        const int32_t ld = s.columnsPadded;
        for (int32_t j = 0; j < b.count; j += ROWS) {
            scoreRows<NV>(std::min(ROWS, b.count - j), b.keys + static_cast<int64_t>(j) * d, d,
                    s.qt + c0, ld, s.scores + j * SCORE_COLUMNS);
        }
        alignas(64) float corr[GROUP];
        softmaxBlock<NV>(p, b, s, c0, corr);
        for (int32_t i = 0; i < d; i += ROWS) {
            accumulateRows<NV>(std::min(ROWS, d - i), b.values + i, d, b.count, s.scores, corr,
                    s.ot + static_cast<int64_t>(i) * ld + c0, ld);
        }
    }

    MEMORAG_SIMD_TARGET static bool attendTile(const AttentionProblem& p, const Tile& t,
            Scratch& s) {
        packTile(p, t, s);
        const int32_t ld = s.columnsPadded;   // a multiple of 16, so of W
        forEachKeyBlock(p, t, [&](const KeyBlock& b) {
            for (int32_t c0 = 0; c0 < ld; c0 += GROUP) {
                switch (std::min(GROUP, ld - c0) / W) {
                    case 3: columnGroup<3>(p, b, s, c0); break;
                    case 2: columnGroup<2>(p, b, s, c0); break;
                    default: columnGroup<1>(p, b, s, c0); break;
                }
            }
        });
        return writeTile(p, t, s);
    }
};

}  // namespace memorag::attention
