/* SPDX-License-Identifier: BSD-3-Clause */
/* The BS.2127 allocentric panner, allocentric loudspeaker positions and the polar <-> cartesian
 * conversions (ITU-R BS.2127-1 §7.3.9, §7.3.12 and §10). */
#include "renderers/loudspeaker/allocentric.h"

#include <math.h>
#include <string.h>

#define DEG2RAD (OBJR_PI / 180.0)
#define RAD2DEG (180.0 / OBJR_PI)

/* ---------------------------------------------------------------------------------------- */
/* §10 conversions                                                                           */

/* The azimuth -> cube-edge mapping of §10: the five BS.2051 0+5+0 directions and the points of
 * the unit square they map to, in clockwise order. */
static const struct {
    double az_deg;
    double x, y;
} conv_map[5] = {
    {0.0, 0.0, 1.0}, {-30.0, 1.0, 1.0}, {-110.0, 1.0, -1.0}, {110.0, -1.0, -1.0}, {30.0, -1.0, 1.0},
};
#define CONV_EL_TOP_DEG 30.0
#define CONV_EL_TOP_TILDE_DEG 45.0

static double map_az_to_linear(double left_az, double right_az, double az) {
    double mid = 0.5 * (left_az + right_az);
    double range = right_az - mid;
    double gain_r = 0.5 + 0.5 * tan((az - mid) * DEG2RAD) / tan(range * DEG2RAD);
    return atan2(gain_r, 1.0 - gain_r) * (2.0 / OBJR_PI);
}

static double map_linear_to_az(double left_az, double right_az, double x) {
    double mid = 0.5 * (left_az + right_az);
    double range = right_az - mid;
    double gl = cos(x * OBJR_PI / 2.0), gr = sin(x * OBJR_PI / 2.0);
    double gain_r = gr / (gl + gr);
    return mid + atan(2.0 * (gain_r - 0.5) * tan(range * DEG2RAD)) * RAD2DEG;
}

static double signum(double x) {
    return (x > 0.0) - (x < 0.0);
}

void objr__point_polar_to_cart(double az_deg, double el_deg, double dist, double out[3]) {
    double z, r_xy;
    if (fabs(el_deg) > CONV_EL_TOP_DEG) {
        double el_tilde = CONV_EL_TOP_TILDE_DEG + (90.0 - CONV_EL_TOP_TILDE_DEG) *
                                                      (fabs(el_deg) - CONV_EL_TOP_DEG) /
                                                      (90.0 - CONV_EL_TOP_DEG);
        z = dist * signum(el_deg);
        r_xy = dist * tan((90.0 - el_tilde) * DEG2RAD);
    } else {
        double el_tilde = CONV_EL_TOP_TILDE_DEG * el_deg / CONV_EL_TOP_DEG;
        z = tan(el_tilde * DEG2RAD) * dist;
        r_xy = dist;
    }
    int li = 0, ri = 1;
    for (int i = 0; i < 5; i++) {
        int j = (i + 1) % 5;
        if (objr__geom_inside_angle_range(az_deg, conv_map[j].az_deg, conv_map[i].az_deg, 0.0)) {
            li = i;
            ri = j;
            break;
        }
    }
    double right_az = conv_map[ri].az_deg;
    double rel_az = objr__geom_relative_angle(right_az, az_deg);
    double rel_left_az = objr__geom_relative_angle(right_az, conv_map[li].az_deg);
    double p = map_az_to_linear(rel_left_az, right_az, rel_az);
    out[0] = r_xy * (conv_map[li].x + (conv_map[ri].x - conv_map[li].x) * p);
    out[1] = r_xy * (conv_map[li].y + (conv_map[ri].y - conv_map[li].y) * p);
    out[2] = z;
}

