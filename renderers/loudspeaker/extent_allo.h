/* SPDX-License-Identifier: BSD-3-Clause */
/* Allocentric extent panning (ITU-R BS.2127-1 §7.3.10): a cartesian object of size
 * (X, Y, Z) spread over the allocentric loudspeaker positions. */
#ifndef OBJR_RENDERERS_LOUDSPEAKER_EXTENT_ALLO_H
#define OBJR_RENDERERS_LOUDSPEAKER_EXTENT_ALLO_H

#include <stddef.h>

#include "layouts/layout.h"
#include "src/core/core.h"

/**
 * Gains for a source at @p src with sizes @p size_x (width), @p size_y (depth), @p size_z
 * (height), each in [0, 1] cube units, over @p n (<= OBJR__MAX_SPEAKERS) distinct allocentric
 * speaker positions. Sum of squares 1 (or all 0 if nothing contributes).
 */
OBJR_HIDDEN void objr__allo_extent_gains(const double (*pos)[3], size_t n, const double src[3],
                                         double size_x, double size_y, double size_z,
                                         double *gains);

/** Virtual sources per axis (BS.2127: 40; 20 vertically when there is no bottom layer). */
#define OBJR__ALLO_N_VS 40

/**
 * The source-independent part for one set of speaker positions: the virtual-source grid and
 * every speaker's per-axis point gains over it (about 61 KB). Precompute it once per speaker
 * set; it only reads the positions passed to init.
 */
typedef struct objr__allo_extent_grid {
    size_t n;
    int nz, three_planes;
    int differs[3]; /**< positions vary along X / Y / Z */
    double xs[OBJR__ALLO_N_VS], ys[OBJR__ALLO_N_VS], zs[OBJR__ALLO_N_VS];
    double gpx[OBJR__MAX_SPEAKERS * OBJR__ALLO_N_VS], gpy[OBJR__MAX_SPEAKERS * OBJR__ALLO_N_VS],
        gpz[OBJR__MAX_SPEAKERS * OBJR__ALLO_N_VS];
} objr__allo_extent_grid;

OBJR_HIDDEN void objr__allo_extent_grid_init(objr__allo_extent_grid *g, const double (*pos)[3],
                                             size_t n);
/** As objr__allo_extent_gains, with the grid precomputed for the same @p pos. */
OBJR_HIDDEN void objr__allo_extent_gains_grid(const objr__allo_extent_grid *g,
                                              const double (*pos)[3], const double src[3],
                                              double size_x, double size_y, double size_z,
                                              double *gains);

#endif /* OBJR_RENDERERS_LOUDSPEAKER_EXTENT_ALLO_H */
