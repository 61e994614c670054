/* SPDX-License-Identifier: BSD-3-Clause */
/* Decorrelation filters for the diffuse path of Objects (ITU-R BS.2127-1 §7.4): one random-phase
 * all-pass FIR per loudspeaker, and the delay the direct path needs to stay aligned. */
#ifndef OBJR_RENDERERS_LOUDSPEAKER_DECORRELATE_H
#define OBJR_RENDERERS_LOUDSPEAKER_DECORRELATE_H

#include <stddef.h>
#include <stdint.h>

#include "layouts/layout.h"
#include "objrender/objr_status.h"
#include "src/core/core.h"

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

/**
 * Streaming FIR filter bank for the diffuse path: n_channels independent channels, each with
 * its own filter, by uniformly partitioned overlap-save convolution (fftw3f). The output is
 * the plain causal convolution y[i] = sum_k h[k] x[i - k]: no latency beyond the filter's own,
 * whatever n_frames each call has. process is allocation-free; one handle per thread.
 */
typedef struct objr__fir_bank objr__fir_bank;

/**
 * @param filters n_channels x n_taps taps (channel-major), copied
 * @param block_frames partition size, a power of two from 16 to 65536 (256 suits 512 taps)
 * @return OBJR_OK, OBJR_ERR_INVALID_ARG, OBJR_ERR_NOMEM. *out is NULL on failure.
 */
OBJR_HIDDEN objr_status objr__fir_bank_create(const double *filters, size_t n_channels,
                                              size_t n_taps, size_t block_frames,
                                              objr__fir_bank **out);
/** NULL-safe. */
OBJR_HIDDEN void objr__fir_bank_destroy(objr__fir_bank *b);
/** Clear the input history (as if newly created). */
OBJR_HIDDEN void objr__fir_bank_reset(objr__fir_bank *b);
/**
 * Filter n_frames of each channel. Planar buffers (n_channels pointers of n_frames floats);
 * in[c] and out[c] may be the same buffer. NaN and infinite input samples are filtered as
 * silence (they never enter the history), so the output stays finite.
 */
OBJR_HIDDEN void objr__fir_bank_process(objr__fir_bank *b, const float *const *in,
                                        float *const *out, size_t n_frames);

#endif /* OBJR_RENDERERS_LOUDSPEAKER_DECORRELATE_H */
