/* SPDX-License-Identifier: BSD-3-Clause */
/* Polar extent panner, ITU-R BS.2127-1 §7.3.8.2.3: virtual sources spread evenly over the
 * sphere are weighted by a "stadium" shape (a width x height rectangle in azimuth/elevation
 * with fully rounded ends, faded over 10 degrees), their point-source gains summed and power
 * normalised; small extents cross-fade (in power) with the point source; distance enlarges
 * the extent and depth averages two distances. */
#include "renderers/loudspeaker/extent_polar.h"
#include "src/core/geom.h"

#include <math.h>
#include <string.h>

#define DEG (OBJR_PI / 180.0)
#define N_ROWS 37           /* 5 degree spacing */
#define FADE_WIDTH_DEG 10.0 /* weight fades from 1 to 0 over this angle */
#define MIN_EXTENT_SIZE 0.2 /* extent_mod: size at extent 0 */

struct objr__extent_polar {
    const objr__psp *psp;
    size_t n_out;
    size_t n_src;
    double *src;   /* n_src x 3 unit vectors */
    double *gains; /* n_src x n_out point-source gains */
};

/* numpy.interp: piecewise linear through (xp, fp), clamped at both ends. */
static double interp(double x, const double *xp, const double *fp, int n) {
    if (x <= xp[0])
        return fp[0];
    for (int i = 1; i < n; i++)
        if (x <= xp[i])
            return fp[i - 1] + (fp[i] - fp[i - 1]) * (x - xp[i - 1]) / (xp[i] - xp[i - 1]);
    return fp[n - 1];
}

static size_t grid_count(void) {
    size_t n = 0;
    for (int r = 0; r < N_ROWS; r++) {
        double el = -90.0 + 180.0 * r / (N_ROWS - 1);
        /* rint: round half to even, as the reference implementation's rounding does */
        long k = (long)rint(cos(el * DEG) * 2.0 * (N_ROWS - 1));
        n += k < 1 ? 1 : (size_t)k;
    }
    return n;
}

void objr__extent_polar_destroy(objr__extent_polar *e) {
    if (!e)
        return;
    objr__freep(&e->src);
    objr__freep(&e->gains);
    objr__freep(&e);
}

