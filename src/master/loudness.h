/* SPDX-License-Identifier: BSD-3-Clause */
/* Loudness meter internals shared with the mastering pipeline (BS.1770-4). */
#ifndef OBJR_SRC_MASTER_LOUDNESS_H
#define OBJR_SRC_MASTER_LOUDNESS_H

#include <stddef.h>

#include "objrender/objr_master.h"
#include "src/core/core.h"

/** Largest channel count the meter and the mastering pipeline accept. */
#define OBJR_LOUDNESS_MAX_CHANNELS OBJR_MASTER_MAX_CHANNELS

/** Index of the first NaN/inf in x[0..n), or (size_t)-1. */
OBJR_HIDDEN size_t objr__loudness_find_nonfinite(const float *x, size_t n);
/**
 * The 4x reading (true_peak_ebur128_dbtp) from libebur128's interpolator run by objrender's
 * kernels (objr__tp_create_ebur128: equal to libebur128's within float rounding, about ten
 * times cheaper) instead of libebur128 itself. Call before the first frames; replaces the
 * libebur128 state when there is one. OBJR_ERR_NOMEM leaves the meter as it was.
 */
OBJR_HIDDEN objr_status objr__loudness_use_kernel_4x(objr_loudness_meter *m);

/**
 * Keep a per-poll (10 ms) log of the weighted mean energy and the peak of up to
 * @p max_frames frames (the mastering analysis: the limiter's effect is predicted from it).
 * Poll peaks are linked true peaks (all channels) where they lie within @p exact_within_db of
 * the running maximum, else at least the sample peak. @return OBJR_OK or OBJR_ERR_NOMEM.
 */
OBJR_HIDDEN objr_status objr__loudness_log_enable(objr_loudness_meter *m, size_t max_frames,
                                                  double exact_within_db);
/** The log so far (valid until the next add, reset or destroy); returns its length. */
OBJR_HIDDEN size_t objr__loudness_log(const objr_loudness_meter *m, const double **energy,
                                      const float **peak, size_t *poll_frames);
/**
 * BS.1770-4 integrated loudness of a poll log (gating blocks of 40 polls every 10) after each
 * poll's energy is multiplied by @p scale and by gain[k]^2 (gain may be NULL).
 */
OBJR_HIDDEN double objr__loudness_integrated_from_polls(const double *energy, size_t n,
                                                        double scale, const float *gain);

#endif /* OBJR_SRC_MASTER_LOUDNESS_H */
