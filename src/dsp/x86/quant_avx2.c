/* SPDX-License-Identifier: BSD-3-Clause */
/* AVX2 quantisation (src/dsp/quant.h), bit-exact with `_c`: 4 doubles per step, the same
 * double sums (no FMA), floor by roundpd, unordered compares so that NaN clamps to hi. */
#include "src/dsp/quant.h"

#include <immintrin.h>

/* Set bits of a 4-bit lane mask. */
static const unsigned char bits4[16] = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};

size_t objr__quant_f32_avx2(const float *x, const double *t, size_t n, const objr__quant_word *w,
                            int32_t *out, float *q) {
    const __m256d scale = _mm256_set1_pd(w->scale), inv = _mm256_set1_pd(w->inv);
    const __m256d lo = _mm256_set1_pd(w->lo), hi = _mm256_set1_pd(w->hi);
    const __m256d half = _mm256_set1_pd(0.5), zero = _mm256_setzero_pd();
    const __m128i shift = _mm_cvtsi32_si128(w->shift);
    const int keep = w->keep_exact;
    size_t clipped = 0, k = 0;
    for (; k + 4 <= n; k += 4) {
        const __m256d v = _mm256_mul_pd(_mm256_cvtps_pd(_mm_loadu_ps(x + k)), scale);
        const __m256d tv = t ? _mm256_loadu_pd(t + k) : zero;
        __m256d y = _mm256_floor_pd(_mm256_add_pd(_mm256_add_pd(v, tv), half));
        if (keep)
            y = _mm256_blendv_pd(y, v, _mm256_cmp_pd(_mm256_floor_pd(v), v, _CMP_EQ_OQ));
        const __m256d over = _mm256_cmp_pd(y, hi, _CMP_NLE_UQ); /* y > hi or NaN */
        const __m256d under = _mm256_cmp_pd(y, lo, _CMP_LT_OQ);
        y = _mm256_blendv_pd(_mm256_blendv_pd(y, lo, under), hi, over);
        clipped += bits4[_mm256_movemask_pd(_mm256_or_pd(over, under))];
        const __m128i iv = _mm_sll_epi32(_mm256_cvttpd_epi32(y), shift);
        _mm_storeu_si128((__m128i *)(void *)(out + k), iv);
        if (q)
            _mm_storeu_ps(q + k, _mm256_cvtpd_ps(_mm256_mul_pd(y, inv)));
    }
    return clipped +
           objr__quant_f32_c(x + k, t ? t + k : NULL, n - k, w, out + k, q ? q + k : NULL);
}
