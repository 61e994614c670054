/* SPDX-License-Identifier: BSD-3-Clause */
/* The BS.2127 allocentric (cartesian) panner (ITU-R BS.2127-1 §7.3.9, Annex "allocentric
 * loudspeaker positions") and the polar <-> cartesian point conversion (BS.2127-1 §10). */
#ifndef OBJR_RENDERERS_LOUDSPEAKER_ALLOCENTRIC_H
#define OBJR_RENDERERS_LOUDSPEAKER_ALLOCENTRIC_H

#include <stddef.h>

#include "layouts/layout.h"
#include "objrender/objr_status.h"
#include "src/core/core.h"
#include "src/core/geom.h"

/*
 * Coordinates. Allocentric positions live in the ADM cartesian cube: X right (+1) / left (-1),
 * Y front (+1) / back (-1), Z up (+1) / down (-1). Polar angles are ADM angles in degrees
 * (azimuth positive to the left).
 */

/**
 * Allocentric position of every speaker of @p layout (BS.2127-1 Table "allocentric loudspeaker
 * positions", keyed by BS.2051 label; M+SC/M-SC derived from their real azimuth as the
 * standard prescribes). Labels outside the table get a position derived from the nominal
 * polar position (layer from elevation, X/Y from the §10 azimuth mapping) so that custom
 * layouts still pan.
 * @param[out] pos layout->n_speakers entries; LFE speakers get their table entry too but
 *             callers must skip them.
 * @return OBJR_OK, or OBJR_ERR_LAYOUT when two non-LFE speakers share a position (the
 *         allocentric panner requires distinct positions).
 */
OBJR_HIDDEN objr_status objr__allo_positions_for_layout(const objr__layout *layout,
                                                        double (*pos)[3]);

/**
 * Allocentric panner (BS.2127-1 §7.3.9.2): speakers are grouped into planes (equal Z), rows
 * (equal Y within a plane) and columns (equal X within a row); the source is panned between
 * the two neighbouring planes, then in each plane between two rows, then in each row between
 * two columns, each with a sine/cosine law. Positions outside the speakers' hull clamp to the
 * outermost plane/row/column (so Z < 0 acts as Z = 0 without bottom speakers).
 * @param pos     n speaker positions (distinct), n >= 1, n <= OBJR__MAX_SPEAKERS
 * @param src     source position (expected within [-1, 1]^3)
 * @param[out] gains n gains, sum of squares 1
 */
OBJR_HIDDEN void objr__allo_pan(const double (*pos)[3], size_t n, const double src[3],
                                double *gains);

/**
 * The extra exclusion the allocentric panner needs (BS.2127-1 §7.3.12, "get_excluded"): an
 * excluded speaker on a side wall (|X| = 1, |Y| != 1) excludes every speaker of its row; if
 * that leaves nothing, nothing is excluded. @p excluded is updated in place.
 */
OBJR_HIDDEN void objr__allo_extend_excluded(const double (*pos)[3], size_t n, int *excluded);

/** BS.2127-1 §10.1 point conversion polar -> cartesian (the Dolby-style cube mapping). */
OBJR_HIDDEN void objr__point_polar_to_cart(double az_deg, double el_deg, double dist,
                                           double out[3]);
/** BS.2127-1 §10.2 point conversion cartesian -> polar; inverse of the above. */
OBJR_HIDDEN void objr__point_cart_to_polar(double x, double y, double z, double *az_deg,
                                           double *el_deg, double *dist);

/**
 * BS.2127-1 §10 extent conversions. polar->cart: from (az, el, dist, width, height, depth) to
 * (X, Y, Z, X size = width, Y size = depth, Z size = height); cart->polar the reverse.
 */
OBJR_HIDDEN void objr__extent_polar_to_cart(double az_deg, double el_deg, double dist,
                                            double width_deg, double height_deg, double depth,
                                            double xyz[3], double *xs, double *ys, double *zs);
OBJR_HIDDEN void objr__extent_cart_to_polar(double x, double y, double z, double xs, double ys,
                                            double zs, double *az_deg, double *el_deg, double *dist,
                                            double *width_deg, double *height_deg, double *depth);

#endif /* OBJR_RENDERERS_LOUDSPEAKER_ALLOCENTRIC_H */
