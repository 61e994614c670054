/* SPDX-License-Identifier: BSD-3-Clause */
/* Mixing kernels: the portable C reference (the specification of every SIMD variant), run-time
 * dispatch, the optional OBJR_CHECK_SIMD cross-check, and FTZ/DAZ control (STYLE.md §7). */
#include "src/dsp/mix.h"

#include <math.h>
#include <string.h>

void objr__mix_ramp_f32_c(float *const *out, size_t n_out, const float *in, size_t n,
                          const float *g0, const float *g1, size_t offset, size_t len) {
    const float inv = 1.0f / (float)len;
    for (size_t c = 0; c < n_out; c++) {
        float *o = out[c];
        const float a = g0[c], d = g1[c] - g0[c];
        for (size_t i = 0; i < n; i++) {
            const float t = (float)(i + offset) * inv;
            const float dt = d * t;
            const float g = a + dt;
            const float p = in[i] * g;
            o[i] = o[i] + p;
        }
    }
}

void objr__mix_gain_f32_c(float *const *out, size_t n_out, const float *in, size_t n,
                          const float *g) {
    for (size_t c = 0; c < n_out; c++) {
        float *o = out[c];
        const float gc = g[c];
        for (size_t i = 0; i < n; i++) {
            const float p = in[i] * gc;
            o[i] = o[i] + p;
        }
    }
}

void objr__mix_add_f32_c(float *out, const float *in, size_t n) {
    for (size_t i = 0; i < n; i++)
        out[i] = out[i] + in[i];
}

#if defined(OBJR_CHECK_SIMD) && (defined(OBJR__MIX_HAVE_X86) || defined(OBJR__MIX_HAVE_NEON))
/* OBJR_CHECK_SIMD: every SIMD call is replayed by the reference on a copy of each output, in
 * chunks that fit a stack buffer, and compared under the documented tolerance. */
#define CHECK_CHUNK 256

static void check_ramp(objr__mix_ramp_fn simd, int fma, float *const *out, size_t n_out,
                       const float *in, size_t n, const float *g0, const float *g1, size_t offset,
                       size_t len) {
    for (size_t c = 0; c < n_out; c++) {
        for (size_t s = 0; s < n; s += CHECK_CHUNK) {
            size_t m = n - s < CHECK_CHUNK ? n - s : CHECK_CHUNK;
            float before[CHECK_CHUNK], ref[CHECK_CHUNK];
            memcpy(before, out[c] + s, m * sizeof(float));
            memcpy(ref, before, m * sizeof(float));
            float *r = ref, *o = out[c] + s;
            objr__mix_ramp_f32_c(&r, 1, in + s, m, g0 + c, g1 + c, offset + s, len);
            simd(&o, 1, in + s, m, g0 + c, g1 + c, offset + s, len);
            float gmax = fmaxf(fabsf(g0[c]), fabsf(g1[c]));
            for (size_t i = 0; i < m; i++) {
                if (fma) {
                    float tol = OBJR__MIX_FMA_EPS * (fabsf(before[i]) + fabsf(in[s + i]) * gmax);
                    OBJR_ASSERT(fabsf(o[i] - ref[i]) <= tol || (isnan(o[i]) && isnan(ref[i])));
                } else {
                    OBJR_ASSERT(memcmp(&o[i], &ref[i], sizeof(float)) == 0 ||
                                (isnan(o[i]) && isnan(ref[i])));
                }
            }
        }
    }
}

static void check_gain(objr__mix_gain_fn simd, float *const *out, size_t n_out, const float *in,
                       size_t n, const float *g) {
    for (size_t c = 0; c < n_out; c++) {
        for (size_t s = 0; s < n; s += CHECK_CHUNK) {
            size_t m = n - s < CHECK_CHUNK ? n - s : CHECK_CHUNK;
            float ref[CHECK_CHUNK];
            memcpy(ref, out[c] + s, m * sizeof(float));
            float *r = ref, *o = out[c] + s;
            objr__mix_gain_f32_c(&r, 1, in + s, m, g + c);
            simd(&o, 1, in + s, m, g + c);
            for (size_t i = 0; i < m; i++)
                OBJR_ASSERT(memcmp(&o[i], &ref[i], sizeof(float)) == 0 ||
                            (isnan(o[i]) && isnan(ref[i])));
        }
    }
}

static void check_add(objr__mix_add_fn simd, float *out, const float *in, size_t n) {
    for (size_t s = 0; s < n; s += CHECK_CHUNK) {
        size_t m = n - s < CHECK_CHUNK ? n - s : CHECK_CHUNK;
        float ref[CHECK_CHUNK];
        memcpy(ref, out + s, m * sizeof(float));
        objr__mix_add_f32_c(ref, in + s, m);
        simd(out + s, in + s, m);
        for (size_t i = 0; i < m; i++)
            OBJR_ASSERT(memcmp(&out[s + i], &ref[i], sizeof(float)) == 0 ||
                        (isnan(out[s + i]) && isnan(ref[i])));
    }
}

#define CHECKED(isa, fma)                                                                          \
    static void ramp_checked_##isa(float *const *out, size_t n_out, const float *in, size_t n,     \
                                   const float *g0, const float *g1, size_t offset, size_t len) {  \
        check_ramp(objr__mix_ramp_f32_##isa, fma, out, n_out, in, n, g0, g1, offset, len);         \
    }                                                                                              \
    static void gain_checked_##isa(float *const *out, size_t n_out, const float *in, size_t n,     \
                                   const float *g) {                                               \
        check_gain(objr__mix_gain_f32_##isa, out, n_out, in, n, g);                                \
    }                                                                                              \
    static void add_checked_##isa(float *out, const float *in, size_t n) {                         \
        check_add(objr__mix_add_f32_##isa, out, in, n);                                            \
    }
#ifdef OBJR__MIX_HAVE_X86
CHECKED(sse2, 0)
CHECKED(avx2, 1)
#endif
#ifdef OBJR__MIX_HAVE_NEON
CHECKED(neon, 0)
#endif
#define PICK(kind, isa) kind##_checked_##isa
#else
#define PICK(kind, isa) objr__mix_##kind##_f32_##isa
#endif

void objr__mixdsp_init(objr__mixdsp *d, unsigned cpu) {
    d->ramp_f32 = objr__mix_ramp_f32_c;
    d->gain_f32 = objr__mix_gain_f32_c;
    d->add_f32 = objr__mix_add_f32_c;
    d->isa = 0;
#ifdef OBJR__MIX_HAVE_X86
    if (cpu & OBJR_CPU_SSE2) {
        d->ramp_f32 = PICK(ramp, sse2);
        d->gain_f32 = PICK(gain, sse2);
        d->add_f32 = PICK(add, sse2);
        d->isa = OBJR_CPU_SSE2;
    }
    if (cpu & OBJR_CPU_AVX2) {
        d->ramp_f32 = PICK(ramp, avx2);
        d->gain_f32 = PICK(gain, avx2);
        d->add_f32 = PICK(add, avx2);
        d->isa = OBJR_CPU_AVX2;
    }
#endif
#ifdef OBJR__MIX_HAVE_NEON
    if (cpu & OBJR_CPU_NEON) {
        d->ramp_f32 = PICK(ramp, neon);
        d->gain_f32 = PICK(gain, neon);
        d->add_f32 = PICK(add, neon);
        d->isa = OBJR_CPU_NEON;
    }
#endif
    (void)cpu;
}
