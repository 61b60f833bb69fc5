// The tile kernel in plain C++: the same blocks, layout and online softmax as the AVX-512 kernel,
// written as simple loops (the compiler vectorises what it can). Used where AVX-512 is missing,
// and by the tests to check the AVX-512 kernel against a second implementation.
#include <algorithm>
#include <cmath>
#include <limits>

#include "attention_tile.h"

namespace memorag::attention {

bool attendTilePortable(const AttentionProblem& p, const Tile& t, Scratch& s) {
    packTile(p, t, s);
    const int32_t d = p.headDim;
    const int32_t ld = s.columnsPadded;
    const float negInf = -std::numeric_limits<float>::infinity();
    forEachKeyBlock(p, t, [&](const KeyBlock& b) {
        for (int32_t c0 = 0; c0 < ld; c0 += SCORE_COLUMNS) {
            const int32_t width = std::min(SCORE_COLUMNS, ld - c0);
            // scores[j][c] = k_j . q_c (log2 units), hidden pairs -inf
            for (int32_t j = 0; j < b.count; j++) {
                const float* k = b.keys + static_cast<int64_t>(j) * d;
                float* row = s.scores + j * SCORE_COLUMNS;
                for (int32_t c = 0; c < width; c++) {
                    row[c] = 0.0f;
                }
                for (int32_t i = 0; i < d; i++) {
                    const float ki = k[i];
                    const float* q = s.qt + i * ld + c0;
                    for (int32_t c = 0; c < width; c++) {
                        row[c] += ki * q[c];
                    }
                }
                if (b.partial) {
                    for (int32_t c = 0; c < width; c++) {
                        if (!visible(p, b.first + j, s.pos[c0 + c])) {
                            row[c] = negInf;
                        }
                    }
                }
            }
            float corr[SCORE_COLUMNS];
            for (int32_t c = 0; c < width; c++) {
                float blockMax = negInf;
                for (int32_t j = 0; j < b.count; j++) {
                    blockMax = std::max(blockMax, s.scores[j * SCORE_COLUMNS + c]);
                }
                const float old = s.rowMax[c0 + c];
                const float now = std::max(old, blockMax);
                // a column that has seen no key yet keeps max -inf; exp2 of -inf is 0 here
                const float shift = now == negInf ? 0.0f : now;
                float sum = 0.0f;
                for (int32_t j = 0; j < b.count; j++) {
                    float& e = s.scores[j * SCORE_COLUMNS + c];
                    e = std::exp2(e - shift);
                    sum += e;
                }
                corr[c] = std::exp2(old - shift);
                s.rowSum[c0 + c] = s.rowSum[c0 + c] * corr[c] + sum;
                s.rowMax[c0 + c] = now;
            }
            // ot[i][c] = ot[i][c] * corr[c] + sum_j v_j[i] * p[j][c]
            for (int32_t i = 0; i < d; i++) {
                float* o = s.ot + i * ld + c0;
                for (int32_t c = 0; c < width; c++) {
                    o[c] *= corr[c];
                }
                for (int32_t j = 0; j < b.count; j++) {
                    const float vi = b.values[static_cast<int64_t>(j) * d + i];
                    const float* pr = s.scores + j * SCORE_COLUMNS;
                    for (int32_t c = 0; c < width; c++) {
                        o[c] += vi * pr[c];
                    }
                }
            }
        }
    });
    return writeTile(p, t, s);
}

}  // namespace memorag::attention
