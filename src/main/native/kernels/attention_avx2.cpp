// The tile kernel with AVX2 + FMA intrinsics, for x86-64 CPUs without AVX-512 (e.g. AMD Zen 2/3):
// attention_simd.h over 8-float vectors. 16 registers allow blocks of 4 rows x 3 vectors (12
// accumulators), so a pass covers 24 of a block's 48 score columns.
//
// Compiled for AVX2 by function attributes only; attend() checks the CPU before calling in here.
#include <immintrin.h>

#include <limits>

#define MEMORAG_SIMD_TARGET __attribute__((target("avx2,fma")))
#include "attention_simd.h"

namespace memorag::attention {
namespace {

struct Avx2 {
    using F = __m256;
    static constexpr int WIDTH = 8;
    static constexpr int ROWS = 4;

    MEMORAG_SIMD_TARGET static F zero() { return _mm256_setzero_ps(); }
    MEMORAG_SIMD_TARGET static F load(const float* p) { return _mm256_loadu_ps(p); }
    MEMORAG_SIMD_TARGET static void store(float* p, F v) { _mm256_storeu_ps(p, v); }
    MEMORAG_SIMD_TARGET static F set1(float x) { return _mm256_set1_ps(x); }
    MEMORAG_SIMD_TARGET static F broadcast(const float* p) { return _mm256_broadcast_ss(p); }
    MEMORAG_SIMD_TARGET static F fma(F a, F b, F c) { return _mm256_fmadd_ps(a, b, c); }
    MEMORAG_SIMD_TARGET static F mul(F a, F b) { return _mm256_mul_ps(a, b); }
    MEMORAG_SIMD_TARGET static F add(F a, F b) { return _mm256_add_ps(a, b); }
    MEMORAG_SIMD_TARGET static F sub(F a, F b) { return _mm256_sub_ps(a, b); }
    MEMORAG_SIMD_TARGET static F max(F a, F b) { return _mm256_max_ps(a, b); }

    // 2^x for x <= 0 as in attention_avx512.cpp: floor, the same degree-5 polynomial of the
    // fraction, and 2^floor(x) built in the exponent bits (x >= -126 keeps it a normal float).
    MEMORAG_SIMD_TARGET static F exp2Negative(F x) {
        x = _mm256_max_ps(x, _mm256_set1_ps(-126.0f));
        F n = _mm256_floor_ps(x);
        F f = _mm256_sub_ps(x, n);
        F r = _mm256_set1_ps(0.0018775765784084797f);
        r = _mm256_fmadd_ps(r, f, _mm256_set1_ps(0.008989340625703335f));
        r = _mm256_fmadd_ps(r, f, _mm256_set1_ps(0.05582631751894951f));
        r = _mm256_fmadd_ps(r, f, _mm256_set1_ps(0.24015361070632935f));
        r = _mm256_fmadd_ps(r, f, _mm256_set1_ps(0.6931530833244324f));
        r = _mm256_fmadd_ps(r, f, _mm256_set1_ps(0.9999999403953552f));
        __m256i e = _mm256_slli_epi32(
                _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
        return _mm256_mul_ps(r, _mm256_castsi256_ps(e));
    }

    // -inf where key is not visible from pos: key > pos, or (window) key <= pos - window
    MEMORAG_SIMD_TARGET static F hide(F scores, int32_t key, const int32_t* pos,
            int32_t window) {
        const __m256i k = _mm256_set1_epi32(key);
        const __m256i p = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(pos));
        __m256i hidden = _mm256_cmpgt_epi32(k, p);
        if (window > 0) {
            __m256i inside = _mm256_cmpgt_epi32(k, _mm256_sub_epi32(p, _mm256_set1_epi32(window)));
            hidden = _mm256_or_si256(hidden, _mm256_xor_si256(inside, _mm256_set1_epi32(-1)));
        }
        return _mm256_blendv_ps(scores, _mm256_set1_ps(-std::numeric_limits<float>::infinity()),
                _mm256_castsi256_ps(hidden));
    }

    MEMORAG_SIMD_TARGET static F dropHidden(F e, F scores) {
        return _mm256_and_ps(e, _mm256_cmp_ps(scores,
                _mm256_set1_ps(-std::numeric_limits<float>::infinity()), _CMP_NEQ_OQ));
    }

    MEMORAG_SIMD_TARGET static F unseenToZero(F m) {
        F unseen = _mm256_cmp_ps(m, _mm256_set1_ps(-std::numeric_limits<float>::infinity()),
                _CMP_EQ_OQ);
        return _mm256_blendv_ps(m, _mm256_setzero_ps(), unseen);
    }
};

}  // namespace

bool attendTileAvx2(const AttentionProblem& p, const Tile& t, Scratch& s) {
    return SimdTile<Avx2>::attendTile(p, t, s);
}

}  // namespace memorag::attention
