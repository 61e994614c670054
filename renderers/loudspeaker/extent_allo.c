/* SPDX-License-Identifier: BSD-3-Clause */
/* Allocentric extent panning (ITU-R BS.2127-1 §7.3.10): the source is a box of weights over a
 * grid of virtual sources spanning the room; each virtual source is panned separably per axis
 * with the allocentric laws, the weighted gains are combined with a size-dependent p-norm,
 * boundary contributions and a distance-to-wall scaling, and faded into the point gains for
 * small sizes. */
#include "renderers/loudspeaker/extent_allo.h"

#include <math.h>
#include <string.h>

#include "layouts/layout.h"

#define NEG130DB_EXP 6.5 /* weights are floored at 10^-6.5 (about -130 dB in power^p) */
#define S_MAX 2.8
#define S_FADE 0.2

static double scale_size(double v) {
    static const double xp[5] = {0.0, 0.2, 0.5, 0.75, 1.0};
    static const double yp[5] = {0.0, 0.3, 1.0, 1.8, 2.8};
    if (v > 1.0)
        v = 1.0;
    if (v <= xp[0])
        return yp[0];
    for (int i = 0; i < 4; i++)
        if (v <= xp[i + 1])
            return yp[i] + (v - xp[i]) * (yp[i + 1] - yp[i]) / (xp[i + 1] - xp[i]);
    return yp[4];
}

static void linspace(double lo, double hi, int n, double *out) {
    double step = (hi - lo) / (double)(n - 1);
    for (int i = 0; i < n; i++)
        out[i] = lo + (double)i * step;
    out[n - 1] = hi;
}

/* Gain of a speaker at coordinate @p own along one axis for a virtual source at @p v, given
 * the neighbouring speaker coordinates (lo, hi) among the candidate speakers. */
static double axis_gain(int has_lo, double lo, int has_hi, double hi, double own, double v) {
    if (!has_lo)
        return own == hi ? 1.0 : 0.0;
    if (!has_hi)
        return own == lo ? 1.0 : 0.0;
    if (lo <= own && own <= hi) {
        if (lo == hi)
            return 1.0;
        double a = (v - lo) / (hi - lo) * OBJR_PI / 2.0;
        return lo == own ? cos(a) : sin(a);
    }
    return 0.0;
}

/* Per-axis point gains of every speaker at grid values: axis 2 (Z) over all speakers, axis 1
 * (Y) within the speaker's plane, axis 0 (X) within its row. */
static void g_point_axis(const double (*pos)[3], size_t n, int axis, const double *vals, int nv,
                         double *out) {
    for (size_t s = 0; s < n; s++) {
        for (int vi = 0; vi < nv; vi++) {
            double v = vals[vi];
            int has_lo = 0, has_hi = 0;
            double lo = 0.0, hi = 0.0;
            for (size_t k = 0; k < n; k++) {
                if (axis <= 1 && pos[k][2] != pos[s][2])
                    continue;
                if (axis == 0 && pos[k][1] != pos[s][1])
                    continue;
                double c = pos[k][axis];
                if (c <= v && (!has_lo || c > lo)) {
                    lo = c;
                    has_lo = 1;
                }
                if (c >= v && (!has_hi || c < hi)) {
                    hi = c;
                    has_hi = 1;
                }
            }
            out[s * (size_t)nv + (size_t)vi] = axis_gain(has_lo, lo, has_hi, hi, pos[s][axis], v);
        }
    }
}

static double h_fn(double s, double d_bound) {
    if (d_bound >= 2.0 * s && d_bound >= 0.4) {
        double n = fmax(2.0 * s, 0.4);
        return cbrt(n * n * n / (0.16 * 2.0 * s));
    }
    double a = d_bound / 0.4;
    return cbrt(d_bound / 2.0 * a * a);
}

static void safe_normalise(double *v, size_t n) {
    double acc = 0.0;
    for (size_t i = 0; i < n; i++)
        acc += v[i] * v[i];
    double len = sqrt(acc);
    for (size_t i = 0; i < n; i++)
        v[i] = len > 1e-16 ? v[i] / len : 0.0;
}

/* x^p for x in [0, 1]: the per-speaker grid gains are mostly exactly 0 or 1 */
static double powp(double x, double p) {
    if (x == 0.0)
        return 0.0;
    if (x == 1.0)
        return 1.0;
    return pow(x, p);
}

static void sort3(double *a) {
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2 - i; j++)
            if (a[j] > a[j + 1]) {
                double t = a[j];
                a[j] = a[j + 1];
                a[j + 1] = t;
            }
}

