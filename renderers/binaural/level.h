/* SPDX-License-Identifier: BSD-3-Clause */
/* Level calibration of the binaural renderer: the loudness-weighted power of filters (the
 * ITU-R BS.1770-4 K-weighting's power response averaged over a pink, 1/f, spectrum from 20 Hz
 * to 20 kHz: the long-term spectrum of music and of programme-simulation noise), for single
 * filters and for an HRTF set's diffuse field. The renderer scales its paths so that diffuse
 * sound reaches each ear with half of its loudness-weighted power, as a power-normalised
 * loudspeaker pan gives each of two channels on average (see binaural.c). Internal. */
#ifndef OBJR_RENDERERS_BINAURAL_LEVEL_H
#define OBJR_RENDERERS_BINAURAL_LEVEL_H

#include <stddef.h>

#include "objrender/objr_binaural.h"
#include "objrender/objr_status.h"
#include "renderers/binaural/hrtf.h"
#include "src/core/core.h"

/** Lowest and highest frequencies of the weighting (Hz; the top is clipped to 0.5 x rate). */
#define OBJR__BLEVEL_LO_HZ 20.0
#define OBJR__BLEVEL_HI_HZ 20000.0

typedef struct objr__blevel objr__blevel;

/** A meter for filters of up to @p max_len taps at @p rate_hz (FFTW plan made here, under
 *  the FFTW lock). @return OBJR_OK, OBJR_ERR_NOMEM, OBJR_ERR_INVALID_ARG, OBJR_ERR_INTERNAL. */
OBJR_HIDDEN objr_status objr__blevel_create(double rate_hz, size_t max_len, objr__blevel **out);
OBJR_HIDDEN void objr__blevel_destroy(objr__blevel *lv);

/** Shape every later measurement by the filter @p h (len taps, <= max_len): powers become
 *  those of the measured filter convolved with @p h. NULL: no shaping. */
OBJR_HIDDEN void objr__blevel_shape(objr__blevel *lv, const float *h, size_t len);

/** Loudness-weighted power of a filter (len <= max_len): sum_k w_k |X(f_k)|^2 with weights
 *  K-weighting power x 1/f, summing to 1, so a unit impulse gives 1 and a filter flat at
 *  gain a gives a^2. */
OBJR_HIDDEN double objr__blevel_power(objr__blevel *lv, const float *x, size_t len);

/** The mean of the two ears' powers of a filter pair. */
OBJR_HIDDEN double objr__blevel_pair(objr__blevel *lv, const float *l, const float *r, size_t len);

/** The set's diffuse-field power: sum over measurements of dfw x the mean of the two ears'
 *  powers of the aligned responses. */
OBJR_HIDDEN double objr__blevel_diffuse(objr__blevel *lv, const objr__hrtf *h);

/**
 * The power gains of the library's own 2.0 render (the ITU-R BS.2127-1 §6.1.2 0+2+0 panner,
 * which lowers rear sources by up to 3 dB): @p front for a source straight ahead, @p diffuse
 * for the diffuse field (averaged over the set's directions with its area weights).
 * @return OBJR_OK, OBJR_ERR_NOMEM, OBJR_ERR_INTERNAL.
 */
OBJR_HIDDEN objr_status objr__blevel_stereo(const objr__hrtf *h, double *front, double *diffuse);

/** The calibration a renderer applies (linear): the direct sound's gain on the set's
 *  normalised responses (objr__hrtf.norm_gain already applied) and the LFE's gain to each
 *  ear. For tests. */
OBJR_HIDDEN void objr__binaural_calibration(const objr_binaural *b, double *direct, double *lfe);

#endif /* OBJR_RENDERERS_BINAURAL_LEVEL_H */
