/* SPDX-License-Identifier: BSD-3-Clause */
/* Decorrelation filters for the diffuse path of Objects (ITU-R BS.2127-1 §7.4): one random-phase
 * all-pass FIR per loudspeaker, and the delay the direct path needs to stay aligned. */
#ifndef OBJR_RENDERERS_DECORRELATE_H
#define OBJR_RENDERERS_DECORRELATE_H

#include <stddef.h>
#include <stdint.h>

#include "layouts/layout.h"
#include "objrender/objr_status.h"
#include "src/core.h"

/** BS.2127 filter length. */
#define OBJR__DECORR_TAPS 512

/**
 * One filter (BS.2127-1 §7.4): spectrum of unit magnitude, phase 0 at DC and Nyquist and
 * 2*pi*u_k for bins k = 1 .. n_taps/2 - 1, u_k = (k-th raw output of MT19937 seeded with
 * @p seed) / 2^32; the taps are its inverse real DFT.
 * @param n_taps even, >= 4
 * @param[out] h n_taps taps
 * @return OBJR_OK or OBJR_ERR_INVALID_ARG
 */
OBJR_HIDDEN objr_status objr__decorrelate_design_one(uint32_t seed, size_t n_taps, double *h);

/**
 * One filter per speaker of @p layout (LFE included, as BS.2127 does); the seed of speaker i is
 * the index of its label in the byte-wise sorted list of all the layout's labels.
 * @param[out] filters layout->n_speakers x n_taps, speaker-major
 * @return OBJR_OK or OBJR_ERR_INVALID_ARG
 */
OBJR_HIDDEN objr_status objr__decorrelate_design(const objr__layout *layout, size_t n_taps,
                                                 double *filters);

/** Delay in samples to apply to the direct path: (n_taps - 1) / 2 (255 for 512 taps). */
OBJR_HIDDEN size_t objr__decorrelate_delay(size_t n_taps);

#endif /* OBJR_RENDERERS_DECORRELATE_H */
