// The geometry both attention kernels share: which query rows a tile holds, which key blocks it
// must visit, and which keys a query row sees. A tile is one kv head and up to QUERY_TILE query
// positions; its columns are the g = heads / kvHeads query heads of that kv head side by side
// (column m is head kvHead * g + m / rows, position row0 + m % rows), so each key and value row
// loaded is used by all g heads.
#pragma once

#include <cstdint>

#include "flash_attention.h"

namespace memorag::attention {

// Query positions per tile: g * 64 columns keep the transposed queries and outputs in L2.
constexpr int QUERY_TILE = 64;
// Keys per block: a block's scores for 48 columns are 12 KB, next to its 16 KB of keys (d = 64).
constexpr int KEY_BLOCK = 64;
constexpr float LOG2E = 1.4426950408889634f;

struct Tile {
    int32_t kvHead;
    int32_t row0;
    int32_t row1;

    int32_t rows() const { return row1 - row0; }
};

// Keys [first, first + count) of one segment, all in one segment, for one kv head.
struct KeyBlock {
    const float* keys;    // row 0 of the block for this kv head
    const float* values;
    int64_t first;        // global key index of row 0
    int32_t count;
    bool partial;         // some key of the block is hidden from some row of the tile
};

inline int32_t groups(const AttentionProblem& p) { return p.heads / p.kvHeads; }

inline int64_t position(const AttentionProblem& p, int32_t row) { return p.queryOffset + row; }

inline bool visible(const AttentionProblem& p, int64_t key, int64_t pos) {
    if (!p.causal) {
        return true;
    }
    return key <= pos && (p.window <= 0 || key > pos - p.window);
}

// Calls fn(const KeyBlock&) for every block of keys some row of tile t can see, in key order.
template <class F>
void forEachKeyBlock(const AttentionProblem& p, const Tile& t, F&& fn) {
    int64_t lo = 0;
    int64_t hi = INT64_MAX;
    int64_t pMin = position(p, t.row0);
    int64_t pMax = position(p, t.row1 - 1);
    if (p.causal) {
        hi = pMax + 1;
        if (p.window > 0) {
            lo = pMin - p.window + 1;
        }
    }
    int64_t base = 0;
    for (int32_t s = 0; s < p.segmentCount; s++) {
        const KvSegmentView& seg = p.segments[s];
        int64_t from = lo > base ? lo - base : 0;
        int64_t to = hi - base < seg.length ? hi - base : seg.length;
        const float* k = seg.keys + t.kvHead * seg.headStride;
        const float* v = seg.values + t.kvHead * seg.headStride;
        for (int64_t b = from; b < to; b += KEY_BLOCK) {
            int32_t count = static_cast<int32_t>(to - b < KEY_BLOCK ? to - b : KEY_BLOCK);
            int64_t first = base + b;
            int64_t last = first + count - 1;
            bool full = !p.causal
                    || (last <= pMin && (p.window <= 0 || first > pMax - p.window));
            fn(KeyBlock{k + b * p.headDim, v + b * p.headDim, first, count, !full});
        }
        base += seg.length;
    }
}

// Per-thread buffers of one tile, sized for the largest tile of a problem. Columns are padded to a
// multiple of 16 (one AVX-512 vector); padded columns hold zero queries and are never written out.
struct Scratch {
    int32_t columnsPadded;  // leading dimension of qt and ot
    float* qt;              // [headDim][columnsPadded]: queries * scale * log2(e), transposed
    float* ot;              // [headDim][columnsPadded]: unnormalised outputs, transposed
    float* scores;          // [KEY_BLOCK][SCORE_COLUMNS]: one block's scores / probabilities
    float* rowMax;          // [columnsPadded] running max (log2 units)
    float* rowSum;          // [columnsPadded] running sum of probabilities
    int32_t* pos;           // [columnsPadded] position of each column's query
};

// Columns of queries one pass over a key block handles (three AVX-512 vectors).
constexpr int SCORE_COLUMNS = 48;

// Tile kernels: fill out for tile t. Return false if some query row of t sees no key at all.
bool attendTilePortable(const AttentionProblem& p, const Tile& t, Scratch& s);
bool attendTileAvx512(const AttentionProblem& p, const Tile& t, Scratch& s);
bool attendTileAvx2(const AttentionProblem& p, const Tile& t, Scratch& s);

// Shared set-up and write-out of a tile (attention_tile.cpp).
void packTile(const AttentionProblem& p, const Tile& t, Scratch& s);
bool writeTile(const AttentionProblem& p, const Tile& t, const Scratch& s);

}  // namespace memorag::attention
