/* SPDX-License-Identifier: BSD-3-Clause */
/* Geometry in the ADM / BS.2127 conventions: polar <-> cartesian, angle ranges, 3-vectors.
 * The one copy: renderers, layouts and checks call these (ITU-R BS.2127-1 §6.1). */
#ifndef OBJR_SRC_CORE_GEOM_H
#define OBJR_SRC_CORE_GEOM_H

#include "src/core/core.h"

/** cart(az, el, d): x = -sin(az)cos(el)d, y = cos(az)cos(el)d, z = sin(el)d. */
OBJR_HIDDEN void objr__geom_cart(double az_deg, double el_deg, double d, double out[3]);
/** Azimuth (degrees, ADM convention) of a vector: atan2(-x, y). */
OBJR_HIDDEN double objr__geom_azimuth(const double v[3]);
/** Elevation (degrees) of a vector: atan2(z, hypot(x, y)). */
OBJR_HIDDEN double objr__geom_elevation(const double v[3]);
/** Rows x', y', z' of the local coordinate system with y' pointing at (az, el). */
OBJR_HIDDEN void objr__geom_local_coords(double az_deg, double el_deg, double m[3][3]);
/** Is angle x inside [start, end] going anticlockwise (BS.2127 inside_angle_range)? */
OBJR_HIDDEN int objr__geom_inside_angle_range(double x, double start, double end, double tol);
/** y shifted by multiples of 360 so that x <= y < x + 360. */
OBJR_HIDDEN double objr__geom_relative_angle(double x, double y);
/** a . b */
OBJR_HIDDEN double objr__geom_dot3(const double a[3], const double b[3]);
/** out = a x b (out may not alias a or b). */
OBJR_HIDDEN void objr__geom_cross3(const double a[3], const double b[3], double out[3]);
/** out = a - b */
OBJR_HIDDEN void objr__geom_sub3(const double a[3], const double b[3], double out[3]);

#endif /* OBJR_SRC_CORE_GEOM_H */
