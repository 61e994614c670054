/* SPDX-License-Identifier: BSD-3-Clause */
/* Extent (width/height/depth) for polar Objects: ITU-R BS.2127-1 §7.3.8.2.3 ("polar extent
 * panner": spreading over a grid of virtual sources with a weighting function, interpolation
 * between point and spread panning, distance and depth handling). Internal. */
#ifndef OBJR_RENDERERS_LOUDSPEAKER_EXTENT_POLAR_H
#define OBJR_RENDERERS_LOUDSPEAKER_EXTENT_POLAR_H

#include <stddef.h>

#include "objrender/objr_status.h"
#include "renderers/loudspeaker/psp.h"
#include "src/core/core.h"

typedef struct objr__extent_polar objr__extent_polar;

/**
 * Precompute the virtual-source grid (37 rows, 5 degrees apart; about 1660 sources) panned
 * with @p psp. @p psp must outlive the extent panner (it also pans point sources).
 * @return OBJR_OK, OBJR_ERR_NOMEM, OBJR_ERR_INVALID_ARG.
 */
OBJR_HIDDEN objr_status objr__extent_polar_create(const objr__psp *psp, objr__extent_polar **out);
OBJR_HIDDEN void objr__extent_polar_destroy(objr__extent_polar *e);

/**
 * Gains for a polar object with extent (BS.2127 PolarExtentHandler).
 * @param pos cartesian position in the BS.2127 convention (see objr__psp_gains) whose length
 *        is the ADM distance (1 = the speaker sphere; 0 = the listener).
 * @param width_deg, height_deg ADM width/height in degrees (>= 0).
 * @param depth ADM depth (normalised distance units, >= 0).
 * @param[out] gains objr__psp_n_outputs() values in layout (speakers[]) order, power 1.
 */
OBJR_HIDDEN void objr__extent_polar_gains(const objr__extent_polar *e, const double pos[3],
                                          double width_deg, double height_deg, double depth,
                                          double *gains);

/** The spreading part alone (BS.2127 calc_pv_spread): extent already distance-modified. */
OBJR_HIDDEN void objr__extent_polar_spread(const objr__extent_polar *e, const double pos[3],
                                           double width_deg, double height_deg, double *gains);

#endif /* OBJR_RENDERERS_LOUDSPEAKER_EXTENT_POLAR_H */
