/* SPDX-License-Identifier: BSD-3-Clause */
/* AVX2 K-weighting (ITU-R BS.1770-4 §2.1): four channels per 256-bit vector of doubles,
 * frame by frame, multiplies and adds separately in the order of objr__kweight_sumsq_c, so
 * the result is bit-exact with it. Channels beyond the last group of four use the
 * reference's scalar column. */
#include "src/dsp/kweight.h"

#include <immintrin.h>
#include <string.h>

void objr__kweight_sumsq_avx2(const float *x, size_t n_channels, size_t n_frames,
                              const objr__kw_coef *k, double *z, double *acc) {
    const size_t nc = n_channels;
#ifdef OBJR_CHECK_SIMD
    double zref[4 * 64], aref[64];
    const int check = nc <= 64;
    if (check) {
        memcpy(zref, z, 4 * nc * sizeof(double));
        memcpy(aref, acc, nc * sizeof(double));
        objr__kweight_sumsq_c(x, nc, n_frames, k, zref, aref);
    }
#endif
    const __m256d b0 = _mm256_set1_pd(k->b0), b1 = _mm256_set1_pd(k->b1);
    const __m256d b2 = _mm256_set1_pd(k->b2), a1 = _mm256_set1_pd(k->a1);
    const __m256d a2 = _mm256_set1_pd(k->a2), c1 = _mm256_set1_pd(k->c1);
    const __m256d c2 = _mm256_set1_pd(k->c2), m2 = _mm256_set1_pd(-2.0);
    size_t c = 0;
    for (; c + 4 <= nc; c += 4) {
        __m256d z0 = _mm256_loadu_pd(z + c), z1 = _mm256_loadu_pd(z + nc + c);
        __m256d z2 = _mm256_loadu_pd(z + 2 * nc + c), z3 = _mm256_loadu_pd(z + 3 * nc + c);
        __m256d s = _mm256_setzero_pd();
        const float *p = x + c;
        for (size_t i = 0; i < n_frames; i++, p += nc) {
            const __m256d v = _mm256_cvtps_pd(_mm_loadu_ps(p));
            const __m256d y = _mm256_add_pd(_mm256_mul_pd(b0, v), z0);
            z0 = _mm256_add_pd(_mm256_sub_pd(_mm256_mul_pd(b1, v), _mm256_mul_pd(a1, y)), z1);
            z1 = _mm256_sub_pd(_mm256_mul_pd(b2, v), _mm256_mul_pd(a2, y));
            const __m256d u = _mm256_add_pd(y, z2);
            z2 = _mm256_add_pd(_mm256_sub_pd(_mm256_mul_pd(m2, y), _mm256_mul_pd(c1, u)), z3);
            z3 = _mm256_sub_pd(y, _mm256_mul_pd(c2, u));
            s = _mm256_add_pd(s, _mm256_mul_pd(u, u));
        }
        _mm256_storeu_pd(z + c, z0);
        _mm256_storeu_pd(z + nc + c, z1);
        _mm256_storeu_pd(z + 2 * nc + c, z2);
        _mm256_storeu_pd(z + 3 * nc + c, z3);
        _mm256_storeu_pd(acc + c, _mm256_add_pd(_mm256_loadu_pd(acc + c), s));
    }
    for (; c < nc; c++)
        objr__kweight_column(x + c, nc, n_frames, k, z + c, nc, acc + c);
#ifdef OBJR_CHECK_SIMD
    if (check) {
        OBJR_ASSERT(memcmp(zref, z, 4 * nc * sizeof(double)) == 0);
        OBJR_ASSERT(memcmp(aref, acc, nc * sizeof(double)) == 0);
    }
#endif
}
