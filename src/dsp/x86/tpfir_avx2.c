/* SPDX-License-Identifier: BSD-3-Clause */
/* AVX2 variant of the true-peak polyphase kernel (ITU-R BS.1770-4 Annex 2). Multiplies and
 * adds separately (no FMA) in the same order as objr__tpfir_peak_c: bit-exact with it. */
#include "src/dsp/tpfir.h"

#include <immintrin.h>
#include <string.h>


void objr__tpfir_peak_avx2(const float *x, const float *coef, unsigned ratio, unsigned taps,
                           float *acc, float *peak_io) {
#ifdef OBJR_CHECK_SIMD
    float ref[OBJR_TP_CHUNK];
    memcpy(ref, peak_io, sizeof ref);
    objr__tpfir_peak_c(x, coef, ratio, taps, acc, ref);
#else
    (void)acc;
#endif
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    /* Register-blocked: 32 frames (4 vectors) per step stay in registers over all taps. */
    for (size_t n = 0; n < OBJR_TP_CHUNK; n += 32) {
        __m256 pk0 = _mm256_loadu_ps(peak_io + n), pk1 = _mm256_loadu_ps(peak_io + n + 8);
        __m256 pk2 = _mm256_loadu_ps(peak_io + n + 16), pk3 = _mm256_loadu_ps(peak_io + n + 24);
        for (unsigned p = 0; p < ratio; p++) {
            const float *c = coef + (size_t)p * taps;
            const float *xp = x + n;
            __m256 c0 = _mm256_set1_ps(c[0]);
            __m256 a0 = _mm256_mul_ps(c0, _mm256_loadu_ps(xp));
            __m256 a1 = _mm256_mul_ps(c0, _mm256_loadu_ps(xp + 8));
            __m256 a2 = _mm256_mul_ps(c0, _mm256_loadu_ps(xp + 16));
            __m256 a3 = _mm256_mul_ps(c0, _mm256_loadu_ps(xp + 24));
            for (unsigned j = 1; j < taps; j++) {
                __m256 cj = _mm256_set1_ps(c[j]);
                const float *xj = xp + j;
                a0 = _mm256_add_ps(a0, _mm256_mul_ps(cj, _mm256_loadu_ps(xj)));
                a1 = _mm256_add_ps(a1, _mm256_mul_ps(cj, _mm256_loadu_ps(xj + 8)));
                a2 = _mm256_add_ps(a2, _mm256_mul_ps(cj, _mm256_loadu_ps(xj + 16)));
                a3 = _mm256_add_ps(a3, _mm256_mul_ps(cj, _mm256_loadu_ps(xj + 24)));
            }
            pk0 = _mm256_max_ps(pk0, _mm256_and_ps(a0, absmask));
            pk1 = _mm256_max_ps(pk1, _mm256_and_ps(a1, absmask));
            pk2 = _mm256_max_ps(pk2, _mm256_and_ps(a2, absmask));
            pk3 = _mm256_max_ps(pk3, _mm256_and_ps(a3, absmask));
        }
        _mm256_storeu_ps(peak_io + n, pk0);
        _mm256_storeu_ps(peak_io + n + 8, pk1);
        _mm256_storeu_ps(peak_io + n + 16, pk2);
        _mm256_storeu_ps(peak_io + n + 24, pk3);
    }
#ifdef OBJR_CHECK_SIMD
    OBJR_ASSERT(memcmp(ref, peak_io, sizeof ref) == 0);
#endif
}
