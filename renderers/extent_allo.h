/* SPDX-License-Identifier: BSD-3-Clause */
/* Allocentric extent panning (ITU-R BS.2127-1 §7.3.10): a cartesian object of size
 * (X, Y, Z) spread over the allocentric loudspeaker positions. */
#ifndef OBJR_RENDERERS_EXTENT_ALLO_H
#define OBJR_RENDERERS_EXTENT_ALLO_H

#include <stddef.h>

#include "src/core.h"

/**
 * Gains for a source at @p src with sizes @p size_x (width), @p size_y (depth), @p size_z
 * (height), each in [0, 1] cube units, over @p n (<= OBJR__MAX_SPEAKERS) distinct allocentric
 * speaker positions. Sum of squares 1 (or all 0 if nothing contributes).
 */
OBJR_HIDDEN void objr__allo_extent_gains(const double (*pos)[3], size_t n, const double src[3],
                                         double size_x, double size_y, double size_z,
                                         double *gains);

#endif /* OBJR_RENDERERS_EXTENT_ALLO_H */
