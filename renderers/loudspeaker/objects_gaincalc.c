/* SPDX-License-Identifier: BSD-3-Clause */
/* The Objects gain calculator (ITU-R BS.2127-1 §7.3): screen scaling, screen edge lock,
 * channel lock, divergence, extent/point panning (polar) or allocentric panning (cartesian),
 * zone exclusion, block gain and the direct/diffuse split. */
#include "renderers/loudspeaker/objects_gaincalc.h"

#include <math.h>
#include <string.h>

#include "renderers/loudspeaker/allocentric.h"
#include "renderers/loudspeaker/extent_allo.h"
#include "renderers/loudspeaker/extent_polar.h"
#include "renderers/loudspeaker/psp.h"
#include "renderers/loudspeaker/zone_exclusion.h"

#define DEG2RAD (OBJR_PI / 180.0)
#define RAD2DEG (180.0 / OBJR_PI)
#define CHANNEL_LOCK_TOL 1e-5

struct objr__objects_gaincalc {
    objr__layout layout;
    size_t n;                               /* all speakers */
    size_t n_main;                          /* non-LFE speakers */
    size_t main_idx[OBJR__MAX_SPEAKERS];    /* compact -> layout index */
    double allo_pos[OBJR__MAX_SPEAKERS][3]; /* compact, allocentric positions */
    double norm_pos[OBJR__MAX_SPEAKERS][3]; /* compact, real positions on the unit sphere */
    int priority[OBJR__MAX_SPEAKERS];       /* compact, channel-lock tie-break rank */
    int has_u045;
    int has_screen;
    objr__screen_edges rep_edges;
    objr__screen_edges default_edges;
    objr__zone_excl zones;
    objr__allo_extent_grid allo_grid; /* allocentric extent grid, no speaker excluded */
    objr__point_pan_fn point_pan;
    objr__spread_pan_fn spread_pan;
    void *pan_user;
    void *spread_user;
    objr__psp *psp;          /* owned when the built-in panner is used */
    objr__extent_polar *ext; /* owned, with psp */
};

static void builtin_spread_pan(void *user, const double pos[3], double width_deg, double height_deg,
                               double *gains) {
    objr__extent_polar_spread((const objr__extent_polar *)user, pos, width_deg, height_deg, gains);
}

static void builtin_point_pan(void *user, const double dir[3], double *gains) {
    objr__psp_gains((const objr__psp *)user, dir, gains);
}

objr__objects_gaincalc_config objr__objects_gaincalc_config_default(void) {
    objr__objects_gaincalc_config c;
    memset(&c, 0, sizeof c);
    c.reproduction_screen = objr__screen_default();
    c.has_reproduction_screen = 1;
    return c;
}

/* Channel-lock priority: lowest |elevation| first, then elevation, |azimuth|, azimuth
 * (BS.2127-1 §7.3.6, ties between equidistant speakers). */
static int prio_less(const objr__speaker *a, const objr__speaker *b) {
    double ka[4] = {fabs(a->elevation_deg), a->elevation_deg, fabs(a->azimuth_deg), a->azimuth_deg};
    double kb[4] = {fabs(b->elevation_deg), b->elevation_deg, fabs(b->azimuth_deg), b->azimuth_deg};
    for (int i = 0; i < 4; i++) {
        if (ka[i] < kb[i])
            return 1;
        if (ka[i] > kb[i])
            return 0;
    }
    return 0;
}

