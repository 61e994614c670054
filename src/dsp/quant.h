/* SPDX-License-Identifier: BSD-3-Clause */
/* Word-length reduction kernels: float samples plus a dither value per sample to integer PCM
 * (left-justified in int32, as libsndfile's int API takes it) and back to float, with
 * clamping, for the mastering dither (src/master/dither.c), with run-time ISA dispatch
 * (STYLE.md §7). */
#ifndef OBJR_SRC_DSP_QUANT_H
#define OBJR_SRC_DSP_QUANT_H

#include <stddef.h>
#include <stdint.h>

#include "src/core/core.h"

/** The output word: 2 <= bits <= 24 significant bits. */
typedef struct objr__quant_word {
    double scale;   /**< 2^(bits - 1): full scale in LSB */
    double inv;     /**< 1 / scale */
    double lo, hi;  /**< -scale, scale - 1: the codes */
    int shift;      /**< 32 - bits: left-justification in int32 */
    int keep_exact; /**< samples already on the grid pass unchanged (no dither added) */
} objr__quant_word;

/** The word for @p bits (16 or 24 in the master). */
OBJR_HIDDEN objr__quant_word objr__quant_word_make(unsigned bits, int keep_exact);

/**
 * Quantise @p n samples, the specification (every variant computes this, bit for bit):
 *
 *     v = (double)x[k] * scale
 *     y = floor(v + t[k] + 0.5)                   (t == NULL: t[k] = 0)
 *     if keep_exact and floor(v) == v: y = v      (nothing to requantise)
 *     if y > hi or y is NaN: y = hi, clipped++;   else if y < lo: y = lo, clipped++
 *     out[k] = (int32_t)((uint32_t)(int32_t)y << shift)
 *     q[k] = (float)(y * inv)                      (when q != NULL; q may be x)
 *
 * The sums are in double, as written (no FMA). Returns the number clipped. Any length and
 * alignment; @p out and @p q must not overlap @p t or each other.
 */
typedef size_t (*objr__quant_f32_fn)(const float *x, const double *t, size_t n,
                                     const objr__quant_word *w, int32_t *out, float *q);

/** Function-pointer table chosen once at init (no per-call feature tests). */
typedef struct objr__quantdsp {
    objr__quant_f32_fn quant_f32;
    unsigned isa; /**< the objr_cpu_feature bit of the widest ISA chosen, 0 = C reference */
} objr__quantdsp;

/** Fill @p d with the `_c` kernels, then override in ascending ISA order as @p cpu allows. */
OBJR_HIDDEN void objr__quantdsp_init(objr__quantdsp *d, unsigned cpu);

/* Reference kernel (the specification). */
OBJR_HIDDEN size_t objr__quant_f32_c(const float *x, const double *t, size_t n,
                                     const objr__quant_word *w, int32_t *out, float *q);

#if defined(OBJR_HAVE_SIMD) && (defined(__x86_64__) || defined(__i386__))
OBJR_HIDDEN size_t objr__quant_f32_avx2(const float *x, const double *t, size_t n,
                                        const objr__quant_word *w, int32_t *out, float *q);
#define OBJR__QUANT_HAVE_X86 1
#endif

#endif /* OBJR_SRC_DSP_QUANT_H */
