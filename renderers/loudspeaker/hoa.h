/* SPDX-License-Identifier: BSD-3-Clause */
/* HOA decoder design, ITU-R BS.2127-1 §9 (AllRAD: decode to a dense set of virtual speakers,
 * pan them with the point-source panner, normalise the mean power over the sphere). Internal. */
#ifndef OBJR_RENDERERS_LOUDSPEAKER_HOA_H
#define OBJR_RENDERERS_LOUDSPEAKER_HOA_H

#include <stddef.h>

#include "formats/adm_model.h"
#include "objrender/objr_status.h"
#include "renderers/loudspeaker/psp.h"
#include "src/core/core.h"

/** Highest order accepted (SN3D/N3D; FuMa is defined up to order 3). */
#define OBJR__HOA_MAX_ORDER 10
/** Number of virtual speakers of the AllRAD design. */
#define OBJR__HOA_N_VIRTUAL 5200

typedef struct objr__hoa_decoder objr__hoa_decoder;

/**
 * Pan the virtual speakers (a deterministic, near-uniform 5200-point spherical set) with
 * @p psp once. @p psp is only used during the call.
 * @return OBJR_OK, OBJR_ERR_NOMEM, OBJR_ERR_INVALID_ARG.
 */
OBJR_HIDDEN objr_status objr__hoa_create(const objr__psp *psp, objr__hoa_decoder **out);
OBJR_HIDDEN void objr__hoa_destroy(objr__hoa_decoder *h);

/** Number of loudspeaker outputs (rows of a design). */
OBJR_HIDDEN size_t objr__hoa_n_outputs(const objr__hoa_decoder *h);

/**
 * Design the decoder for HOA channels with the given orders and degrees (ACN order not
 * required; |degree| <= order) and normalisation (objr__adm_hoa_norm: SN3D, N3D or FuMa).
 * @param max_re 0 for BS.2127's default (no max-rE weighting), 1 to apply approximate
 *        max-rE order weights (Zotter & Frank 2012) before the power normalisation.
 * @param[out] matrix n_outputs x n_channels, row-major: out[spk] = sum_c matrix[spk][c] *
 *        in[c]. Rows of LFE speakers are 0. Mean power over the sphere of a plane wave
 *        encoded in the given normalisation is 1 (BS.2127 "norm_mean_power").
 * @return OBJR_OK, OBJR_ERR_INVALID_ARG (bad order/degree, n_channels 0),
 *         OBJR_ERR_UNSUPPORTED (order > OBJR__HOA_MAX_ORDER, FuMa above order 3),
 *         OBJR_ERR_NOMEM.
 */
OBJR_HIDDEN objr_status objr__hoa_design(const objr__hoa_decoder *h, const int *orders,
                                         const int *degrees, size_t n_channels, int normalization,
                                         int max_re, double *matrix);

/**
 * Real spherical harmonic of order n, degree m at ADM azimuth/elevation (radians) in the
 * given normalisation (ACN/SN3D conventions of BS.2127: no Condon-Shortley phase;
 * m > 0 cos, m < 0 sin terms).
 */
OBJR_HIDDEN double objr__hoa_sph_harm(int n, int m, double az_rad, double el_rad,
                                      int normalization);

#endif /* OBJR_RENDERERS_LOUDSPEAKER_HOA_H */