objr_status objr__objects_gaincalc_create(const objr__layout *layout,
                                          const objr__objects_gaincalc_config *cfg,
                                          objr__objects_gaincalc **out) {
    if (!out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    if (!layout || layout->n_speakers == 0 || layout->n_speakers > OBJR__MAX_SPEAKERS)
        return OBJR_ERR_INVALID_ARG;
    objr__objects_gaincalc_config defcfg = objr__objects_gaincalc_config_default();
    if (!cfg)
        cfg = &defcfg;
    objr_status st = OBJR_OK;
    objr__objects_gaincalc *g = objr__calloc(1, sizeof *g);
    if (!g)
        return OBJR_ERR_NOMEM;
    g->layout = *layout;
    g->n = layout->n_speakers;
    g->point_pan = cfg->point_pan;
    g->spread_pan = cfg->spread_pan;
    g->pan_user = cfg->pan_user;
    g->spread_user = cfg->pan_user;
    if (!g->point_pan) {
        st = objr__psp_create(layout, &g->psp);
        if (st != OBJR_OK)
            goto fail;
        g->point_pan = builtin_point_pan;
        g->pan_user = g->psp;
        if (!g->spread_pan) {
            st = objr__extent_polar_create(g->psp, &g->ext);
            if (st != OBJR_OK)
                goto fail;
            g->spread_pan = builtin_spread_pan;
            g->spread_user = g->ext;
        }
    }

    double allo_all[OBJR__MAX_SPEAKERS][3];
    st = objr__allo_positions_for_layout(layout, allo_all);
    if (st != OBJR_OK)
        goto fail;
    for (size_t i = 0; i < g->n; i++) {
        const objr__speaker *s = &layout->speakers[i];
        if (!strcmp(s->label, "U+045"))
            g->has_u045 = 1;
        if (s->is_lfe)
            continue;
        size_t k = g->n_main++;
        g->main_idx[k] = i;
        memcpy(g->allo_pos[k], allo_all[i], sizeof allo_all[i]);
        objr__geom_cart(s->azimuth_deg, s->elevation_deg, 1.0, g->norm_pos[k]);
    }
    if (g->n_main == 0) {
        st = OBJR_ERR_LAYOUT;
        goto fail;
    }
    for (size_t a = 0; a < g->n_main; a++) {
        int r = 0;
        for (size_t b = 0; b < g->n_main; b++) {
            const objr__speaker *sa = &layout->speakers[g->main_idx[a]];
            const objr__speaker *sb = &layout->speakers[g->main_idx[b]];
            if (prio_less(sb, sa) || (b < a && !prio_less(sa, sb)))
                r++;
        }
        g->priority[a] = r;
    }
    g->has_screen = cfg->has_reproduction_screen;
    if (g->has_screen) {
        st = objr__screen_edges_from(&cfg->reproduction_screen, &g->rep_edges);
        if (st != OBJR_OK)
            goto fail;
    }
    objr__screen def = objr__screen_default();
    st = objr__screen_edges_from(&def, &g->default_edges);
    if (st != OBJR_OK)
        goto fail;
    objr__zone_excl_init(&g->zones, layout);
    objr__allo_extent_grid_init(&g->allo_grid, (const double(*)[3])g->allo_pos, g->n_main);
    *out = g;
    return OBJR_OK;
fail:
    objr__objects_gaincalc_destroy(g);
    return st;
}

void objr__objects_gaincalc_destroy(objr__objects_gaincalc *g) {
    if (!g)
        return;
    objr__extent_polar_destroy(g->ext);
    objr__psp_destroy(g->psp);
    objr__freep(&g);
}

/* ---------------------------------------------------------------------------------------- */

double objr__objects_extent_mod(double extent_deg, double distance) {
    /* A right triangle with the distance as adjacent side and a size derived from the extent
     * as opposite side: extent 360 at distance 0, unchanged at 1, shrinking beyond. */
    const double min_size = 0.2;
    double e = extent_deg;
    double size;
    if (e <= 0.0)
        size = min_size;
    else if (e >= 360.0)
        size = 1.0;
    else
        size = min_size + (1.0 - min_size) * e / 360.0;
    double extent_1 = 4.0 * atan2(size, 1.0) * RAD2DEG;
    double x = 4.0 * atan2(size, distance) * RAD2DEG;
    /* np.interp(x, [0, extent_1, 360], [0, extent, 360]) */
    if (x <= 0.0)
        return 0.0;
    if (x >= 360.0)
        return 360.0;
    if (x <= extent_1)
        return extent_1 > 0.0 ? x * extent_deg / extent_1 : extent_deg;
    return extent_deg + (x - extent_1) * (360.0 - extent_deg) / (360.0 - extent_1);
}

int objr__objects_diverge(const double pos[3], const objr__adm_block_objects *b, int cartesian,
                          int bs2076_version, double w[3], double out[3][3]) {
    if (!b->has_divergence || b->divergence == 0.0) {
        w[0] = 1.0;
        memcpy(out[0], pos, 3 * sizeof(double));
        return 1;
    }
    /* g_l + g_c + g_r = 1; 1/3 each at value 0.5; centre 0 at value 1. Weights on power. */
    double v = b->divergence;
    double g_lr = v / (v + 1.0), g_c = (1.0 - v) / (v + 1.0);
    w[0] = g_lr;
    w[1] = g_c;
    w[2] = g_lr;
    if (cartesian) {
        double r = b->has_divergence_position_range ? b->divergence_position_range : 0.0;
        for (int k = 0; k < 3; k++) {
            out[0][k] = pos[k];
            out[1][k] = pos[k];
            out[2][k] = pos[k];
        }
        out[0][0] += r;
        out[2][0] -= r;
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < 3; k++)
                out[i][k] = fmin(1.0, fmax(-1.0, out[i][k]));
    } else {
        double range = b->has_divergence_azimuth_range ? b->divergence_azimuth_range_deg
                                                       : (bs2076_version >= 2 ? 0.0 : 45.0);
        double d = sqrt(pos[0] * pos[0] + pos[1] * pos[1] + pos[2] * pos[2]);
        double pl[3], pr[3], m[3][3];
        objr__geom_cart(range, 0.0, d, pl);
        objr__geom_cart(-range, 0.0, d, pr);
        objr__geom_local_coords(objr__geom_azimuth(pos), objr__geom_elevation(pos), m);
        for (int k = 0; k < 3; k++) {
            out[0][k] = pl[0] * m[0][k] + pl[1] * m[1][k] + pl[2] * m[2][k];
            out[1][k] = pos[k];
            out[2][k] = pr[0] * m[0][k] + pr[1] * m[1][k] + pr[2] * m[2][k];
        }
    }
    return 3;
}