void objr__point_cart_to_polar(double x, double y, double z, double *az_deg, double *el_deg,
                               double *dist) {
    const double eps = 1e-10;
    if (fabs(x) < eps && fabs(y) < eps) {
        if (fabs(z) < eps) {
            *az_deg = 0.0;
            *el_deg = 0.0;
            *dist = 0.0;
        } else {
            *az_deg = 0.0;
            *el_deg = signum(z) * 90.0;
            *dist = fabs(z);
        }
        return;
    }
    double v[3] = {x, y, 0.0};
    double az_in = objr__geom_azimuth(v);
    int li = 0, ri = 1;
    for (int i = 0; i < 5; i++) {
        int j = (i + 1) % 5;
        double pj[3] = {conv_map[j].x, conv_map[j].y, 0.0};
        double pi_[3] = {conv_map[i].x, conv_map[i].y, 0.0};
        if (objr__geom_inside_angle_range(az_in, objr__geom_azimuth(pj), objr__geom_azimuth(pi_),
                                          0.0)) {
            li = i;
            ri = j;
            break;
        }
    }
    /* Solve g_l * L + g_r * R = (x, y). */
    double lx = conv_map[li].x, ly = conv_map[li].y, rx = conv_map[ri].x, ry = conv_map[ri].y;
    double det = lx * ry - ly * rx;
    double g_l = (x * ry - y * rx) / det;
    double g_r = (y * lx - x * ly) / det;
    double r_xy = g_l + g_r;
    double right_az = conv_map[ri].az_deg;
    double rel_left_az = objr__geom_relative_angle(right_az, conv_map[li].az_deg);
    double az = map_linear_to_az(rel_left_az, right_az, g_r / r_xy);
    *az_deg = objr__geom_relative_angle(-180.0, az);
    double el_tilde = atan(z / r_xy) * RAD2DEG;
    if (fabs(el_tilde) > CONV_EL_TOP_TILDE_DEG) {
        double abs_el = CONV_EL_TOP_DEG + (90.0 - CONV_EL_TOP_DEG) *
                                              (fabs(el_tilde) - CONV_EL_TOP_TILDE_DEG) /
                                              (90.0 - CONV_EL_TOP_TILDE_DEG);
        *el_deg = signum(el_tilde) * abs_el;
        *dist = fabs(z);
    } else {
        *el_deg = CONV_EL_TOP_DEG * el_tilde / CONV_EL_TOP_TILDE_DEG;
        *dist = r_xy;
    }
}

static void whd2xyz(double width_deg, double height_deg, double depth, double out[3]) {
    double xw = width_deg < 180.0 ? sin(width_deg / 2.0 * DEG2RAD) : 1.0;
    double yw = (1.0 - cos(width_deg / 2.0 * DEG2RAD)) / 2.0;
    double zh = height_deg < 180.0 ? sin(height_deg / 2.0 * DEG2RAD) : 1.0;
    double yh = (1.0 - cos(height_deg / 2.0 * DEG2RAD)) / 2.0;
    double y = yw > yh ? yw : yh;
    out[0] = xw;
    out[1] = y > depth ? y : depth;
    out[2] = zh;
}

static double clamp1(double v) {
    return v > 1.0 ? 1.0 : (v < -1.0 ? -1.0 : v);
}

void objr__extent_polar_to_cart(double az_deg, double el_deg, double dist, double width_deg,
                                double height_deg, double depth, double xyz[3], double *xs,
                                double *ys, double *zs) {
    objr__point_polar_to_cart(az_deg, el_deg, dist, xyz);
    double f[3], m[3][3], s[3];
    whd2xyz(width_deg, height_deg, depth, f);
    objr__geom_local_coords(az_deg, el_deg, m);
    for (int j = 0; j < 3; j++) {
        double acc = 0.0;
        for (int i = 0; i < 3; i++)
            acc += (m[i][j] * f[i]) * (m[i][j] * f[i]);
        s[j] = sqrt(acc);
    }
    *xs = s[0];
    *ys = s[1];
    *zs = s[2];
}

void objr__extent_cart_to_polar(double x, double y, double z, double xs, double ys, double zs,
                                double *az_deg, double *el_deg, double *dist, double *width_deg,
                                double *height_deg, double *depth) {
    objr__point_cart_to_polar(x, y, z, az_deg, el_deg, dist);
    double m[3][3], in[3] = {xs, ys, zs}, s[3];
    objr__geom_local_coords(*az_deg, *el_deg, m);
    for (int j = 0; j < 3; j++) {
        double acc = 0.0;
        for (int i = 0; i < 3; i++)
            acc += (m[j][i] * in[i]) * (m[j][i] * in[i]);
        s[j] = sqrt(acc);
    }
    double w_sx = 2.0 * asin(clamp1(s[0])) * RAD2DEG;
    double w_sy = 2.0 * acos(clamp1(1.0 - 2.0 * s[1])) * RAD2DEG;
    double width = w_sx + s[0] * fmax(w_sy - w_sx, 0.0);
    double h_sz = 2.0 * asin(clamp1(s[2])) * RAD2DEG;
    double height = h_sz + s[2] * fmax(w_sy - h_sz, 0.0);
    double eq[3];
    whd2xyz(width, height, 0.0, eq);
    *width_deg = width;
    *height_deg = height;
    *depth = fmax(0.0, s[1] - eq[1]);
}

/* ---------------------------------------------------------------------------------------- */
/* Allocentric loudspeaker positions                                                         */

/* Positions of the BS.2051 labels in the allocentric cube (BS.2127-1 Annex, per-layout
 * tables). A label has the same position in every layout that uses it, so one table keyed
 * by label serves all of them. */
