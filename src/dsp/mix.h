/* SPDX-License-Identifier: BSD-3-Clause */
/* Mixing kernels of the loudspeaker renderer: one input signal into many outputs with a gain
 * ramp (BS.2127-1 §7.3 linear gain interpolation between block-format gain vectors), with a
 * constant gain, and a plain accumulate (diffuse bus sums). Run-time ISA dispatch (STYLE.md §7). */
#ifndef OBJR_SRC_DSP_MIX_H
#define OBJR_SRC_DSP_MIX_H

#include <stddef.h>

#include "src/core/core.h"

/**
 * Ramp mix, the specification (every variant computes this):
 *
 *     inv = 1.0f / (float)len
 *     for c in [0, n_out), i in [0, n):
 *         t   = (float)(i + offset) * inv
 *         g   = g0[c] + (g1[c] - g0[c]) * t
 *         out[c][i] += in[i] * g
 *
 * i.e. the gain moves linearly from g0 (at sample index -offset of this call) to g1 (at index
 * len - offset); a caller that splits one ramp over several calls passes the running offset.
 * Requires len > 0 and offset + n <= 2^24 so that the float index is exact. Outputs must not
 * alias @p in or each other. Any alignment, any n (0 included).
 *
 * Tolerances against the `_c` reference (checked by tests/unit/test_mix.c and, with
 * -DOBJR_CHECK_SIMD=ON, inside every call):
 *  - gain_f32 and add_f32: bit-exact for every ISA (same operations, same order).
 *  - ramp_f32, SSE2/NEON: bit-exact (mul and add, no contraction).
 *  - ramp_f32, AVX2+FMA: fused multiply-adds round once instead of twice, so
 *        |y - y_c| <= OBJR__MIX_FMA_EPS * (|out_before| + |in| * max(|g0|, |g1|))
 *    per sample, with OBJR__MIX_FMA_EPS = 4 * FLT_EPSILON.
 */
typedef void (*objr__mix_ramp_fn)(float *const *out, size_t n_out, const float *in, size_t n,
                                  const float *g0, const float *g1, size_t offset, size_t len);
/** out[c][i] += in[i] * g[c] for c in [0, n_out), i in [0, n). Bit-exact across ISAs. */
typedef void (*objr__mix_gain_fn)(float *const *out, size_t n_out, const float *in, size_t n,
                                  const float *g);
/** out[i] += in[i] for i in [0, n). Bit-exact across ISAs. */
typedef void (*objr__mix_add_fn)(float *out, const float *in, size_t n);

#define OBJR__MIX_FMA_EPS (4.0f * 1.1920929e-7f)

/** Function-pointer table chosen once at create time (no per-call feature tests). */
typedef struct objr__mixdsp {
    objr__mix_ramp_fn ramp_f32;
    objr__mix_gain_fn gain_f32;
    objr__mix_add_fn add_f32;
    unsigned isa; /**< the objr_cpu_feature bit of the widest ISA chosen, 0 = C reference */
} objr__mixdsp;

/** Fill @p d with the `_c` kernels, then override in ascending ISA order as @p cpu allows. */
OBJR_HIDDEN void objr__mixdsp_init(objr__mixdsp *d, unsigned cpu);

/* Reference kernels (the specification). */
OBJR_HIDDEN void objr__mix_ramp_f32_c(float *const *out, size_t n_out, const float *in, size_t n,
                                      const float *g0, const float *g1, size_t offset, size_t len);
OBJR_HIDDEN void objr__mix_gain_f32_c(float *const *out, size_t n_out, const float *in, size_t n,
                                      const float *g);
OBJR_HIDDEN void objr__mix_add_f32_c(float *out, const float *in, size_t n);

#if defined(OBJR_HAVE_SIMD) && (defined(__x86_64__) || defined(__i386__))
OBJR_HIDDEN void objr__mix_ramp_f32_sse2(float *const *out, size_t n_out, const float *in, size_t n,
                                         const float *g0, const float *g1, size_t offset,
                                         size_t len);
OBJR_HIDDEN void objr__mix_gain_f32_sse2(float *const *out, size_t n_out, const float *in, size_t n,
                                         const float *g);
OBJR_HIDDEN void objr__mix_add_f32_sse2(float *out, const float *in, size_t n);
OBJR_HIDDEN void objr__mix_ramp_f32_avx2(float *const *out, size_t n_out, const float *in, size_t n,
                                         const float *g0, const float *g1, size_t offset,
                                         size_t len);
OBJR_HIDDEN void objr__mix_gain_f32_avx2(float *const *out, size_t n_out, const float *in, size_t n,
                                         const float *g);
OBJR_HIDDEN void objr__mix_add_f32_avx2(float *out, const float *in, size_t n);
#define OBJR__MIX_HAVE_X86 1
#endif
#if defined(OBJR_HAVE_SIMD) && defined(__aarch64__)
OBJR_HIDDEN void objr__mix_ramp_f32_neon(float *const *out, size_t n_out, const float *in, size_t n,
                                         const float *g0, const float *g1, size_t offset,
                                         size_t len);
OBJR_HIDDEN void objr__mix_gain_f32_neon(float *const *out, size_t n_out, const float *in, size_t n,
                                         const float *g);
OBJR_HIDDEN void objr__mix_add_f32_neon(float *out, const float *in, size_t n);
#define OBJR__MIX_HAVE_NEON 1
#endif

#endif /* OBJR_SRC_DSP_MIX_H */
