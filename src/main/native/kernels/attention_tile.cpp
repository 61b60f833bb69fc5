// Set-up and write-out of one attention tile, the same for both kernels.
#include "attention_tile.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace memorag::attention {

void packTile(const AttentionProblem& p, const Tile& t, Scratch& s) {
    const int32_t g = groups(p);
    const int32_t rows = t.rows();
    const int32_t d = p.headDim;
    const int32_t ld = s.columnsPadded;
    const int32_t columns = g * rows;
    const float factor = p.scale * LOG2E;   // scores come out in log2 units: exp2 is cheaper
    const int64_t rowStride = static_cast<int64_t>(p.heads) * d;
    std::memset(s.qt, 0, sizeof(float) * d * ld);
    std::memset(s.ot, 0, sizeof(float) * d * ld);
    for (int32_t m = 0; m < columns; m++) {
        int32_t head = t.kvHead * g + m / rows;
        int32_t row = t.row0 + m % rows;
        const float* q = p.q + row * rowStride + static_cast<int64_t>(head) * d;
        for (int32_t i = 0; i < d; i++) {
            s.qt[i * ld + m] = q[i] * factor;
        }
        s.pos[m] = static_cast<int32_t>(position(p, row));
    }
    // padded columns: zero queries at the tile's last position see at least what it sees
    for (int32_t m = columns; m < ld; m++) {
        s.pos[m] = static_cast<int32_t>(position(p, t.row1 - 1));
    }
    for (int32_t m = 0; m < ld; m++) {
        s.rowMax[m] = -std::numeric_limits<float>::infinity();
        s.rowSum[m] = 0.0f;
    }
}

bool writeTile(const AttentionProblem& p, const Tile& t, const Scratch& s) {
    const int32_t g = groups(p);
    const int32_t rows = t.rows();
    const int32_t d = p.headDim;
    const int32_t ld = s.columnsPadded;
    const int64_t rowStride = static_cast<int64_t>(p.heads) * d;
    for (int32_t m = 0; m < g * rows; m++) {
        if (!(s.rowSum[m] > 0.0f)) {
            return false;   // this query row saw no key
        }
    }
    for (int32_t m = 0; m < g * rows; m++) {
        int32_t head = t.kvHead * g + m / rows;
        int32_t row = t.row0 + m % rows;
        float inv = 1.0f / s.rowSum[m];
        float* o = p.out + row * rowStride + static_cast<int64_t>(head) * d;
        for (int32_t i = 0; i < d; i++) {
            o[i] = s.ot[i * ld + m] * inv;
        }
    }
    return true;
}

}  // namespace memorag::attention
