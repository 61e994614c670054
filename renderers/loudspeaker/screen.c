/* SPDX-License-Identifier: BSD-3-Clause */
/* Screen scaling and screen edge lock for Objects (ITU-R BS.2127-1 §7.3.3, §7.3.4). */
#include "renderers/loudspeaker/screen.h"

#include <math.h>

#include "renderers/loudspeaker/allocentric.h"

objr__screen objr__screen_default(void) {
    objr__screen s = {0};
    s.cartesian = 0;
    s.aspect_ratio = 1.78;
    s.centre_azimuth_deg = 0.0;
    s.centre_elevation_deg = 0.0;
    s.centre_distance = 1.0;
    s.width_azimuth_deg = 58.0;
    return s;
}

objr_status objr__screen_edges_from(const objr__screen *s, objr__screen_edges *e) {
    double centre[3], xv[3], zv[3];
    if (!(s->aspect_ratio > 0.0) || !isfinite(s->aspect_ratio))
        return OBJR_ERR_RANGE;
    if (s->cartesian) {
        centre[0] = s->centre_x;
        centre[1] = s->centre_y;
        centre[2] = s->centre_z;
        double w = s->width_x / 2.0, h = w / s->aspect_ratio;
        xv[0] = w;
        xv[1] = 0.0;
        xv[2] = 0.0;
        zv[0] = 0.0;
        zv[1] = 0.0;
        zv[2] = h;
    } else {
        objr__geom_cart(s->centre_azimuth_deg, s->centre_elevation_deg, s->centre_distance, centre);
        double w = s->centre_distance * tan(s->width_azimuth_deg / 2.0 * OBJR_PI / 180.0);
        double h = w / s->aspect_ratio;
        double m[3][3];
        objr__geom_local_coords(s->centre_azimuth_deg, s->centre_elevation_deg, m);
        for (int k = 0; k < 3; k++) {
            xv[k] = m[0][k] * w;
            zv[k] = m[2][k] * h;
        }
    }
    double l[3], r[3], b[3], t[3];
    for (int k = 0; k < 3; k++) {
        l[k] = centre[k] - xv[k];
        r[k] = centre[k] + xv[k];
        b[k] = centre[k] - zv[k];
        t[k] = centre[k] + zv[k];
    }
    double left = objr__geom_azimuth(l), right = objr__geom_azimuth(r);
    if (!isfinite(left) || !isfinite(right) || !isfinite(objr__geom_elevation(b)) ||
        !isfinite(objr__geom_elevation(t)))
        return OBJR_ERR_RANGE;
    if (right > left)
        return OBJR_ERR_RANGE; /* extends past -y */
    if (objr__geom_azimuth(b) - objr__geom_azimuth(t) > 1e-3)
        return OBJR_ERR_RANGE; /* extends past +z or -z */
    e->left_azimuth_deg = left;
    e->right_azimuth_deg = right;
    e->bottom_elevation_deg = objr__geom_elevation(b);
    e->top_elevation_deg = objr__geom_elevation(t);
    return OBJR_OK;
}

/* np.interp over 4 sorted points, clamped at the ends. */
static double interp4(double x, const double xp[4], const double yp[4]) {
    if (x <= xp[0])
        return yp[0];
    if (x >= xp[3])
        return yp[3];
    for (int i = 0; i < 3; i++) {
        if (x <= xp[i + 1]) {
            double d = xp[i + 1] - xp[i];
            return d > 0.0 ? yp[i] + (x - xp[i]) * (yp[i + 1] - yp[i]) / d : yp[i + 1];
        }
    }
    return yp[3];
}

static double interp3(double x, const double xp[3], const double yp[3]) {
    if (x <= xp[0])
        return yp[0];
    if (x >= xp[2])
        return yp[2];
    int i = x <= xp[1] ? 0 : 1;
    return yp[i] + (x - xp[i]) * (yp[i + 1] - yp[i]) / (xp[i + 1] - xp[i]);
}

/* §7.3.3: keep vertical movement vertical on layouts with U+045 top speakers when positions
 * come from the cartesian cube. */
static void compensate(double *az, double el, int has_u045) {
    if (!has_u045)
        return;
    static const double ex[3] = {0.0, 30.0, 90.0};
    const double ey[3] = {30.0, 30.0 * (30.0 / 45.0), 30.0};
    double right_az = interp3(el, ex, ey);
    const double ax[4] = {-180.0, -30.0, 30.0, 180.0};
    const double ay[4] = {-180.0, -right_az, right_az, 180.0};
    *az = interp4(*az, ax, ay);
}

static void to_az_el(int cartesian, const double pos[3], double *az, double *el, double *d) {
    if (cartesian) {
        objr__point_cart_to_polar(pos[0], pos[1], pos[2], az, el, d);
    } else {
        *az = objr__geom_azimuth(pos);
        *el = objr__geom_elevation(pos);
        *d = sqrt(pos[0] * pos[0] + pos[1] * pos[1] + pos[2] * pos[2]);
    }
}

static void from_az_el(int cartesian, int has_u045, double az, double el, double d, double pos[3]) {
    if (cartesian) {
        compensate(&az, el, has_u045);
        objr__point_polar_to_cart(az, el, d, pos);
    } else {
        objr__geom_cart(az, el, d, pos);
    }
}

void objr__screen_scale(const objr__screen_edges *ref, const objr__screen_edges *rep, int cartesian,
                        int has_u045, double pos[3]) {
    double az, el, d;
    to_az_el(cartesian, pos, &az, &el, &d);
    const double axp[4] = {-180.0, ref->right_azimuth_deg, ref->left_azimuth_deg, 180.0};
    const double ayp[4] = {-180.0, rep->right_azimuth_deg, rep->left_azimuth_deg, 180.0};
    const double exp_[4] = {-90.0, ref->bottom_elevation_deg, ref->top_elevation_deg, 90.0};
    const double eyp[4] = {-90.0, rep->bottom_elevation_deg, rep->top_elevation_deg, 90.0};
    double naz = interp4(az, axp, ayp);
    double nel = interp4(el, exp_, eyp);
    from_az_el(cartesian, has_u045, naz, nel, d, pos);
}

void objr__screen_edge_lock(const objr__screen_edges *rep, int horizontal, int vertical,
                            int cartesian, int has_u045, double pos[3]) {
    if (!horizontal && !vertical)
        return;
    double az, el, d;
    to_az_el(cartesian, pos, &az, &el, &d);
    if (horizontal == 1)
        az = rep->left_azimuth_deg;
    else if (horizontal == 2)
        az = rep->right_azimuth_deg;
    if (vertical == 1)
        el = rep->bottom_elevation_deg;
    else if (vertical == 2)
        el = rep->top_elevation_deg;
    from_az_el(cartesian, has_u045, az, el, d, pos);
}
