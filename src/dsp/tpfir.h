/* SPDX-License-Identifier: BSD-3-Clause */
/* Polyphase interpolation kernel for the true-peak detector (BS.1770-4 Annex 2 step 3):
 * for one channel, the maximum |y| of every oversampled point of each input frame. */
#ifndef OBJR_SRC_DSP_TPFIR_H
#define OBJR_SRC_DSP_TPFIR_H

#include <stddef.h>

#include "src/core/core.h"

/** Frames the kernel processes at once (fixed so that the inner loops vectorise). */
#define OBJR_TP_CHUNK 256

/**
 * x: OBJR_TP_CHUNK + taps - 1 input samples (history first); coef: ratio branches of @p taps
 * coefficients each, time-reversed (coef[p*taps + j] multiplies x[n + j]); peak_io[n] is
 * updated to max(peak_io[n], |y_p[n]|) over every branch p, for n < OBJR_TP_CHUNK.
 * acc: scratch of OBJR_TP_CHUNK floats. The C version is the reference; the result is
 * bit-exact between variants that keep the j-order of the sums (no FMA reassociation).
 */
typedef void (*objr__tpfir_fn)(const float *x, const float *coef, unsigned ratio, unsigned taps,
                               float *acc, float *peak_io);

OBJR_HIDDEN void objr__tpfir_peak_c(const float *x, const float *coef, unsigned ratio,
                                    unsigned taps, float *acc, float *peak_io);
#if defined(OBJR_HAVE_SIMD) && (defined(__x86_64__) || defined(__i386__))
OBJR_HIDDEN void objr__tpfir_peak_avx2(const float *x, const float *coef, unsigned ratio,
                                       unsigned taps, float *acc, float *peak_io);
#endif
/** Best kernel for the CPU flags (objr__cpu_flags()). */
OBJR_HIDDEN objr__tpfir_fn objr__tpfir_select(unsigned cpu_flags);

#endif /* OBJR_SRC_DSP_TPFIR_H */