/* Channel lock (BS.2127-1 §7.3.6): move the position onto the nearest (weighted distance)
 * non-excluded speaker within maxDistance; ties go to the highest-priority speaker. */
static void channel_lock(const objr__objects_gaincalc *g, const objr__adm_block_objects *b,
                         int cartesian, const int *excluded_c, double pos[3]) {
    if (!b->channel_lock)
        return;
    const double(*cp)[3] = cartesian ? g->allo_pos : g->norm_pos;
    double dist_w[OBJR__MAX_SPEAKERS];
    int possible[OBJR__MAX_SPEAKERS];
    int any = 0;
    for (size_t i = 0; i < g->n_main; i++) {
        possible[i] = 0;
        if (excluded_c && excluded_c[i])
            continue;
        double dx = pos[0] - cp[i][0], dy = pos[1] - cp[i][1], dz = pos[2] - cp[i][2];
        double d = sqrt(dx * dx + dy * dy + dz * dz);
        if (b->has_channel_lock_max_distance &&
            !(d < b->channel_lock_max_distance + CHANNEL_LOCK_TOL))
            continue;
        possible[i] = 1;
        any = 1;
        dist_w[i] = cartesian ? sqrt(dx * dx / 16.0 + 4.0 * dy * dy + 32.0 * dz * dz) : d;
    }
    if (!any)
        return;
    double min_d = INFINITY;
    for (size_t i = 0; i < g->n_main; i++)
        if (possible[i] && dist_w[i] < min_d)
            min_d = dist_w[i];
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < g->n_main; i++)
        if (possible[i] && dist_w[i] < min_d + CHANNEL_LOCK_TOL &&
            (best == SIZE_MAX || g->priority[i] < g->priority[best]))
            best = i;
    if (best == SIZE_MAX)
        return; /* distances overflowed (absurd positions): leave the position alone */
    memcpy(pos, cp[best], 3 * sizeof(double));
}

