/* SPDX-License-Identifier: BSD-3-Clause */
/* Screen-related processing for Objects (ITU-R BS.2127-1 §7.3.3 screen scaling and §7.3.4
 * screen edge lock), with the screen representations of BS.2076-2 audioProgrammeReferenceScreen
 * and of the reproduction room. */
#ifndef OBJR_RENDERERS_LOUDSPEAKER_SCREEN_H
#define OBJR_RENDERERS_LOUDSPEAKER_SCREEN_H

#include "objrender/objr_status.h"
#include "src/core/core.h"

/** A screen: polar (centre az/el/dist + widthAzimuth) or cartesian (centre X/Y/Z + widthX). */
typedef struct objr__screen {
    int cartesian;
    double aspect_ratio;
    double centre_azimuth_deg, centre_elevation_deg, centre_distance; /**< polar */
    double centre_x, centre_y, centre_z;                              /**< cartesian */
    double width_azimuth_deg;                                         /**< polar */
    double width_x;                                                   /**< cartesian */
} objr__screen;

/** The BS.2076 default screen: polar, aspect 1.78, centre (0, 0, 1), widthAzimuth 58. */
OBJR_HIDDEN objr__screen objr__screen_default(void);

/** Azimuths of the left/right edges and elevations of the bottom/top edges (degrees). */
typedef struct objr__screen_edges {
    double left_azimuth_deg, right_azimuth_deg, bottom_elevation_deg, top_elevation_deg;
} objr__screen_edges;

/**
 * Edges of @p s as seen from the listener (BS.2127-1 §7.3.3 "PolarEdges").
 * @return OBJR_OK, or OBJR_ERR_RANGE when the screen extends behind the listener or past the
 *         poles (then @p e is untouched).
 */
OBJR_HIDDEN objr_status objr__screen_edges_from(const objr__screen *s, objr__screen_edges *e);

/**
 * Screen scaling (screenRef = 1): azimuth mapped piecewise-linearly from the reference screen
 * edges to the reproduction screen edges (with +-180 fixed), elevation likewise (+-90 fixed).
 * @param[in,out] pos position vector: on the sphere for polar blocks, in the cube for
 *                cartesian blocks (then converted with §10 and compensated for U+045 layouts)
 * @param has_u045 the layout has a U+045 speaker (the §7.3.3 compensation for cartesian)
 */
OBJR_HIDDEN void objr__screen_scale(const objr__screen_edges *ref, const objr__screen_edges *rep,
                                    int cartesian, int has_u045, double pos[3]);

/**
 * Screen edge lock: @p horizontal 0 none / 1 left / 2 right, @p vertical 0 none / 1 bottom /
 * 2 top; the locked coordinate is replaced by the reproduction screen's edge.
 */
OBJR_HIDDEN void objr__screen_edge_lock(const objr__screen_edges *rep, int horizontal, int vertical,
                                        int cartesian, int has_u045, double pos[3]);

#endif /* OBJR_RENDERERS_LOUDSPEAKER_SCREEN_H */