static const struct {
    const char *label;
    double x, y, z;
} allo_table[] = {
    {"M+000", 0.0, 1.0, 0.0},       {"M+030", -1.0, 1.0, 0.0},     {"M-030", 1.0, 1.0, 0.0},
    {"M+060", -1.0, 0.414214, 0.0}, {"M-060", 1.0, 0.414214, 0.0}, {"M+090", -1.0, 0.0, 0.0},
    {"M-090", 1.0, 0.0, 0.0},       {"M+110", -1.0, -1.0, 0.0},    {"M-110", 1.0, -1.0, 0.0},
    {"M+135", -1.0, -1.0, 0.0},     {"M-135", 1.0, -1.0, 0.0},     {"M+180", 0.0, -1.0, 0.0},
    {"U+000", 0.0, 1.0, 1.0},       {"U+030", -1.0, 1.0, 1.0},     {"U-030", 1.0, 1.0, 1.0},
    {"U+045", -1.0, 1.0, 1.0},      {"U-045", 1.0, 1.0, 1.0},      {"U+090", -1.0, 0.0, 1.0},
    {"U-090", 1.0, 0.0, 1.0},       {"U+110", -1.0, -1.0, 1.0},    {"U-110", 1.0, -1.0, 1.0},
    {"U+135", -1.0, -1.0, 1.0},     {"U-135", 1.0, -1.0, 1.0},     {"U+180", 0.0, -1.0, 1.0},
    {"UH+180", 0.0, -1.0, 1.0},     {"T+000", 0.0, 0.0, 1.0},      {"B+000", 0.0, 1.0, -1.0},
    {"B+045", -1.0, 1.0, -1.0},     {"B-045", 1.0, 1.0, -1.0},     {"LFE1", -1.0, 1.0, -1.0},
    {"LFE2", 1.0, 1.0, -1.0},
};

/* Screen loudspeakers M+SC / M-SC: their real azimuth mapped with §10 onto the front wall
 * (|az| <= 30) or the side wall, mirrored by the azimuth's sign. */
static void screen_speaker_position(double az_deg, double out[3]) {
    double p[3];
    objr__point_polar_to_cart(fabs(az_deg), 0.0, 1.0, p);
    if (fabs(p[1] - 1.0) < 1e-10)
        p[1] = 1.0;
    if (fabs(p[0] + 1.0) < 1e-10)
        p[0] = -1.0;
    out[0] = p[0] * (az_deg < 0.0 ? -1.0 : 1.0);
    out[1] = p[1];
    out[2] = 0.0;
}

/* Not in the table: layer from the nominal elevation, X/Y from the §10 azimuth mapping (which
 * lands on the square's edge), the zenith/nadir at the centre of the ceiling/floor. */
static void derived_position(const objr__speaker *s, double out[3]) {
    double el = s->nominal_elevation_deg;
    double z = el < -10.0 ? -1.0 : (el < 10.0 ? 0.0 : 1.0);
    if (fabs(el) >= 75.0) {
        out[0] = 0.0;
        out[1] = 0.0;
    } else {
        double p[3];
        objr__point_polar_to_cart(s->nominal_azimuth_deg, 0.0, 1.0, p);
        double m = fmax(fabs(p[0]), fabs(p[1]));
        out[0] = m > 0.0 ? p[0] / m : 0.0;
        out[1] = m > 0.0 ? p[1] / m : 0.0;
        /* snap to the walls so that equal-row/column tests are exact */
        for (int k = 0; k < 2; k++) {
            if (fabs(out[k] - 1.0) < 1e-9)
                out[k] = 1.0;
            if (fabs(out[k] + 1.0) < 1e-9)
                out[k] = -1.0;
            if (fabs(out[k]) < 1e-9)
                out[k] = 0.0;
        }
    }
    out[2] = z;
}

objr_status objr__allo_positions_for_layout(const objr__layout *layout, double (*pos)[3]) {
    for (size_t i = 0; i < layout->n_speakers; i++) {
        const objr__speaker *s = &layout->speakers[i];
        int found = 0;
        if (!strcmp(s->label, "M+SC") || !strcmp(s->label, "M-SC")) {
            screen_speaker_position(s->azimuth_deg, pos[i]);
            found = 1;
        }
        for (size_t k = 0; !found && k < sizeof allo_table / sizeof allo_table[0]; k++) {
            if (!strcmp(s->label, allo_table[k].label)) {
                pos[i][0] = allo_table[k].x;
                pos[i][1] = allo_table[k].y;
                pos[i][2] = allo_table[k].z;
                found = 1;
            }
        }
        if (!found)
            derived_position(s, pos[i]);
    }
    for (size_t i = 0; i < layout->n_speakers; i++) {
        if (layout->speakers[i].is_lfe)
            continue;
        for (size_t j = i + 1; j < layout->n_speakers; j++) {
            if (layout->speakers[j].is_lfe)
                continue;
            if (pos[i][0] == pos[j][0] && pos[i][1] == pos[j][1] && pos[i][2] == pos[j][2])
                return OBJR_ERR_LAYOUT;
        }
    }
    return OBJR_OK;
}