/* Point or extent panning of one polar position into compact (non-LFE) gains. */
static void polar_extent_pan(const objr__objects_gaincalc *g, const double pos[3], double width,
                             double height, double depth, double *gc) {
    double distance = sqrt(pos[0] * pos[0] + pos[1] * pos[1] + pos[2] * pos[2]);
    double dists[2];
    int nd = 1;
    if (depth != 0.0) {
        dists[0] = fmax(0.0, distance + depth / 2.0);
        dists[1] = fmax(0.0, distance - depth / 2.0);
        nd = 2;
    } else {
        dists[0] = distance;
    }
    double dir[3];
    if (distance > 1e-10) {
        for (int k = 0; k < 3; k++)
            dir[k] = pos[k] / distance;
    } else {
        dir[0] = 0.0;
        dir[1] = 1.0;
        dir[2] = 0.0;
    }
    double acc[OBJR__MAX_SPEAKERS] = {0};
    double full[OBJR__MAX_SPEAKERS];
    for (int d = 0; d < nd; d++) {
        double w = objr__objects_extent_mod(width, dists[d]);
        double h = objr__objects_extent_mod(height, dists[d]);
        if ((w == 0.0 && h == 0.0) || !g->spread_pan)
            g->point_pan(g->pan_user, dir, full);
        else
            g->spread_pan(g->spread_user, dir, w, h, full);
        for (size_t i = 0; i < g->n_main; i++) {
            double v = full[g->main_idx[i]];
            acc[i] += v * v;
        }
    }
    for (size_t i = 0; i < g->n_main; i++)
        gc[i] = sqrt(acc[i] / (double)nd);
}