void objr__allo_extent_grid_init(objr__allo_extent_grid *g, const double (*pos)[3], size_t n) {
    g->n = n;
    /* number of distinct Z planes: with fewer than 3 there is no floor layer to spread to */
    double zv[OBJR__MAX_SPEAKERS];
    size_t nzv = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < nzv && zv[k] != pos[i][2])
            k++;
        if (k == nzv)
            zv[nzv++] = pos[i][2];
    }
    g->three_planes = nzv >= 3;
    g->nz = g->three_planes ? OBJR__ALLO_N_VS : OBJR__ALLO_N_VS / 2;
    linspace(-1.0, 1.0, OBJR__ALLO_N_VS, g->xs);
    linspace(-1.0, 1.0, OBJR__ALLO_N_VS, g->ys);
    if (g->three_planes)
        linspace(-1.0, 1.0, g->nz, g->zs);
    else
        linspace(0.0, 1.0, g->nz, g->zs);
    for (int a = 0; a < 3; a++)
        g->differs[a] = 0;
    for (size_t i = 1; i < n; i++)
        for (int a = 0; a < 3; a++)
            if (pos[i][a] != pos[0][a])
                g->differs[a] = 1;
    g_point_axis(pos, n, 0, g->xs, OBJR__ALLO_N_VS, g->gpx);
    g_point_axis(pos, n, 1, g->ys, OBJR__ALLO_N_VS, g->gpy);
    g_point_axis(pos, n, 2, g->zs, g->nz, g->gpz);
}

void objr__allo_extent_gains(const double (*pos)[3], size_t n, const double src[3], double size_x,
                             double size_y, double size_z, double *gains) {
    if (n == 0)
        return;
    objr__allo_extent_grid grid;
    objr__allo_extent_grid_init(&grid, pos, n);
    objr__allo_extent_gains_grid(&grid, pos, src, size_x, size_y, size_z, gains);
}

/* Effective size: weighted towards the largest dimension the layout can reproduce. */
static double effective_size(const objr__allo_extent_grid *g, double sx, double sy, double sz) {
    int same_yz = !g->differs[1] && !g->differs[2];
    int same_z = !g->differs[2];
    if (same_yz)
        return sx;
    if (same_z) {
        double a = fmin(sx, sy), b = fmax(sx, sy);
        return 0.75 * b + 0.25 * a;
    }
    double s3[3] = {sx, sy, sz};
    sort3(s3);
    return (6.0 / 9.0) * s3[2] + (2.0 / 9.0) * s3[1] + (1.0 / 9.0) * s3[0];
}

/* mu: scales the inside contribution by how far the source (xo, yo, zo) is from the walls. */
static double wall_factor(const objr__allo_extent_grid *g, const double s[3], double xo, double yo,
                          double zo) {
    int dim = g->differs[0] + g->differs[1] + g->differs[2];
    double db_x = fmin(xo + 1.0, 1.0 - xo), db_y = fmin(yo + 1.0, 1.0 - yo),
           db_z = fmin(zo + 1.0, 1.0 - zo);
    if (dim == 1) {
        double hx = h_fn(s[0], db_x);
        return hx * hx * hx;
    }
    if (dim == 2) {
        double d = fmin(db_x, db_y);
        return pow(h_fn(s[0], d) * h_fn(s[1], d), 1.5);
    }
    double d = fmin(db_x, fmin(db_y, db_z));
    return h_fn(s[0], d) * h_fn(s[1], d) * h_fn(s[2], d);
}

/* The size gains (normalised): each speaker's p-norm over the virtual sources weighted around
 * the source @p o with sizes @p sz3, the boundary planes' share plus mu times the inside's. */