objr_status objr__extent_polar_create(const objr__psp *psp, objr__extent_polar **out) {
    if (!psp || !out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    objr__extent_polar *e = objr__calloc(1, sizeof(*e));
    if (!e)
        return OBJR_ERR_NOMEM;
    e->psp = psp;
    e->n_out = objr__psp_n_outputs(psp);
    e->n_src = grid_count();
    size_t n_g;
    if (!objr__mul_size(e->n_src, e->n_out ? e->n_out : 1, &n_g))
        goto nomem;
    e->src = objr__calloc(e->n_src * 3, sizeof(double));
    e->gains = objr__calloc(n_g, sizeof(double));
    if (!e->src || !e->gains)
        goto nomem;
    size_t k = 0;
    for (int r = 0; r < N_ROWS; r++) {
        double el = -90.0 + 180.0 * r / (N_ROWS - 1);
        long n = (long)rint(cos(el * DEG) * 2.0 * (N_ROWS - 1));
        if (n < 1)
            n = 1;
        for (long i = 0; i < n; i++) {
            double az = 360.0 * (double)i / (double)n;
            objr__geom_cart(az, el, 1.0, &e->src[3 * k]);
            objr__psp_gains(psp, &e->src[3 * k], &e->gains[k * e->n_out]);
            k++;
        }
    }
    *out = e;
    return OBJR_OK;
nomem:
    objr__extent_polar_destroy(e);
    return OBJR_ERR_NOMEM;
}

/* Basis rotating (0,1,0) onto the source direction: rows x (right), y (forward), z (up) of
 * the source's local frame; azimuth taken as 0 at the poles. */
static void source_basis(const double pos[3], double b[3][3]) {
    double n = sqrt(objr__geom_dot3(pos, pos));
    double p[3] = {0.0, 1.0, 0.0};
    if (n >= 1e-10)
        for (int i = 0; i < 3; i++)
            p[i] = pos[i] / n;
    double az = atan2(-p[0], p[1]) / DEG;
    double el = atan2(p[2], hypot(p[0], p[1])) / DEG;
    if (fabs(el) > 90.0 - 1e-5)
        az = 0.0;
    objr__geom_cart(az - 90.0, 0.0, 1.0, b[0]);
    objr__geom_cart(az, el, 1.0, b[1]);
    objr__geom_cart(az, el + 90.0, 1.0, b[2]);
}

void objr__extent_polar_spread(const objr__extent_polar *e, const double pos[3], double width_deg,
                               double height_deg, double *gains) {
    const size_t n_out = e->n_out;
    const double fade = FADE_WIDTH_DEG * DEG;
    double pt[OBJR__MAX_SPEAKERS];
    memset(gains, 0, n_out * sizeof(*gains));

    double amount_spread =
        interp(fmax(width_deg, height_deg), (const double[]){0.0, FADE_WIDTH_DEG},
               (const double[]){0.0, 1.0}, 2);
    double amount_point = 1.0 - amount_spread;
    if (amount_point > 1e-10) {
        objr__psp_gains(e->psp, pos, pt);
        for (size_t j = 0; j < n_out; j++)
            gains[j] += amount_point * pt[j] * pt[j];
    }
    if (amount_spread > 1e-10) {
        double w = fmax(width_deg, FADE_WIDTH_DEG / 2.0) * DEG / 2.0;
        double h = fmax(height_deg, FADE_WIDTH_DEG / 2.0) * DEG / 2.0;
        double basis[3][3], fb[3][3];
        source_basis(pos, basis);
        double circle_radius = fmin(w, h);
        if (h > w) { /* make it wider than high: rotate the frame by 90 degrees */
            double t = w;
            w = h;
            h = t;
            memcpy(fb[0], basis[2], sizeof(fb[0]));
            memcpy(fb[1], basis[1], sizeof(fb[1]));
            memcpy(fb[2], basis[0], sizeof(fb[2]));
        } else {
            memcpy(fb, basis, sizeof(fb));
        }
        /* stretch the width so that the two ends meet at the back for 360 degrees */
        const double pi = OBJR_PI;
        double width_full = pi + h;
        double width_mod = interp(w, (const double[]){0.0, pi / 2, pi},
                                  (const double[]){0.0, pi / 2, width_full}, 3);
        w = interp(h, (const double[]){0.0, pi / 4, pi / 2, pi},
                   (const double[]){width_mod, width_mod, w, w}, 4);
        double circle_pos = w - circle_radius;
        double cp[2][3];
        for (int s = 0; s < 2; s++) {
            double a = s == 0 ? -circle_pos : circle_pos;
            double rel[3] = {sin(a), cos(a), 0.0};
            for (int k = 0; k < 3; k++)
                cp[s][k] = rel[0] * fb[0][k] + rel[1] * fb[1][k] + rel[2] * fb[2][k];
        }
        double acc[OBJR__MAX_SPEAKERS];
        memset(acc, 0, n_out * sizeof(*acc));
        /* Every point with non-zero weight lies within circle_pos + circle_radius + fade = w +
         * fade of the centre (triangle inequality), so farther points are skipped without
         * evaluating the shape. */
        double reach = w + fade + 1e-6;
        double min_dot = reach < OBJR_PI ? cos(reach) : -2.0;
        for (size_t i = 0; i < e->n_src; i++) {
            const double *v = &e->src[3 * i];
            if (objr__geom_dot3(v, fb[1]) < min_dot)
                continue;
            double c0 = objr__geom_dot3(v, fb[0]), c1 = objr__geom_dot3(v, fb[1]),
                   c2 = objr__geom_dot3(v, fb[2]);
            c0 = fmin(1.0, fmax(-1.0, c0));
            c1 = fmin(1.0, fmax(-1.0, c1));
            c2 = fmin(1.0, fmax(-1.0, c2));
            double az = atan2(c0, c1);
            double d;
            if (fabs(az) <= circle_pos) {
                d = fabs(asin(c2)) - circle_radius;
            } else {
                double d0 = acos(fmin(1.0, fmax(-1.0, objr__geom_dot3(v, cp[0]))));
                double d1 = acos(fmin(1.0, fmax(-1.0, objr__geom_dot3(v, cp[1]))));
                d = fmin(d0, d1) - circle_radius;
            }
            double wt = d <= 0.0 ? 1.0 : (d >= fade ? 0.0 : 1.0 - d / fade);
            if (wt <= 0.0)
                continue;
            const double *g = &e->gains[i * n_out];
            for (size_t j = 0; j < n_out; j++)
                acc[j] += wt * g[j];
        }
        double nrm = 0.0;
        for (size_t j = 0; j < n_out; j++)
            nrm += acc[j] * acc[j];
        nrm = sqrt(nrm);
        if (nrm > 0.0)
            for (size_t j = 0; j < n_out; j++)
                gains[j] += amount_spread * (acc[j] / nrm) * (acc[j] / nrm);
    }
    for (size_t j = 0; j < n_out; j++)
        gains[j] = sqrt(gains[j]);
}

/* BS.2127 extent_mod: the extent seen from @p distance, by the right triangle whose
 * adjacent side is the distance: 360 at the listener, unchanged at 1, smaller beyond. */
static double extent_mod(double extent_deg, double distance) {
    double size =
        interp(extent_deg, (const double[]){0.0, 360.0}, (const double[]){MIN_EXTENT_SIZE, 1.0}, 2);
    double extent_1 = 4.0 * atan2(size, 1.0) / DEG;
    return interp(4.0 * atan2(size, distance) / DEG, (const double[]){0.0, extent_1, 360.0},
                  (const double[]){0.0, extent_deg, 360.0}, 3);
}

void objr__extent_polar_gains(const objr__extent_polar *e, const double pos[3], double width_deg,
                              double height_deg, double depth, double *gains) {
    const size_t n_out = e->n_out;
    double distance = sqrt(objr__geom_dot3(pos, pos));
    if (!isfinite(width_deg) || width_deg < 0.0)
        width_deg = 0.0;
    if (!isfinite(height_deg) || height_deg < 0.0)
        height_deg = 0.0;
    if (!isfinite(depth))
        depth = 0.0;
    if (depth == 0.0) {
        objr__extent_polar_spread(e, pos, extent_mod(width_deg, distance),
                                  extent_mod(height_deg, distance), gains);
        return;
    }
    double d[2] = {distance + depth / 2.0, distance - depth / 2.0};
    double tmp[OBJR__MAX_SPEAKERS];
    double acc[OBJR__MAX_SPEAKERS];
    memset(acc, 0, n_out * sizeof(*acc));
    for (int k = 0; k < 2; k++) {
        double dk = d[k] < 0.0 ? 0.0 : d[k];
        objr__extent_polar_spread(e, pos, extent_mod(width_deg, dk), extent_mod(height_deg, dk),
                                  tmp);
        for (size_t j = 0; j < n_out; j++)
            acc[j] += 0.5 * tmp[j] * tmp[j];
    }
    for (size_t j = 0; j < n_out; j++)
        gains[j] = sqrt(acc[j]);
}