static int block_is_finite(const objr__adm_block_objects *b) {
    const double v[] = {b->pos.azimuth_deg,
                        b->pos.elevation_deg,
                        b->pos.distance,
                        b->pos.x,
                        b->pos.y,
                        b->pos.z,
                        b->width,
                        b->height,
                        b->depth,
                        b->diffuse,
                        b->divergence,
                        b->divergence_azimuth_range_deg,
                        b->divergence_position_range,
                        b->channel_lock_max_distance,
                        b->c.gain};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

static double clip1(double v) {
    return v > 1.0 ? 1.0 : (v < -1.0 ? -1.0 : v);
}

/* Optional whole-block coordinate conversion (§10): position, extent and screen edge locks. */
static void convert_coordinates(int conversion, objr__adm_block_objects *b) {
    if (conversion == OBJR__CONVERSION_TO_POLAR && b->pos.cartesian) {
        double az, el, d, w, h, dp;
        objr__extent_cart_to_polar(b->pos.x, b->pos.y, b->pos.z, b->width, b->depth, b->height, &az,
                                   &el, &d, &w, &h, &dp);
        b->pos.cartesian = 0;
        b->pos.azimuth_deg = az;
        b->pos.elevation_deg = el;
        b->pos.distance = d;
        b->pos.screen_edge_lock_azimuth = b->pos.screen_edge_lock_x;
        b->pos.screen_edge_lock_elevation = b->pos.screen_edge_lock_z;
        b->width = w;
        b->height = h;
        b->depth = dp;
    } else if (conversion == OBJR__CONVERSION_TO_CARTESIAN && !b->pos.cartesian) {
        double xyz[3], xs, ys, zs;
        objr__extent_polar_to_cart(b->pos.azimuth_deg, b->pos.elevation_deg, b->pos.distance,
                                   b->width, b->height, b->depth, xyz, &xs, &ys, &zs);
        b->pos.cartesian = 1;
        b->pos.x = xyz[0];
        b->pos.y = xyz[1];
        b->pos.z = xyz[2];
        b->pos.screen_edge_lock_x = b->pos.screen_edge_lock_azimuth;
        b->pos.screen_edge_lock_z = b->pos.screen_edge_lock_elevation;
        b->width = xs;
        b->depth = ys;
        b->height = zs;
    }
}

/* positionOffset, then the position vector (polar: on the sphere scaled by distance;
 * cartesian: clipped to the cube). */
static void position_vector(const objr__objects_ctx *ctx, objr__adm_block_objects *b,
                            double pos[3]) {
    int cartesian = b->pos.cartesian != 0;
    if (ctx->has_position_offset && (ctx->position_offset.cartesian != 0) == cartesian) {
        if (cartesian) {
            b->pos.x += ctx->position_offset.x;
            b->pos.y += ctx->position_offset.y;
            b->pos.z += ctx->position_offset.z;
        } else {
            b->pos.azimuth_deg += ctx->position_offset.azimuth_deg;
            b->pos.elevation_deg += ctx->position_offset.elevation_deg;
            b->pos.distance += ctx->position_offset.distance;
        }
    }
    if (cartesian) {
        pos[0] = clip1(b->pos.x);
        pos[1] = clip1(b->pos.y);
        pos[2] = clip1(b->pos.z);
    } else {
        objr__geom_cart(b->pos.azimuth_deg, b->pos.elevation_deg, b->pos.distance, pos);
    }
}

/* Screen scaling (§7.3.3) and screen edge lock (§7.3.4). */
static void screen_adjust(const objr__objects_gaincalc *g, const objr__objects_ctx *ctx,
                          const objr__adm_block_objects *b, double pos[3]) {
    int cartesian = b->pos.cartesian != 0;
    if (b->screen_ref) {
        objr__screen_edges ref = g->default_edges;
        if (ctx->reference_screen) {
            objr__screen_edges e;
            if (objr__screen_edges_from(ctx->reference_screen, &e) == OBJR_OK)
                ref = e;
        }
        objr__screen_scale(&ref, &g->rep_edges, cartesian, g->has_u045, pos);
    }
    int h = cartesian ? b->pos.screen_edge_lock_x : b->pos.screen_edge_lock_azimuth;
    int v = cartesian ? b->pos.screen_edge_lock_z : b->pos.screen_edge_lock_elevation;
    if (!h)
        h = cartesian ? b->pos.screen_edge_lock_azimuth : b->pos.screen_edge_lock_x;
    if (!v)
        v = cartesian ? b->pos.screen_edge_lock_elevation : b->pos.screen_edge_lock_z;
    objr__screen_edge_lock(&g->rep_edges, h, v, cartesian, g->has_u045, pos);
}

/* Cartesian (allocentric) panning into compact gains @p gc: zone exclusion removes speakers
 * first, then channel lock, divergence and point or extent panning over the rest. */
static void cartesian_gains(const objr__objects_gaincalc *g, const objr__objects_ctx *ctx,
                            const objr__adm_block_objects *b, const int *excluded_full,
                            double pos[3], double *gc) {
    double wts[3], dpos[3][3];
    int ex_c[OBJR__MAX_SPEAKERS];
    for (size_t i = 0; i < g->n_main; i++)
        ex_c[i] = excluded_full[g->main_idx[i]];
    objr__allo_extend_excluded((const double(*)[3])g->allo_pos, g->n_main, ex_c);
    channel_lock(g, b, 1, ex_c, pos);
    int nd = objr__objects_diverge(pos, b, 1, ctx->bs2076_version, wts, dpos);
    /* the remaining speakers, compacted again */
    double sub_pos[OBJR__MAX_SPEAKERS][3];
    size_t sub_idx[OBJR__MAX_SPEAKERS], n_sub = 0;
    for (size_t i = 0; i < g->n_main; i++) {
        if (ex_c[i])
            continue;
        memcpy(sub_pos[n_sub], g->allo_pos[i], sizeof sub_pos[0]);
        sub_idx[n_sub++] = i;
    }
    double acc[OBJR__MAX_SPEAKERS] = {0};
    for (int d = 0; d < nd; d++) {
        double sg[OBJR__MAX_SPEAKERS];
        if (b->width == 0.0 && b->height == 0.0 && b->depth == 0.0)
            objr__allo_pan((const double(*)[3])sub_pos, n_sub, dpos[d], sg);
        else if (n_sub == g->n_main)
            /* EAR (the BS.2127 reference) passes (width, height, depth) as the
             * (X, Y, Z) sizes, although ADM cartesian height is along Z and depth along Y:
             * follow the reference so that renders match it. */
            objr__allo_extent_gains_grid(&g->allo_grid, (const double(*)[3])sub_pos, dpos[d],
                                         b->width, b->height, b->depth, sg);
        else
            objr__allo_extent_gains((const double(*)[3])sub_pos, n_sub, dpos[d], b->width,
                                    b->height, b->depth, sg);
        for (size_t k = 0; k < n_sub; k++)
            acc[sub_idx[k]] += wts[d] * sg[k] * sg[k];
    }
    for (size_t i = 0; i < g->n_main; i++)
        gc[i] = sqrt(acc[i]);
}

/* Polar panning into compact gains @p gc: channel lock, divergence, point or extent panning
 * (zone exclusion is applied afterwards, on the full layout). */
static void polar_gains(const objr__objects_gaincalc *g, const objr__objects_ctx *ctx,
                        const objr__adm_block_objects *b, double pos[3], double *gc) {
    double wts[3], dpos[3][3];
    channel_lock(g, b, 0, NULL, pos);
    int nd = objr__objects_diverge(pos, b, 0, ctx->bs2076_version, wts, dpos);
    double acc[OBJR__MAX_SPEAKERS] = {0};
    for (int d = 0; d < nd; d++) {
        double pg[OBJR__MAX_SPEAKERS];
        polar_extent_pan(g, dpos[d], b->width, b->height, b->depth, pg);
        for (size_t i = 0; i < g->n_main; i++)
            acc[i] += wts[d] * pg[i] * pg[i];
    }
    for (size_t i = 0; i < g->n_main; i++)
        gc[i] = sqrt(acc[i]);
}

/* Gain and diffuseness: @p direct (panning gains on entry) split into direct and diffuse. */
static void split_diffuse(const objr__objects_gaincalc *g, const objr__adm_block_objects *b,
                          double *direct, double *diffuse) {
    double gain = b->c.gain;
    double dif = b->diffuse;
    if (!(dif >= 0.0))
        dif = 0.0;
    if (dif > 1.0)
        dif = 1.0;
    double k_dir = sqrt(1.0 - dif), k_dif = sqrt(dif);
    for (size_t i = 0; i < g->n; i++) {
        double v = direct[i];
        if (!isfinite(v))
            v = 0.0; /* EAR nan_to_num */
        v *= gain;
        if (!isfinite(v))
            v = 0.0;
        direct[i] = v * k_dir;
        diffuse[i] = v * k_dif;
    }
}

void objr__objects_gaincalc_calc(const objr__objects_gaincalc *g,
                                 const objr__adm_block_objects *block, const objr__objects_ctx *ctx,
                                 double *direct, double *diffuse) {
    static const objr__objects_ctx zero_ctx;
    if (!ctx)
        ctx = &zero_ctx;
    objr__adm_block_objects b = *block;
    if (!block_is_finite(&b)) {
        /* a parser rejects these; never let NaN/inf reach the panners */
        for (size_t i = 0; i < g->n; i++)
            direct[i] = diffuse[i] = 0.0;
        return;
    }
    convert_coordinates(ctx->conversion, &b);
    int cartesian = b.pos.cartesian != 0;
    double pos[3];
    position_vector(ctx, &b, pos);
    if (g->has_screen)
        screen_adjust(g, ctx, &b, pos);

    int excluded_full[OBJR__MAX_SPEAKERS] = {0};
    size_t n_excl = 0;
    if (b.n_zones > 0 && b.zones)
        n_excl = objr__zone_excl_get_excluded(&g->zones, b.zones, b.n_zones, excluded_full);
    double gc[OBJR__MAX_SPEAKERS] = {0}; /* compact gains */
    if (cartesian)
        cartesian_gains(g, ctx, &b, excluded_full, pos, gc);
    else
        polar_gains(g, ctx, &b, pos, gc);

    /* scatter to the full layout, LFE silent */
    for (size_t i = 0; i < g->n; i++)
        direct[i] = 0.0;
    for (size_t i = 0; i < g->n_main; i++)
        direct[g->main_idx[i]] = gc[i];
    if (!cartesian && n_excl > 0)
        objr__zone_excl_apply(&g->zones, excluded_full, direct);
    split_diffuse(g, &b, direct, diffuse);
}
