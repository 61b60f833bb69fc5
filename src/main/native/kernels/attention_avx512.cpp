// The tile kernel with AVX-512 intrinsics: attention_simd.h over 16-float vectors, in register
// blocks of 8 rows x 3 vectors (24 accumulators).
//
// Compiled for AVX-512 by function attributes only, so the library still loads on CPUs without it;
// attend() checks the CPU before calling in here.
#include <immintrin.h>

#include <limits>

#define MEMORAG_SIMD_TARGET __attribute__((target("avx512f,avx512dq")))
#include "attention_simd.h"

namespace memorag::attention {
namespace {

struct Avx512 {
    using F = __m512;
    static constexpr int WIDTH = 16;
    static constexpr int ROWS = 8;

    MEMORAG_SIMD_TARGET static F zero() { return _mm512_setzero_ps(); }
    MEMORAG_SIMD_TARGET static F load(const float* p) { return _mm512_loadu_ps(p); }
    MEMORAG_SIMD_TARGET static void store(float* p, F v) { _mm512_storeu_ps(p, v); }
    MEMORAG_SIMD_TARGET static F set1(float x) { return _mm512_set1_ps(x); }
    MEMORAG_SIMD_TARGET static F broadcast(const float* p) { return _mm512_set1_ps(*p); }
    MEMORAG_SIMD_TARGET static F fma(F a, F b, F c) { return _mm512_fmadd_ps(a, b, c); }
    MEMORAG_SIMD_TARGET static F mul(F a, F b) { return _mm512_mul_ps(a, b); }
    MEMORAG_SIMD_TARGET static F add(F a, F b) { return _mm512_add_ps(a, b); }
    MEMORAG_SIMD_TARGET static F sub(F a, F b) { return _mm512_sub_ps(a, b); }
    MEMORAG_SIMD_TARGET static F max(F a, F b) { return _mm512_max_ps(a, b); }

    // 2^x for x <= 0, float32 to ~2e-7 relative: x = n + f with n = floor(x), f in [0, 1); 2^f by
    // a degree-5 polynomial (least-squares fit on Chebyshev nodes, relative error 1.7e-7 in
    // float32); scalef multiplies by 2^floor(x). Inputs below -126 are clamped (results < 1.2e-38).
    MEMORAG_SIMD_TARGET static F exp2Negative(F x) {
        x = _mm512_max_ps(x, _mm512_set1_ps(-126.0f));
        F f = _mm512_reduce_ps(x, 0x09);   // x - floor(x), exceptions suppressed
        F r = _mm512_set1_ps(0.0018775765784084797f);
        r = _mm512_fmadd_ps(r, f, _mm512_set1_ps(0.008989340625703335f));
        r = _mm512_fmadd_ps(r, f, _mm512_set1_ps(0.05582631751894951f));
        r = _mm512_fmadd_ps(r, f, _mm512_set1_ps(0.24015361070632935f));
        r = _mm512_fmadd_ps(r, f, _mm512_set1_ps(0.6931530833244324f));
        r = _mm512_fmadd_ps(r, f, _mm512_set1_ps(0.9999999403953552f));
        return _mm512_scalef_ps(r, x);
    }

    // -inf where key is not visible from pos: key > pos, or (window) key <= pos - window
    MEMORAG_SIMD_TARGET static F hide(F scores, int32_t key, const int32_t* pos,
            int32_t window) {
        const __m512i k = _mm512_set1_epi32(key);
        const __m512i p = _mm512_loadu_si512(pos);
        __mmask16 seen = _mm512_cmple_epi32_mask(k, p);
        if (window > 0) {
            seen &= _mm512_cmpgt_epi32_mask(k, _mm512_sub_epi32(p, _mm512_set1_epi32(window)));
        }
        return _mm512_mask_mov_ps(_mm512_set1_ps(-std::numeric_limits<float>::infinity()), seen,
                scores);
    }

    MEMORAG_SIMD_TARGET static F dropHidden(F e, F scores) {
        return _mm512_maskz_mov_ps(_mm512_cmpneq_ps_mask(scores,
                _mm512_set1_ps(-std::numeric_limits<float>::infinity())), e);
    }

    MEMORAG_SIMD_TARGET static F unseenToZero(F m) {
        return _mm512_mask_mov_ps(m, _mm512_cmpeq_ps_mask(m,
                _mm512_set1_ps(-std::numeric_limits<float>::infinity())), _mm512_setzero_ps());
    }
};

}  // namespace

bool attendTileAvx512(const AttentionProblem& p, const Tile& t, Scratch& s) {
    return SimdTile<Avx512>::attendTile(p, t, s);
}

}  // namespace memorag::attention
