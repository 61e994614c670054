/* SPDX-License-Identifier: BSD-3-Clause */
/* NEON mixing kernels (aarch64 only; NEON is baseline there). Separate vmulq/vaddq, no fused
 * multiply-add, so every kernel is bit-exact with the `_c` reference in src/dsp/mix.c. */
#include "src/dsp/mix.h"

#if defined(__aarch64__) && defined(OBJR_HAVE_SIMD)
#include <arm_neon.h>

void objr__mix_ramp_f32_neon(float *const *out, size_t n_out, const float *in, size_t n,
                             const float *g0, const float *g1, size_t offset, size_t len) {
    const float inv = 1.0f / (float)len;
    const float32x4_t vinv = vdupq_n_f32(inv), four = vdupq_n_f32(4.0f);
    const float lanes[4] = {0.f, 1.f, 2.f, 3.f};
    for (size_t c = 0; c < n_out; c++) {
        float *o = out[c];
        const float a = g0[c], d = g1[c] - g0[c];
        const float32x4_t va = vdupq_n_f32(a), vd = vdupq_n_f32(d);
        float32x4_t idx = vaddq_f32(vdupq_n_f32((float)offset), vld1q_f32(lanes));
        size_t i = 0;
        for (; i + 4 <= n; i += 4) {
            float32x4_t t = vmulq_f32(idx, vinv);
            float32x4_t g = vaddq_f32(va, vmulq_f32(vd, t));
            float32x4_t p = vmulq_f32(vld1q_f32(in + i), g);
            vst1q_f32(o + i, vaddq_f32(vld1q_f32(o + i), p));
            idx = vaddq_f32(idx, four);
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

void objr__mix_gain_f32_neon(float *const *out, size_t n_out, const float *in, size_t n,
                             const float *g) {
    for (size_t c = 0; c < n_out; c++) {
        float *o = out[c];
        const float32x4_t v = vdupq_n_f32(g[c]);
        size_t i = 0;
        for (; i + 4 <= n; i += 4)
            vst1q_f32(o + i, vaddq_f32(vld1q_f32(o + i), vmulq_f32(vld1q_f32(in + i), v)));
        for (; i < n; i++) {
            const float p = in[i] * g[c];
            o[i] = o[i] + p;
        }
    }
}

void objr__mix_add_f32_neon(float *out, const float *in, size_t n) {
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        vst1q_f32(out + i, vaddq_f32(vld1q_f32(out + i), vld1q_f32(in + i)));
    for (; i < n; i++)
        out[i] = out[i] + in[i];
}
#else
/* Not aarch64: nothing to build (ISO C forbids an empty translation unit). */
typedef int objr__mix_neon_unused;
#endif
