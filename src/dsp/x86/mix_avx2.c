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

void objr__mix_ramp_f32_avx2(float *const *out, size_t n_out, const float *in, size_t n,
                             const float *g0, const float *g1, size_t offset, size_t len) {
    const float inv = 1.0f / (float)len;
    const __m256 vinv = _mm256_set1_ps(inv);
    const __m256 eight = _mm256_set1_ps(8.0f);
    const __m256 base = _mm256_add_ps(_mm256_set1_ps((float)offset),
                                      _mm256_setr_ps(0.f, 1.f, 2.f, 3.f, 4.f, 5.f, 6.f, 7.f));
    size_t c = 0;
    /* Four outputs per pass share the input load and the ramp parameter t; each output's
     * arithmetic is the same as in the one-output loop below, so results do not depend on
     * the grouping. */
    for (; c + 4 <= n_out; c += 4) {
        float *o0 = out[c], *o1 = out[c + 1], *o2 = out[c + 2], *o3 = out[c + 3];
        const float a0 = g0[c], d0 = g1[c] - g0[c], a1 = g0[c + 1], d1 = g1[c + 1] - g0[c + 1];
        const float a2 = g0[c + 2], d2 = g1[c + 2] - g0[c + 2], a3 = g0[c + 3],
                    d3 = g1[c + 3] - g0[c + 3];
        const __m256 va0 = _mm256_set1_ps(a0), vd0 = _mm256_set1_ps(d0);
        const __m256 va1 = _mm256_set1_ps(a1), vd1 = _mm256_set1_ps(d1);
        const __m256 va2 = _mm256_set1_ps(a2), vd2 = _mm256_set1_ps(d2);
        const __m256 va3 = _mm256_set1_ps(a3), vd3 = _mm256_set1_ps(d3);
        __m256 idx = base;
        size_t i = 0;
        for (; i + 8 <= n; i += 8) {
            const __m256 t = _mm256_mul_ps(idx, vinv);
            const __m256 x = _mm256_loadu_ps(in + i);
            _mm256_storeu_ps(o0 + i, _mm256_fmadd_ps(x, _mm256_fmadd_ps(vd0, t, va0),
                                                     _mm256_loadu_ps(o0 + i)));
            _mm256_storeu_ps(o1 + i, _mm256_fmadd_ps(x, _mm256_fmadd_ps(vd1, t, va1),
                                                     _mm256_loadu_ps(o1 + i)));
            _mm256_storeu_ps(o2 + i, _mm256_fmadd_ps(x, _mm256_fmadd_ps(vd2, t, va2),
                                                     _mm256_loadu_ps(o2 + i)));
            _mm256_storeu_ps(o3 + i, _mm256_fmadd_ps(x, _mm256_fmadd_ps(vd3, t, va3),
                                                     _mm256_loadu_ps(o3 + i)));
            idx = _mm256_add_ps(idx, eight);
        }
        ramp_tail(o0, in, i, n, a0, d0, offset, inv);
        ramp_tail(o1, in, i, n, a1, d1, offset, inv);
        ramp_tail(o2, in, i, n, a2, d2, offset, inv);
        ramp_tail(o3, in, i, n, a3, d3, offset, inv);
    }
    for (; c < n_out; c++) {
        float *o = out[c];
        const float a = g0[c], d = g1[c] - g0[c];
        const __m256 va = _mm256_set1_ps(a), vd = _mm256_set1_ps(d);
        __m256 idx = base;
        size_t i = 0;
        for (; i + 8 <= n; i += 8) {
            __m256 t = _mm256_mul_ps(idx, vinv);
            __m256 g = _mm256_fmadd_ps(vd, t, va);
            _mm256_storeu_ps(o + i,
                             _mm256_fmadd_ps(_mm256_loadu_ps(in + i), g, _mm256_loadu_ps(o + i)));
            idx = _mm256_add_ps(idx, eight);
        }
        ramp_tail(o, in, i, n, a, d, offset, inv);
    }
}

void objr__mix_gain_f32_avx2(float *const *out, size_t n_out, const float *in, size_t n,
                             const float *g) {
    size_t c = 0;
    for (; c + 2 <= n_out; c += 2) {
        float *o0 = out[c], *o1 = out[c + 1];
        const __m256 v0 = _mm256_set1_ps(g[c]), v1 = _mm256_set1_ps(g[c + 1]);
        size_t i = 0;
        for (; i + 8 <= n; i += 8) {
            __m256 x = _mm256_loadu_ps(in + i);
            _mm256_storeu_ps(o0 + i, _mm256_add_ps(_mm256_loadu_ps(o0 + i), _mm256_mul_ps(x, v0)));
            _mm256_storeu_ps(o1 + i, _mm256_add_ps(_mm256_loadu_ps(o1 + i), _mm256_mul_ps(x, v1)));
        }
        for (; i < n; i++) {
            const float p0 = in[i] * g[c], p1 = in[i] * g[c + 1];
            o0[i] = o0[i] + p0;
            o1[i] = o1[i] + p1;
        }
    }
    for (; c < n_out; c++) {
        float *o = out[c];
        const __m256 v = _mm256_set1_ps(g[c]);
        size_t i = 0;
        for (; i + 8 <= n; i += 8)
            _mm256_storeu_ps(o + i, _mm256_add_ps(_mm256_loadu_ps(o + i),
                                                  _mm256_mul_ps(_mm256_loadu_ps(in + i), v)));
        for (; i < n; i++) {
            const float p = in[i] * g[c];
            o[i] = o[i] + p;
        }
    }
}

void objr__mix_add_f32_avx2(float *out, const float *in, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(out + i, _mm256_add_ps(_mm256_loadu_ps(out + i), _mm256_loadu_ps(in + i)));
    for (; i < n; i++)
        out[i] = out[i] + in[i];
}
