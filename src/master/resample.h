/* SPDX-License-Identifier: BSD-3-Clause */
/* Sample-rate conversion for delivery (libsamplerate, SRC_SINC_BEST_QUALITY): internal API. */
#ifndef OBJR_SRC_MASTER_RESAMPLE_H
#define OBJR_SRC_MASTER_RESAMPLE_H

#include <stddef.h>

#include "src/core/core.h"

typedef struct objr__resampler objr__resampler;

/** @return OBJR_OK, OBJR_ERR_INVALID_ARG (rates/ratio outside libsamplerate's 1/256..256), NOMEM.
 */
OBJR_HIDDEN objr_status objr__resampler_create(unsigned n_channels, double in_rate_hz,
                                               double out_rate_hz, objr__resampler **out);
OBJR_HIDDEN void objr__resampler_destroy(objr__resampler *r);
/**
 * Convert interleaved frames. Consumes up to n_in frames (*used) and produces up to out_cap
 * frames (*produced). Set @p end_of_input on the last call(s) and keep calling with n_in = 0
 * until *produced is 0 to drain. @return OBJR_OK or OBJR_ERR_INTERNAL (libsamplerate error).
 */
OBJR_HIDDEN objr_status objr__resampler_process(objr__resampler *r, const float *in, size_t n_in,
                                                size_t *used, float *out, size_t out_cap,
                                                size_t *produced, int end_of_input);

#endif /* OBJR_SRC_MASTER_RESAMPLE_H */
