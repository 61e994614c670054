/* SPDX-License-Identifier: BSD-3-Clause */
/* Streaming true-peak detector (ITU-R BS.1770-4 Annex 2, with a longer interpolation filter
 * and a higher oversampling ratio than the Annex's example): internal API. */
#ifndef OBJR_SRC_MASTER_TRUEPEAK_H
#define OBJR_SRC_MASTER_TRUEPEAK_H

#include <stddef.h>

#include "src/core/core.h"
#include "src/dsp/tpfir.h"

/** Taps per polyphase branch of the interpolator. */
#define OBJR_TP_TAPS_PER_PHASE 32

typedef struct objr__tp objr__tp;

/** Oversampling ratio for a sample rate: 8x below 88.2 kHz, 4x below 176.4 kHz, else 2x. */
OBJR_HIDDEN unsigned objr__tp_ratio_for_rate(double rate_hz);
OBJR_HIDDEN objr_status objr__tp_create(unsigned n_channels, double rate_hz, objr__tp **out);
/**
 * A detector with libebur128 1.2's interpolator (49-tap Hann-windowed sinc, 4x below 96 kHz,
 * 2x below 192 kHz, the samples themselves above), run by objrender's kernels and skip
 * bound: its reading, max(objr__tp_peak_flushed(), the sample peak), equals
 * ebur128_true_peak() within float rounding (unit.truepeak compares them), at a fraction of
 * libebur128's cost. objr__tp_delay_frames() is not meaningful for it (not for the limiter).
 */
OBJR_HIDDEN objr_status objr__tp_create_ebur128(unsigned n_channels, double rate_hz,
                                                objr__tp **out);
OBJR_HIDDEN void objr__tp_destroy(objr__tp *tp);
OBJR_HIDDEN void objr__tp_reset(objr__tp *tp);
OBJR_HIDDEN unsigned objr__tp_ratio(const objr__tp *tp);
/**
 * Delay of the detector in input frames: linked[i] holds the peak of the reconstructed signal
 * over input time (i - D - 1, i - D], D = objr__tp_delay_frames().
 */
OBJR_HIDDEN size_t objr__tp_delay_frames(const objr__tp *tp);
/**
 * Feed planar frames. Updates each channel's running maximum; when @p linked is not NULL,
 * linked[i] = max over channels and phases of |y| for the oversampled points of input frame i.
 * Allocation-free.
 */
OBJR_HIDDEN void objr__tp_process(objr__tp *tp, const float *const *in, size_t n_frames,
                                  float *linked);
/**
 * Linked peaks at or below @p level (linear) need not be exact: a channel-chunk whose bound
 * (interpolator gain x sample maximum) stays at or below it is not interpolated. The limiter
 * sets its detector threshold. Without linked output, chunks that cannot raise a channel's
 * running maximum are always skipped; results equal the exhaustive computation.
 */
OBJR_HIDDEN void objr__tp_set_floor(objr__tp *tp, double level);
/** Test hook: interpolate every chunk (the reference for the skip bound). */
OBJR_HIDDEN void objr__tp_set_exhaustive(objr__tp *tp, int on);
/** Channel-chunks interpolated and skipped since create/reset (statistics, benchmarks). */
OBJR_HIDDEN void objr__tp_counts(const objr__tp *tp, size_t *n_run, size_t *n_skipped);
/** As objr__tp_process(), for interleaved frames. */
OBJR_HIDDEN void objr__tp_process_interleaved(objr__tp *tp, const float *in, size_t n_frames,
                                              float *linked);
/** Largest running peak over the channels (exact above the floor when linked peaks are
 *  asked for). */
OBJR_HIDDEN double objr__tp_max_peak(const objr__tp *tp);
/** Running linear maximum |y| of channel @p ch since create/reset. */
OBJR_HIDDEN double objr__tp_peak(const objr__tp *tp, unsigned ch);
/** As objr__tp_peak(), including the frames still inside the filter as if silence followed. */
OBJR_HIDDEN double objr__tp_peak_flushed(const objr__tp *tp, unsigned ch);

#endif /* OBJR_SRC_MASTER_TRUEPEAK_H */
