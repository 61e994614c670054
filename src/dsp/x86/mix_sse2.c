/* SPDX-License-Identifier: BSD-3-Clause */
/* SSE2 mixing kernels: bit-exact with the `_c` reference in src/dsp/mix.c (same operations in
 * the same order, 4 samples at a time, unaligned loads, scalar tails). */
#include "src/dsp/mix.h"

#include <emmintrin.h>

void objr__mix_ramp_f32_sse2(float *const *out, size_t n_out, const float *in, size_t n,
                             const float *g0, const float *g1, size_t offset, size_t len) {
    const float inv = 1.0f / (float)len;
    const __m128 vinv = _mm_set1_ps(inv);
    const __m128 four = _mm_set1_ps(4.0f);
    for (size_t c = 0; c < n_out; c++) {
        float *o = out[c];
        const float a = g0[c], d = g1[c] - g0[c];
        const __m128 va = _mm_set1_ps(a), vd = _mm_set1_ps(d);
        size_t i = 0;
        if (n >= 4) {
            /* Index vector as exact floats (offset + n <= 2^24). */
            __m128 idx = _mm_add_ps(_mm_set1_ps((float)offset), _mm_setr_ps(0.f, 1.f, 2.f, 3.f));
            for (; i + 4 <= n; i += 4) {
                __m128 t = _mm_mul_ps(idx, vinv);
                __m128 g = _mm_add_ps(va, _mm_mul_ps(vd, t));
                __m128 p = _mm_mul_ps(_mm_loadu_ps(in + i), g);
                _mm_storeu_ps(o + i, _mm_add_ps(_mm_loadu_ps(o + i), p));
                idx = _mm_add_ps(idx, four);
            }
        }
        for (; i < n; i++) {
            const float t = (float)(i + offset) * inv;
            const float dt = d * t;
            const float g = a + dt;
            const float p = in[i] * g;
            o[i] = o[i] + p;
        }
    }
}

void objr__mix_gain_f32_sse2(float *const *out, size_t n_out, const float *in, size_t n,
                             const float *g) {
    size_t c = 0;
    /* Two outputs per pass halve the input loads. */
    for (; c + 2 <= n_out; c += 2) {
        float *o0 = out[c], *o1 = out[c + 1];
        const __m128 v0 = _mm_set1_ps(g[c]), v1 = _mm_set1_ps(g[c + 1]);
        size_t i = 0;
        for (; i + 4 <= n; i += 4) {
            __m128 x = _mm_loadu_ps(in + i);
            _mm_storeu_ps(o0 + i, _mm_add_ps(_mm_loadu_ps(o0 + i), _mm_mul_ps(x, v0)));
            _mm_storeu_ps(o1 + i, _mm_add_ps(_mm_loadu_ps(o1 + i), _mm_mul_ps(x, v1)));
        }
        for (; i < n; i++) {
            const float p0 = in[i] * g[c], p1 = in[i] * g[c + 1];
            o0[i] = o0[i] + p0;
            o1[i] = o1[i] + p1;
        }
    }
    for (; c < n_out; c++) {
        float *o = out[c];
        const __m128 v = _mm_set1_ps(g[c]);
        size_t i = 0;
        for (; i + 4 <= n; i += 4)
            _mm_storeu_ps(o + i,
                          _mm_add_ps(_mm_loadu_ps(o + i), _mm_mul_ps(_mm_loadu_ps(in + i), v)));
        for (; i < n; i++) {
            const float p = in[i] * g[c];
            o[i] = o[i] + p;
        }
    }
}

void objr__mix_add_f32_sse2(float *out, const float *in, size_t n) {
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        _mm_storeu_ps(out + i, _mm_add_ps(_mm_loadu_ps(out + i), _mm_loadu_ps(in + i)));
    for (; i < n; i++)
        out[i] = out[i] + in[i];
}