static void size_gains(const objr__allo_extent_grid *g, const double o[3], const double sz3[3],
                       double p, double mu, double *g_size) {
    const size_t n = g->n;
    const int nx = OBJR__ALLO_N_VS, ny = OBJR__ALLO_N_VS, nz = g->nz;
    const double *gpx = g->gpx, *gpy = g->gpy, *gpz = g->gpz;
    double wx[OBJR__ALLO_N_VS], wy[OBJR__ALLO_N_VS], wz[OBJR__ALLO_N_VS];
    for (int i = 0; i < nx; i++)
        wx[i] = pow(10.0, -fmin(pow(1.5 * (g->xs[i] - o[0]) / (2.0 * sz3[0]), 4.0), NEG130DB_EXP));
    for (int i = 0; i < ny; i++)
        wy[i] = pow(10.0, -fmin(pow(1.5 * (g->ys[i] - o[1]) / (2.0 * sz3[1]), 4.0), NEG130DB_EXP));
    for (int i = 0; i < nz; i++)
        wz[i] = pow(10.0, -fmin(pow(1.5 * (g->zs[i] - o[2]) / sz3[2], 4.0), NEG130DB_EXP)) *
                cos(g->zs[i] * OBJR_PI * (3.0 / 7.0));

    const double floor_lim = pow(10.0, -NEG130DB_EXP);
    double fx[OBJR__MAX_SPEAKERS], fy[OBJR__MAX_SPEAKERS], fz[OBJR__MAX_SPEAKERS];
    double g_inside[OBJR__MAX_SPEAKERS];
    /* (g w)^p = g^p w^p: the weights' powers are shared by every speaker */
    double wpx[OBJR__ALLO_N_VS], wpy[OBJR__ALLO_N_VS], wpz[OBJR__ALLO_N_VS];
    for (int i = 0; i < nx; i++)
        wpx[i] = powp(wx[i], p);
    for (int i = 0; i < ny; i++)
        wpy[i] = powp(wy[i], p);
    for (int i = 0; i < nz; i++)
        wpz[i] = powp(wz[i], p);
    for (size_t s = 0; s < n; s++) {
        double ax = 0.0, ay = 0.0, az = 0.0;
        for (int i = 0; i < nx; i++)
            ax += powp(gpx[(size_t)i + s * (size_t)nx], p) * wpx[i];
        for (int i = 0; i < ny; i++)
            ay += powp(gpy[(size_t)i + s * (size_t)ny], p) * wpy[i];
        for (int i = 0; i < nz; i++)
            az += powp(gpz[(size_t)i + s * (size_t)nz], p) * wpz[i];
        fx[s] = ax < floor_lim ? 0.0 : ax;
        fy[s] = ay < floor_lim ? 0.0 : ay;
        fz[s] = az < floor_lim ? 0.0 : az;
        g_inside[s] = fx[s] * fy[s] * fz[s];
    }
    safe_normalise(g_inside, n);
    for (size_t s = 0; s < n; s++) {
        double b_floor = powp(gpz[s * (size_t)nz], p) * wpz[0];
        double b_ceil = powp(gpz[s * (size_t)nz + (size_t)nz - 1], p) * wpz[nz - 1];
        double b_left = powp(gpx[s * (size_t)nx], p) * wpx[0];
        double b_right = powp(gpx[s * (size_t)nx + (size_t)nx - 1], p) * wpx[nx - 1];
        double b_front = powp(gpy[s * (size_t)ny], p) * wpy[0];
        double b_back = powp(gpy[s * (size_t)ny + (size_t)ny - 1], p) * wpy[ny - 1];
        double g_bound = (b_left + b_right) * fy[s] * fz[s] + fx[s] * (b_front + b_back) * fz[s] +
                         fx[s] * fy[s] * (b_ceil + b_floor);
        g_size[s] = pow(g_bound + mu * g_inside[s], 1.0 / p);
    }
    safe_normalise(g_size, n);
}

void objr__allo_extent_gains_grid(const objr__allo_extent_grid *g, const double (*pos)[3],
                                  const double src[3], double size_x, double size_y, double size_z,
                                  double *gains) {
    const size_t n = g->n;
    if (n == 0)
        return;
    const int nx = OBJR__ALLO_N_VS, ny = OBJR__ALLO_N_VS, nz = g->nz;
    double xo = src[0], yo = src[1], zo = src[2];
    if (!g->three_planes)
        zo = fmax(0.0, zo);
    double sx = fmax(scale_size(size_x), 2.0 / (nx - 1));
    double sy = fmax(scale_size(size_y), 2.0 / (ny - 1));
    double sz = fmax(scale_size(size_z), 2.0 / (nz - 1));
    const double s3[3] = {sx, sy, sz}, o[3] = {xo, yo, zo};
    double s_eff = effective_size(g, sx, sy, sz);
    double p = s_eff <= 0.5 ? 6.0 : 6.0 - 4.0 * ((s_eff - 0.5) / (S_MAX - 0.5));
    double mu = wall_factor(g, s3, xo, yo, zo);
    double g_size[OBJR__MAX_SPEAKERS];
    size_gains(g, o, s3, p, mu, g_size);

    /* small sizes fade to the point source's gains */
    double alpha = 0.0, beta = 1.0;
    if (s_eff < S_FADE) {
        alpha = cos(s_eff * OBJR_PI / (S_FADE * 2.0));
        beta = sin(s_eff * OBJR_PI / (S_FADE * 2.0));
    }
    double one_x[1] = {xo}, one_y[1] = {yo}, one_z[1] = {zo};
    double px[OBJR__MAX_SPEAKERS], py[OBJR__MAX_SPEAKERS], pz[OBJR__MAX_SPEAKERS];
    g_point_axis(pos, n, 0, one_x, 1, px);
    g_point_axis(pos, n, 1, one_y, 1, py);
    g_point_axis(pos, n, 2, one_z, 1, pz);
    for (size_t s = 0; s < n; s++)
        gains[s] = alpha * (px[s] * py[s] * pz[s]) + beta * g_size[s];
    safe_normalise(gains, n);
}
