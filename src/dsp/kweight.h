/* SPDX-License-Identifier: BSD-3-Clause */
/* ITU-R BS.1770-4 K-weighting (the pre-filter shelf and the RLB high-pass) at any sample rate:
 * the biquad coefficients, and the power response for level calibrations. */
#ifndef OBJR_SRC_DSP_KWEIGHT_H
#define OBJR_SRC_DSP_KWEIGHT_H

#include "src/core/core.h"

/**
 * K-weighting as two biquads (bilinear transform pre-warped at the analogue prototype's
 * frequencies, so that at 48 kHz it gives the Recommendation's coefficients): the shelf
 * b[0..2] / (1, a[1], a[2]), then the high-pass (1, -2, 1) / (1, a[3], a[4]). a[0] = 1.
 */
OBJR_HIDDEN void objr__kweight_design(double rate_hz, double b[3], double a[5]);

/** |H(f)|^2 of the K-weighting (both stages) at @p f_hz for @p rate_hz. */
OBJR_HIDDEN double objr__kweight_power(double f_hz, double rate_hz);

#endif /* OBJR_SRC_DSP_KWEIGHT_H */
