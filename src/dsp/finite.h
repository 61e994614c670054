/* SPDX-License-Identifier: BSD-3-Clause */
/* Non-finite sample guards for the renderers' inputs and the intake of audio: a whole-block
 * finiteness test cheap enough to run on every block (IEEE 754 binary32: a value is NaN or
 * infinite exactly when its exponent field is all ones), a copy that replaces NaN and
 * infinities with silence, so that recursive state (reverbs, IIR filters, overlap-save
 * histories) can never be poisoned, and a search for the first one (the mix reader and the
 * mastering meters name where it is). */
#ifndef OBJR_SRC_DSP_FINITE_H
#define OBJR_SRC_DSP_FINITE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "src/core/core.h"

/** 1 when every x[i], i < n, is finite (n = 0 included), else 0. Branch-free over the block
 *  (integer AND, ADD and OR over the bit patterns, which compilers vectorise). */
OBJR_HIDDEN int objr__finite_all_f32(const float *x, size_t n);

/** dst[i] = src[i] when finite, else 0.0f; @p dst may equal @p src. Returns the number of
 *  samples replaced. */
OBJR_HIDDEN size_t objr__finite_copy_f32(float *dst, const float *src, size_t n);

/* Largest magnitude and non-finite detection in one integer pass (the meter's sample peak):
 * for binary32 with the sign bit cleared, the integer order of the bit patterns is the order
 * of the magnitudes, and every pattern at or above 0x7f800000 is inf or NaN. An integer max
 * reduction vectorises without -ffast-math (a float one does not). */
/** Bit pattern of max |x[i]| (sign cleared) over x[0..n); 0 for n = 0. A result at or above
 *  OBJR__ABSMAX_NONFINITE means some x[i] is inf or NaN. */
#define OBJR__ABSMAX_NONFINITE 0x7f800000u

static inline uint32_t objr__absmax_bits(const float *x, size_t n) {
    uint32_t m = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &x[i], sizeof u);
        u &= 0x7fffffffu;
        m = u > m ? u : m;
    }
    return m;
}

/** The magnitude whose bit pattern objr__absmax_bits() returned. */
static inline float objr__absmax_value(uint32_t bits) {
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

/** objr__absmax_bits() as a kernel: the portable reference and an AVX2 variant (8 lanes of
 *  VPAND + VPMAXUD: the same integer maximum, so bit-exact), chosen at run time. */
typedef uint32_t (*objr__absmax_fn)(const float *x, size_t n);
OBJR_HIDDEN uint32_t objr__absmax_bits_c(const float *x, size_t n);
#if defined(OBJR_HAVE_SIMD) && (defined(__x86_64__) || defined(__i386__))
OBJR_HIDDEN uint32_t objr__absmax_bits_avx2(const float *x, size_t n);
#endif
/** Best kernel for the CPU flags (objr__cpu_flags()). */
OBJR_HIDDEN objr__absmax_fn objr__absmax_select(unsigned cpu_flags);

/** Index of the first non-finite value in x[0..n), or (size_t)-1 when all are finite. */
OBJR_HIDDEN size_t objr__find_nonfinite_f32(const float *x, size_t n);

#endif /* OBJR_SRC_DSP_FINITE_H */
