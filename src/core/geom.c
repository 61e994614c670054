/* SPDX-License-Identifier: BSD-3-Clause */
/* Geometry in the ADM / BS.2127 conventions (ITU-R BS.2127-1 §6.1, BS.2076-2 §8): polar <->
 * cartesian, angle ranges, small vector helpers. Azimuth is positive to the left (anticlockwise
 * seen from above), elevation positive up; x points right, y front, z up. */
#include "src/core/geom.h"

#include <math.h>

#define DEG2RAD (OBJR_PI / 180.0)
#define RAD2DEG (180.0 / OBJR_PI)

void objr__geom_cart(double az_deg, double el_deg, double d, double out[3]) {
    double az = az_deg * DEG2RAD, el = el_deg * DEG2RAD;
    out[0] = -sin(az) * cos(el) * d;
    out[1] = cos(az) * cos(el) * d;
    out[2] = sin(el) * d;
}

double objr__geom_azimuth(const double v[3]) {
    return atan2(-v[0], v[1]) * RAD2DEG;
}

double objr__geom_elevation(const double v[3]) {
    return atan2(v[2], hypot(v[0], v[1])) * RAD2DEG;
}

void objr__geom_local_coords(double az_deg, double el_deg, double m[3][3]) {
    objr__geom_cart(az_deg - 90.0, 0.0, 1.0, m[0]);
    objr__geom_cart(az_deg, el_deg, 1.0, m[1]);
    objr__geom_cart(az_deg, el_deg + 90.0, 1.0, m[2]);
}

/* Angles beyond a million degrees are reduced modulo 360 first, so that the reference loops
 * below (exact for ordinary angles) run a bounded number of times and never stall on
 * absorbed additions. */
static double tame(double a) {
    return fabs(a) > 1e6 ? fmod(a, 360.0) : a;
}

double objr__geom_relative_angle(double x, double y) {
    if (!isfinite(x) || !isfinite(y))
        return y;
    x = tame(x);
    y = tame(y);
    while (y - 360.0 >= x)
        y -= 360.0;
    while (y < x)
        y += 360.0;
    return y;
}

int objr__geom_inside_angle_range(double x, double start, double end, double tol) {
    /* the range runs anticlockwise from start to end; (s, s + 360) means every angle, (s, s)
     * a single one */
    if (!isfinite(x) || !isfinite(start) || !isfinite(end) || !isfinite(tol))
        return 0;
    x = tame(x);
    start = tame(start);
    end = tame(end);
    tol = fmin(fabs(tol), 360.0);
    while (end - 360.0 > start)
        end -= 360.0;
    while (end < start)
        end += 360.0;
    double start_tol = start - tol;
    while (x - 360.0 >= start_tol)
        x -= 360.0;
    while (x < start_tol)
        x += 360.0;
    return x <= end + tol;
}

double objr__geom_dot3(const double a[3], const double b[3]) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

void objr__geom_cross3(const double a[3], const double b[3], double out[3]) {
    out[0] = a[1] * b[2] - a[2] * b[1];
    out[1] = a[2] * b[0] - a[0] * b[2];
    out[2] = a[0] * b[1] - a[1] * b[0];
}

void objr__geom_sub3(const double a[3], const double b[3], double out[3]) {
    out[0] = a[0] - b[0];
    out[1] = a[1] - b[1];
    out[2] = a[2] - b[2];
}
