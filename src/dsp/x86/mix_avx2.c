/* SPDX-License-Identifier: BSD-3-Clause */
/* AVX2+FMA mixing kernels. gain/add are bit-exact with the `_c` reference (plain mul + add);
 * the ramp fuses gain interpolation and accumulation into FMAs, within OBJR__MIX_FMA_EPS
 * (see src/dsp/mix.h). 8 samples at a time, unaligned loads, scalar tails as in `_c`. */
#include "src/dsp/mix.h"

#include <immintrin.h>

/* Scalar tail of one output, as in `_c`. */
static inline void ramp_tail(float *o, const float *in, size_t i, size_t n, float a, float d,
                             size_t offset, float inv) {
    for (; i < n; i++) {
        const float t = (float)(i + offset) * inv;
        const float dt = d * t;
        const float g = a + dt;
        const float p = in[i] * g;
        o[i] = o[i] + p;
    }
}

/* K (1..4, a constant at each call site) outputs per pass share the input load and the ramp
 * parameter t; each output's arithmetic is the same whatever K, so results do not depend on
 * how the outputs are grouped. */
static inline __attribute__((always_inline)) void ramp_group(float *const *out, size_t K,
                                                             const float *in, size_t n,
                                                             const float *g0, const float *g1,
                                                             size_t offset, float inv) {
    const __m256 vinv = _mm256_set1_ps(inv);
    const __m256 eight = _mm256_set1_ps(8.0f);
    float *o[4];
    float a[4], d[4];
    __m256 va[4], vd[4];
    for (size_t j = 0; j < K; j++) {
        o[j] = out[j];
        a[j] = g0[j];
        d[j] = g1[j] - g0[j];
        va[j] = _mm256_set1_ps(a[j]);
        vd[j] = _mm256_set1_ps(d[j]);
    }
    __m256 idx = _mm256_add_ps(_mm256_set1_ps((float)offset),
                               _mm256_setr_ps(0.f, 1.f, 2.f, 3.f, 4.f, 5.f, 6.f, 7.f));
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 t = _mm256_mul_ps(idx, vinv);
        const __m256 x = _mm256_loadu_ps(in + i);
        for (size_t j = 0; j < K; j++)
            _mm256_storeu_ps(o[j] + i, _mm256_fmadd_ps(x, _mm256_fmadd_ps(vd[j], t, va[j]),
                                                       _mm256_loadu_ps(o[j] + i)));
        idx = _mm256_add_ps(idx, eight);
    }
    for (size_t j = 0; j < K; j++)
        ramp_tail(o[j], in, i, n, a[j], d[j], offset, inv);
}

void objr__mix_ramp_f32_avx2(float *const *out, size_t n_out, const float *in, size_t n,
                             const float *g0, const float *g1, size_t offset, size_t len) {
    const float inv = 1.0f / (float)len;
    size_t c = 0;
    for (; c + 4 <= n_out; c += 4)
        ramp_group(out + c, 4, in, n, g0 + c, g1 + c, offset, inv);
    switch (n_out - c) {
    case 3:
        ramp_group(out + c, 3, in, n, g0 + c, g1 + c, offset, inv);
        break;
    case 2:
        ramp_group(out + c, 2, in, n, g0 + c, g1 + c, offset, inv);
        break;
    case 1:
        ramp_group(out + c, 1, in, n, g0 + c, g1 + c, offset, inv);
        break;
    default:
        break;
    }
}

/* K (1..4) outputs per pass with a constant gain: plain mul then add, as `_c`. */
static inline __attribute__((always_inline)) void
gain_group(float *const *out, size_t K, const float *in, size_t n, const float *g) {
    float *o[4];
    __m256 v[4];
    for (size_t j = 0; j < K; j++) {
        o[j] = out[j];
        v[j] = _mm256_set1_ps(g[j]);
    }
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 x = _mm256_loadu_ps(in + i);
        for (size_t j = 0; j < K; j++)
            _mm256_storeu_ps(o[j] + i,
                             _mm256_add_ps(_mm256_loadu_ps(o[j] + i), _mm256_mul_ps(x, v[j])));
    }
    for (; i < n; i++)
        for (size_t j = 0; j < K; j++) {
            const float p = in[i] * g[j];
            o[j][i] = o[j][i] + p;
        }
}

void objr__mix_gain_f32_avx2(float *const *out, size_t n_out, const float *in, size_t n,
                             const float *g) {
    size_t c = 0;
    for (; c + 4 <= n_out; c += 4)
        gain_group(out + c, 4, in, n, g + c);
    switch (n_out - c) {
    case 3:
        gain_group(out + c, 3, in, n, g + c);
        break;
    case 2:
        gain_group(out + c, 2, in, n, g + c);
        break;
    case 1:
        gain_group(out + c, 1, in, n, g + c);
        break;
    default:
        break;
    }
}

void objr__mix_add_f32_avx2(float *out, const float *in, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(out + i, _mm256_add_ps(_mm256_loadu_ps(out + i), _mm256_loadu_ps(in + i)));
    for (; i < n; i++)
        out[i] = out[i] + in[i];
}
