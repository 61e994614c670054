/* SPDX-License-Identifier: BSD-3-Clause */
/* ITU-R BS.1770-4 K-weighting (the pre-filter shelf and the RLB high-pass) at any sample rate:
 * the biquad coefficients, the power response for level calibrations, and the meter's hot
 * loop (every channel of interleaved frames in one pass, accumulating each channel's sum of
 * squares) with run-time ISA dispatch (STYLE.md §7). */
#ifndef OBJR_SRC_DSP_KWEIGHT_H
#define OBJR_SRC_DSP_KWEIGHT_H

#include <stddef.h>

#include "src/core/core.h"

/**
 * K-weighting as two biquads (bilinear transform pre-warped at the analogue prototype's
 * frequencies, so that at 48 kHz it gives the Recommendation's coefficients): the shelf
 * b[0..2] / (1, a[1], a[2]), then the high-pass (1, -2, 1) / (1, a[3], a[4]). a[0] = 1.
 */
OBJR_HIDDEN void objr__kweight_design(double rate_hz, double b[3], double a[5]);

/** |H(f)|^2 of the K-weighting (both stages) at @p f_hz for @p rate_hz. */
OBJR_HIDDEN double objr__kweight_power(double f_hz, double rate_hz);

/** The two biquads (a[0] = 1; the high-pass numerator is 1, -2, 1). */
typedef struct objr__kw_coef {
    double b0, b1, b2, a1, a2; /**< shelf */
    double c1, c2;             /**< high-pass denominator */
} objr__kw_coef;

/**
 * The specification (every variant computes exactly this, in double precision, no FMA):
 *
 *     for c in [0, n_channels):                 z0..z3 = z[0*nc + c] .. z[3*nc + c]
 *         s = 0
 *         for i in [0, n_frames):
 *             v  = (double)x[i * n_channels + c]
 *             y  = b0*v + z0;   z0 = b1*v - a1*y + z1;   z1 = b2*v - a2*y      (shelf, DF2T)
 *             u  = y + z2;      z2 = -2*y - c1*u + z3;   z3 = y - c2*u         (high-pass)
 *             s += u*u
 *         acc[c] += s
 *
 * Channels are independent, so a variant may run several channels in the lanes of one
 * vector frame by frame: each channel's operations and sum order are those above, so every
 * variant is bit-exact with `_c`. Any n_channels, n_frames (0 included), any alignment.
 */
typedef void (*objr__kweight_fn)(const float *x, size_t n_channels, size_t n_frames,
                                 const objr__kw_coef *k, double *z, double *acc);

OBJR_HIDDEN void objr__kweight_sumsq_c(const float *x, size_t n_channels, size_t n_frames,
                                       const objr__kw_coef *k, double *z, double *acc);
#if defined(OBJR_HAVE_SIMD) && (defined(__x86_64__) || defined(__i386__))
OBJR_HIDDEN void objr__kweight_sumsq_avx2(const float *x, size_t n_channels, size_t n_frames,
                                          const objr__kw_coef *k, double *z, double *acc);
#endif

/** One channel of the reference (shared by `_c` and the scalar channels of the variants). */
static inline void objr__kweight_column(const float *x, size_t stride, size_t n,
                                        const objr__kw_coef *k, double *zc, size_t zs,
                                        double *acc) {
    double z0 = zc[0], z1 = zc[zs], z2 = zc[2 * zs], z3 = zc[3 * zs], s = 0.0;
    const double b0 = k->b0, b1 = k->b1, b2 = k->b2, a1 = k->a1, a2 = k->a2;
    const double c1 = k->c1, c2 = k->c2;
    for (size_t i = 0; i < n; i++) {
        const double v = (double)x[i * stride];
        const double y = b0 * v + z0;
        z0 = b1 * v - a1 * y + z1;
        z1 = b2 * v - a2 * y;
        const double u = y + z2;
        z2 = -2.0 * y - c1 * u + z3;
        z3 = y - c2 * u;
        s += u * u;
    }
    zc[0] = z0;
    zc[zs] = z1;
    zc[2 * zs] = z2;
    zc[3 * zs] = z3;
    *acc += s;
}

/** Best kernel for the CPU flags (objr__cpu_flags()). */
OBJR_HIDDEN objr__kweight_fn objr__kweight_select(unsigned cpu_flags);

#endif /* OBJR_SRC_DSP_KWEIGHT_H */
