/* SPDX-License-Identifier: BSD-3-Clause */
/* Largest magnitude of a float array and non-finite detection in one integer pass: for
 * IEEE-754 binary32 with the sign bit cleared, the integer order of the bit patterns is the
 * order of the magnitudes, and every pattern at or above 0x7f800000 is inf or NaN. An integer
 * max reduction vectorises without -ffast-math (a float one does not). */
#ifndef OBJR_SRC_DSP_ABSMAX_H
#define OBJR_SRC_DSP_ABSMAX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

#endif /* OBJR_SRC_DSP_ABSMAX_H */