void objr__allo_extend_excluded(const double (*pos)[3], size_t n, int *excluded) {
    int ext[OBJR__MAX_SPEAKERS];
    for (size_t i = 0; i < n; i++)
        ext[i] = excluded[i];
    for (size_t i = 0; i < n; i++) {
        if (excluded[i] && fabs(pos[i][0]) == 1.0 && fabs(pos[i][1]) != 1.0) {
            for (size_t k = 0; k < n; k++)
                if (pos[k][1] == pos[i][1] && pos[k][2] == pos[i][2])
                    ext[k] = 1;
        }
    }
    int all = 1;
    for (size_t i = 0; i < n; i++)
        all &= ext[i] != 0;
    for (size_t i = 0; i < n; i++)
        excluded[i] = all ? 0 : ext[i];
}

/* ---------------------------------------------------------------------------------------- */
/* The panner                                                                                */

/* Gains of the two neighbours (lo, hi) of v among sorted distinct values; lo == hi when v is
 * on a value or outside the range (clamped to the outermost one). */
static void find_pair(const double *vals, size_t n, double v, size_t *lo, size_t *hi) {
    if (v <= vals[0]) {
        *lo = *hi = 0;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (vals[i] == v) {
            *lo = *hi = i;
            return;
        }
        if (vals[i] > v) {
            *lo = i - 1;
            *hi = i;
            return;
        }
    }
    *lo = *hi = n - 1;
}

static void balance(double lo_v, double hi_v, double v, double *g_lo, double *g_hi) {
    if (lo_v == hi_v) {
        *g_lo = *g_hi = 1.0;
    } else if (v <= lo_v) {
        *g_lo = 0.0;
        *g_hi = 1.0;
    } else if (v >= hi_v) {
        *g_lo = 1.0;
        *g_hi = 0.0;
    } else {
        double a = (v - lo_v) / (hi_v - lo_v) * OBJR_PI / 2.0;
        *g_lo = cos(a);
        *g_hi = sin(a);
    }
}

static void sorted_unique(double *v, size_t *n) {
    /* insertion sort: n <= OBJR__MAX_SPEAKERS */
    for (size_t i = 1; i < *n; i++) {
        double t = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > t) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = t;
    }
    size_t m = 0;
    for (size_t i = 0; i < *n; i++)
        if (m == 0 || v[m - 1] != v[i])
            v[m++] = v[i];
    *n = m;
}

void objr__allo_pan(const double (*pos)[3], size_t n, const double src[3], double *gains) {
    double zs[OBJR__MAX_SPEAKERS];
    size_t nz = n;
    for (size_t i = 0; i < n; i++) {
        zs[i] = pos[i][2];
        gains[i] = 0.0;
    }
    sorted_unique(zs, &nz);
    size_t zp[2];
    find_pair(zs, nz, src[2], &zp[0], &zp[1]);
    double zg[2];
    balance(zs[zp[0]], zs[zp[1]], src[2], &zg[0], &zg[1]);
    int n_zp = zp[0] == zp[1] ? 1 : 2;
    for (int a = 0; a < n_zp; a++) {
        double pz = zs[zp[a]];
        double ys[OBJR__MAX_SPEAKERS];
        size_t ny = 0;
        for (size_t i = 0; i < n; i++)
            if (pos[i][2] == pz)
                ys[ny++] = pos[i][1];
        sorted_unique(ys, &ny);
        size_t yp[2];
        find_pair(ys, ny, src[1], &yp[0], &yp[1]);
        double yg[2];
        balance(ys[yp[0]], ys[yp[1]], src[1], &yg[0], &yg[1]);
        int n_yp = yp[0] == yp[1] ? 1 : 2;
        for (int b = 0; b < n_yp; b++) {
            double py = ys[yp[b]];
            double xs[OBJR__MAX_SPEAKERS];
            size_t nx = 0;
            for (size_t i = 0; i < n; i++)
                if (pos[i][2] == pz && pos[i][1] == py)
                    xs[nx++] = pos[i][0];
            sorted_unique(xs, &nx);
            size_t xp[2];
            find_pair(xs, nx, src[0], &xp[0], &xp[1]);
            double xg[2];
            balance(xs[xp[0]], xs[xp[1]], src[0], &xg[0], &xg[1]);
            int n_xp = xp[0] == xp[1] ? 1 : 2;
            for (int c = 0; c < n_xp; c++) {
                for (size_t i = 0; i < n; i++) {
                    if (pos[i][2] == pz && pos[i][1] == py && pos[i][0] == xs[xp[c]])
                        gains[i] = zg[a] * yg[b] * xg[c];
                }
            }
        }
    }
}
