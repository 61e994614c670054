/* SPDX-License-Identifier: BSD-3-Clause */
/* AVX2+FMA complex multiply-accumulate kernels for the binaural convolution (split complex).
 * Contract: matches objr__bconv_cmac_c within float rounding (FMA contracts a*b+c, so results
 * may differ from the reference by a few ulp of the largest product). */
#include <immintrin.h>

#include "renderers/binaural_conv.h"

void objr__bconv_cmac_avx2(float *yr, float *yi, const float *xr, const float *xi,
                           const float *hr, const float *hi, size_t k) {
    size_t i = 0;
    for (; i + 8 <= k; i += 8) {
        __m256 a = _mm256_loadu_ps(xr + i), b = _mm256_loadu_ps(xi + i);
        __m256 c = _mm256_loadu_ps(hr + i), d = _mm256_loadu_ps(hi + i);
        __m256 r = _mm256_loadu_ps(yr + i), m = _mm256_loadu_ps(yi + i);
        r = _mm256_fmadd_ps(a, c, r);
        r = _mm256_fnmadd_ps(b, d, r);
        m = _mm256_fmadd_ps(a, d, m);
        m = _mm256_fmadd_ps(b, c, m);
        _mm256_storeu_ps(yr + i, r);
        _mm256_storeu_ps(yi + i, m);
    }
    objr__bconv_cmac_c(yr + i, yi + i, xr + i, xi + i, hr + i, hi + i, k - i);
}

void objr__bconv_cmac2_avx2(float *yr, float *yi, float *br, float *bi, float beta,
                            const float *xr, const float *xi, const float *hr, const float *hi,
                            size_t k) {
    size_t i = 0;
    __m256 vb = _mm256_set1_ps(beta);
    for (; i + 8 <= k; i += 8) {
        __m256 a = _mm256_loadu_ps(xr + i), b = _mm256_loadu_ps(xi + i);
        __m256 c = _mm256_loadu_ps(hr + i), d = _mm256_loadu_ps(hi + i);
        __m256 pr = _mm256_fmsub_ps(a, c, _mm256_mul_ps(b, d));
        __m256 pi = _mm256_fmadd_ps(a, d, _mm256_mul_ps(b, c));
        _mm256_storeu_ps(yr + i, _mm256_add_ps(_mm256_loadu_ps(yr + i), pr));
        _mm256_storeu_ps(yi + i, _mm256_add_ps(_mm256_loadu_ps(yi + i), pi));
        _mm256_storeu_ps(br + i, _mm256_fmadd_ps(vb, pr, _mm256_loadu_ps(br + i)));
        _mm256_storeu_ps(bi + i, _mm256_fmadd_ps(vb, pi, _mm256_loadu_ps(bi + i)));
    }
    objr__bconv_cmac2_c(yr + i, yi + i, br + i, bi + i, beta, xr + i, xi + i, hr + i, hi + i,
                        k - i);
}
