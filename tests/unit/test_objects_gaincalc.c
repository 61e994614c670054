/* SPDX-License-Identifier: BSD-3-Clause */
/* The Objects gain calculator (ITU-R BS.2127-1 §7.3) end to end: speakers get all the energy at
 * their own position, power normalisation, mirror symmetry, divergence, channel lock, zone
 * exclusion, block gain, the diffuse split, allocentric room positions, LFE silence. */
#include "common/test_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layouts/registry.h"
#include "renderers/loudspeaker/allocentric.h"
#include "renderers/loudspeaker/decorrelate.h"
#include "renderers/loudspeaker/objects_gaincalc.h"

static objr__objects_gaincalc *make(const char *name, objr__layout *l) {
    ck_assert_int_eq(objr__layout_lookup(name, l), OBJR_OK);
    objr__objects_gaincalc *g = NULL;
    ck_assert_int_eq(objr__objects_gaincalc_create(l, NULL, &g), OBJR_OK);
    ck_assert_ptr_nonnull(g);
    return g;
}

static objr__adm_block_objects polar_block(double az, double el) {
    objr__adm_block_objects b;
    memset(&b, 0, sizeof b);
    b.c.gain = 1.0;
    b.pos.azimuth_deg = az;
    b.pos.elevation_deg = el;
    b.pos.distance = 1.0;
    return b;
}

static objr__adm_block_objects cart_block(double x, double y, double z) {
    objr__adm_block_objects b;
    memset(&b, 0, sizeof b);
    b.c.gain = 1.0;
    b.pos.cartesian = 1;
    b.pos.x = x;
    b.pos.y = y;
    b.pos.z = z;
    return b;
}

static int idx(const objr__layout *l, const char *label) {
    int i = objr__layout_find_label(l, label);
    ck_assert_msg(i >= 0, "no %s in %s", label, l->name);
    return i;
}

static double power(const double *g, size_t n) {
    double p = 0.0;
    for (size_t i = 0; i < n; i++)
        p += g[i] * g[i];
    return p;
}

/* Expect exactly the listed speakers (with gains) and silence elsewhere. */
static void expect(const objr__layout *l, const double *g, const char *const *labels,
                   const double *want, size_t n_want, double tol) {
    for (size_t i = 0; i < l->n_speakers; i++) {
        double w = 0.0;
        for (size_t k = 0; k < n_want; k++)
            if (!strcmp(l->speakers[i].label, labels[k]))
                w = want[k];
        ck_assert_msg(fabs(g[i] - w) <= tol, "%s: got %.9f want %.9f", l->speakers[i].label, g[i],
                      w);
    }
}

START_TEST(polar_object_on_speaker_plays_only_it) {
    const char *names[] = {"0+5+0", "4+7+0", "9+10+3", "4+9+0"};
    for (size_t t = 0; t < 4; t++) {
        objr__layout l;
        objr__objects_gaincalc *g = make(names[t], &l);
        for (size_t s = 0; s < l.n_speakers; s++) {
            if (l.speakers[s].is_lfe)
                continue;
            objr__adm_block_objects b =
                polar_block(l.speakers[s].azimuth_deg, l.speakers[s].elevation_deg);
            double d[OBJR__MAX_SPEAKERS], f[OBJR__MAX_SPEAKERS];
            objr__objects_gaincalc_calc(g, &b, NULL, d, f);
            for (size_t k = 0; k < l.n_speakers; k++)
                ck_assert_double_eq_tol(d[k], k == s ? 1.0 : 0.0, 1e-9);
        }
        objr__objects_gaincalc_destroy(g);
    }
}
END_TEST

START_TEST(cartesian_object_on_speaker_and_room_values) {
    objr__layout l;
    objr__objects_gaincalc *g = make("4+7+0", &l);
    double d[OBJR__MAX_SPEAKERS], f[OBJR__MAX_SPEAKERS];
    /* corners of the room: the corner speaker alone */
    objr__adm_block_objects b = cart_block(-1, 1, 1);
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    const char *u045[] = {"U+045"};
    const double one[] = {1.0};
    expect(&l, d, u045, one, 1, 1e-12);
    b = cart_block(1, -1, 0);
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    const char *m135[] = {"M-135"};
    expect(&l, d, m135, one, 1, 1e-12);
    /* room centre: -3 dB on M+-090 (sine/cosine law halfway between X = -1 and X = +1) */
    b = cart_block(0, 0, 0);
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    const char *sides[] = {"M+090", "M-090"};
    const double h[] = {sqrt(0.5), sqrt(0.5)};
    expect(&l, d, sides, h, 2, 1e-12);
    /* top centre: -6 dB on each top speaker */
    b = cart_block(0, 0, 1);
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    const char *tops[] = {"U+045", "U-045", "U+135", "U-135"};
    const double q[] = {0.5, 0.5, 0.5, 0.5};
    expect(&l, d, tops, q, 4, 1e-12);
    /* out-of-cube coordinates are clipped: (0, 2, -3) is the front centre */
    b = cart_block(0, 2, -3);
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    const char *c[] = {"M+000"};
    expect(&l, d, c, one, 1, 1e-12);
    objr__objects_gaincalc_destroy(g);
}
END_TEST

START_TEST(power_normalised_lfe_silent_mirror_symmetric) {
    const char *names[] = {"0+5+0", "4+7+0", "9+10+3", "0+2+0"};
    objr_test_rng r;
    objr_test_rng_init(&r);
    for (size_t t = 0; t < 4; t++) {
        objr__layout l;
        objr__objects_gaincalc *g = make(names[t], &l);
        for (int i = 0; i < 300; i++) {
            int cart = i & 1;
            objr__adm_block_objects b, m;
            if (cart) {
                b = cart_block(objr_test_rng_range(&r, -1, 1), objr_test_rng_range(&r, -1, 1),
                               objr_test_rng_range(&r, -1, 1));
                m = b;
                m.pos.x = -b.pos.x;
            } else {
                b = polar_block(objr_test_rng_range(&r, -180, 180),
                                objr_test_rng_range(&r, -90, 90));
                m = b;
                m.pos.azimuth_deg = -b.pos.azimuth_deg;
            }
            double d[OBJR__MAX_SPEAKERS], f[OBJR__MAX_SPEAKERS];
            double dm[OBJR__MAX_SPEAKERS], fm[OBJR__MAX_SPEAKERS];
            objr__objects_gaincalc_calc(g, &b, NULL, d, f);
            objr__objects_gaincalc_calc(g, &m, NULL, dm, fm);
            /* 0+2+0 pans on a virtual 0+5+0 and downmixes (BS.2127 §6.1.2.3), so power is
             * not preserved there (an object at 110 deg reaches M+030 at -3 dB) */
            if (strcmp(names[t], "0+2+0"))
                ck_assert_double_eq_tol(power(d, l.n_speakers), 1.0, 1e-9);
            for (size_t k = 0; k < l.n_speakers; k++) {
                ck_assert(f[k] == 0.0);
                if (l.speakers[k].is_lfe) {
                    ck_assert(d[k] == 0.0);
                    continue;
                }
                /* mirrored label: swap the sign after the layer letter(s) */
                char lab[OBJR__SPEAKER_LABEL_SIZE];
                memcpy(lab, l.speakers[k].label, sizeof lab);
                char *p = strpbrk(lab, "+-");
                if (p && strcmp(p + 1, "000") && strcmp(p + 1, "180"))
                    *p = *p == '+' ? '-' : '+';
                int km = idx(&l, lab);
                ck_assert_double_eq_tol(d[k], dm[km], 1e-9);
            }
        }
        objr__objects_gaincalc_destroy(g);
    }
}
END_TEST

START_TEST(divergence) {
    objr__layout l;
    objr__objects_gaincalc *g = make("0+5+0", &l);
    double d[OBJR__MAX_SPEAKERS], f[OBJR__MAX_SPEAKERS], d0[OBJR__MAX_SPEAKERS];
    /* value 0 is no divergence */
    objr__adm_block_objects b = polar_block(10, 0);
    objr__objects_gaincalc_calc(g, &b, NULL, d0, f);
    b.has_divergence = 1;
    b.divergence = 0.0;
    b.has_divergence_azimuth_range = 1;
    b.divergence_azimuth_range_deg = 30;
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    for (size_t k = 0; k < l.n_speakers; k++)
        ck_assert_double_eq_tol(d[k], d0[k], 1e-15);
    /* value 1, range 30 at az 0: sources at +-30 with power weights v/(v+1) = 1/2 each, the
     * centre weight (1-v)/(1+v) = 0: -3 dB on M+-030 only */
    b = polar_block(0, 0);
    b.has_divergence = 1;
    b.divergence = 1.0;
    b.has_divergence_azimuth_range = 1;
    b.divergence_azimuth_range_deg = 30;
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    const char *lr[] = {"M+030", "M-030"};
    const double h[] = {sqrt(0.5), sqrt(0.5)};
    expect(&l, d, lr, h, 2, 1e-9);
    /* value 0.5: 1/3 of the power on each of the three sources */
    b.divergence = 0.5;
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    const char *lcr[] = {"M+030", "M-030", "M+000"};
    const double t3[] = {sqrt(1 / 3.0), sqrt(1 / 3.0), sqrt(1 / 3.0)};
    expect(&l, d, lcr, t3, 3, 1e-9);
    /* missing azimuthRange: 45 deg for unknown/BS.2076-1 documents, 0 from BS.2076-2 on */
    b.has_divergence_azimuth_range = 0;
    b.divergence = 1.0;
    objr__objects_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.bs2076_version = 2;
    objr__objects_gaincalc_calc(g, &b, &ctx, d, f);
    const char *c[] = {"M+000"};
    const double one[] = {1.0};
    expect(&l, d, c, one, 1, 1e-9);
    double w[3], pos[3][3];
    const double front[3] = {0, 1, 0};
    ck_assert_int_eq(objr__objects_diverge(front, &b, 0, 1, w, pos), 3);
    ck_assert_double_eq_tol(atan2(-pos[0][0], pos[0][1]) * 180 / OBJR_PI, 45.0, 1e-9);
    ck_assert_double_eq_tol(atan2(-pos[2][0], pos[2][1]) * 180 / OBJR_PI, -45.0, 1e-9);
    objr__objects_gaincalc_destroy(g);

    /* cartesian: positionRange moves the outer sources along X; clipped to the cube */
    g = make("4+7+0", &l);
    b = cart_block(0, 1, 0);
    b.has_divergence = 1;
    b.divergence = 1.0;
    b.has_divergence_position_range = 1;
    b.divergence_position_range = 1.0;
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    expect(&l, d, lr, h, 2, 1e-12);
    objr__objects_gaincalc_destroy(g);
}
END_TEST

START_TEST(channel_lock) {
    objr__layout l;
    objr__objects_gaincalc *g = make("0+5+0", &l);
    double d[OBJR__MAX_SPEAKERS], f[OBJR__MAX_SPEAKERS];
    const double one[] = {1.0};
    /* az 20: chord to M+030 is 2 sin 5 deg = 0.174, to M+000 2 sin 10 deg = 0.347 */
    objr__adm_block_objects b = polar_block(20, 0);
    b.channel_lock = 1;
    b.has_channel_lock_max_distance = 1;
    b.channel_lock_max_distance = 0.5;
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    const char *l30[] = {"M+030"};
    expect(&l, d, l30, one, 1, 1e-12);
    /* outside maxDistance: left alone (panned between M+000 and M+030) */
    b.channel_lock_max_distance = 0.1;
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    ck_assert(d[idx(&l, "M+000")] > 0.1 && d[idx(&l, "M+030")] > 0.1);
    /* no maxDistance: always locks */
    b = polar_block(-150, 20);
    b.channel_lock = 1;
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    const char *r110[] = {"M-110"};
    expect(&l, d, r110, one, 1, 1e-12);
    /* equidistant from M+000 and M+030: the smaller |azimuth| wins the tie */
    b = polar_block(15, 0);
    b.channel_lock = 1;
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    const char *c[] = {"M+000"};
    expect(&l, d, c, one, 1, 1e-12);
    objr__objects_gaincalc_destroy(g);

    /* cartesian: weighted distance (Y and Z count more than X) */
    g = make("4+7+0", &l);
    b = cart_block(-0.6, 0.9, 0.1);
    b.channel_lock = 1;
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    expect(&l, d, l30, one, 1, 1e-12);
    objr__objects_gaincalc_destroy(g);
}
END_TEST

START_TEST(zone_exclusion_silences_and_preserves_power) {
    objr__layout l;
    objr__objects_gaincalc *g = make("0+5+0", &l);
    double d[OBJR__MAX_SPEAKERS], f[OBJR__MAX_SPEAKERS];
    objr__adm_zone z;
    memset(&z, 0, sizeof z);
    z.min_elevation_deg = -10;
    z.max_elevation_deg = 10;
    z.min_azimuth_deg = 20;
    z.max_azimuth_deg = 40;
    /* object on M+030 with M+030 excluded: its energy moves to the nearest speaker of the same
     * layer on the same front/back side, M+000 */
    objr__adm_block_objects b = polar_block(30, 0);
    b.zones = &z;
    b.n_zones = 1;
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    const char *c[] = {"M+000"};
    const double one[] = {1.0};
    expect(&l, d, c, one, 1, 1e-12);
    objr__objects_gaincalc_destroy(g);

    g = make("4+7+0", &l);
    objr_test_rng r;
    objr_test_rng_init(&r);
    objr__adm_zone zc;
    memset(&zc, 0, sizeof zc);
    zc.cartesian = 1; /* the left half of the room above the ears: U+045, U+135 */
    zc.min_x = -1;
    zc.max_x = -0.1;
    zc.min_y = -1;
    zc.max_y = 1;
    zc.min_z = 0.2;
    zc.max_z = 1;
    for (int i = 0; i < 200; i++) {
        objr__adm_block_objects bb =
            (i & 1)
                ? cart_block(objr_test_rng_range(&r, -1, 1), objr_test_rng_range(&r, -1, 1),
                             objr_test_rng_range(&r, 0, 1))
                : polar_block(objr_test_rng_range(&r, -180, 180), objr_test_rng_range(&r, 0, 90));
        bb.zones = &zc;
        bb.n_zones = 1;
        objr__objects_gaincalc_calc(g, &bb, NULL, d, f);
        ck_assert(fabs(d[idx(&l, "U+045")]) < 1e-9);
        ck_assert(fabs(d[idx(&l, "U+135")]) < 1e-9);
        ck_assert_double_eq_tol(power(d, l.n_speakers), 1.0, 1e-9);
    }
    objr__objects_gaincalc_destroy(g);
}
END_TEST

START_TEST(gain_and_diffuse_split) {
    objr__layout l;
    objr__objects_gaincalc *g = make("4+7+0", &l);
    double d[OBJR__MAX_SPEAKERS], f[OBJR__MAX_SPEAKERS], d0[OBJR__MAX_SPEAKERS];
    objr__adm_block_objects b = polar_block(37, 12);
    objr__objects_gaincalc_calc(g, &b, NULL, d0, f);
    b.diffuse = 0.5;
    b.c.gain = 0.5;
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    /* direct = g sqrt(1 - diffuse), diffuse = g sqrt(diffuse): equal power at 0.5 */
    for (size_t k = 0; k < l.n_speakers; k++) {
        ck_assert_double_eq_tol(d[k], 0.5 * d0[k] * sqrt(0.5), 1e-15);
        ck_assert_double_eq_tol(f[k], d[k], 1e-15);
    }
    ck_assert_double_eq_tol(power(d, l.n_speakers) + power(f, l.n_speakers), 0.25, 1e-12);
    b.diffuse = 1.0;
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    ck_assert_double_eq_tol(power(d, l.n_speakers), 0.0, 1e-30);
    ck_assert_double_eq_tol(power(f, l.n_speakers), 0.25, 1e-12);
    objr__objects_gaincalc_destroy(g);
}
END_TEST

START_TEST(screen_edge_lock_and_ref) {
    objr__layout l;
    objr__objects_gaincalc *g = make("0+5+0", &l);
    double d[OBJR__MAX_SPEAKERS], f[OBJR__MAX_SPEAKERS], d2[OBJR__MAX_SPEAKERS];
    /* the default screen's left edge is at 29 deg: locking to it equals an object at 29 deg */
    objr__adm_block_objects b = polar_block(-100, 0);
    b.pos.screen_edge_lock_azimuth = 1;
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    objr__adm_block_objects e = polar_block(29, 0);
    objr__objects_gaincalc_calc(g, &e, NULL, d2, f);
    for (size_t k = 0; k < l.n_speakers; k++)
        ck_assert_double_eq_tol(d[k], d2[k], 1e-12);
    /* screenRef with the reference screen equal to the reproduction screen changes nothing */
    b = polar_block(17, 5);
    objr__objects_gaincalc_calc(g, &b, NULL, d2, f);
    b.screen_ref = 1;
    objr__objects_gaincalc_calc(g, &b, NULL, d, f);
    for (size_t k = 0; k < l.n_speakers; k++)
        ck_assert_double_eq_tol(d[k], d2[k], 1e-12);
    /* a reference screen half as wide: its edge (14.3 deg) maps onto the reproduction edge */
    objr__screen ref = objr__screen_default();
    ref.width_azimuth_deg = 2.0 * atan(tan(29.0 * OBJR_PI / 180) / 2.0) * 180 / OBJR_PI;
    objr__objects_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.reference_screen = &ref;
    b = polar_block(ref.width_azimuth_deg / 2.0, 0);
    b.screen_ref = 1;
    objr__objects_gaincalc_calc(g, &b, &ctx, d, f);
    objr__objects_gaincalc_calc(g, &e, NULL, d2, f);
    for (size_t k = 0; k < l.n_speakers; k++)
        ck_assert_double_eq_tol(d[k], d2[k], 1e-9);
    objr__objects_gaincalc_destroy(g);
}
END_TEST

START_TEST(extent_mod_values) {
    /* distance 1 leaves the extent alone; distance 0 makes it 360; far sources shrink */
    ck_assert_double_eq_tol(objr__objects_extent_mod(0.0, 1.0), 0.0, 1e-12);
    ck_assert_double_eq_tol(objr__objects_extent_mod(90.0, 1.0), 90.0, 1e-12);
    ck_assert_double_eq_tol(objr__objects_extent_mod(30.0, 0.0), 360.0, 1e-12);
    ck_assert(objr__objects_extent_mod(90.0, 2.0) < 90.0);
    /* extent 0 at distance 0.5: size 0.2, e1 = 4 atan(0.2), x = 4 atan(0.4):
     * (x - e1) / (360 - e1) * 360 */
    double e1 = 4 * atan(0.2) * 180 / OBJR_PI, x = 4 * atan(0.4) * 180 / OBJR_PI;
    ck_assert_double_eq_tol(objr__objects_extent_mod(0.0, 0.5), (x - e1) / (360 - e1) * 360, 1e-9);
}
END_TEST

START_TEST(conversion_override) {
    objr__layout l;
    objr__objects_gaincalc *g = make("4+7+0", &l);
    double d[OBJR__MAX_SPEAKERS], f[OBJR__MAX_SPEAKERS];
    objr__objects_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    /* polar 30 deg converted to cartesian lands on the (-1, 1, 0) corner: M+030 alone */
    ctx.conversion = OBJR__CONVERSION_TO_CARTESIAN;
    objr__adm_block_objects b = polar_block(30, 0);
    objr__objects_gaincalc_calc(g, &b, &ctx, d, f);
    const char *l30[] = {"M+030"};
    const double one[] = {1.0};
    expect(&l, d, l30, one, 1, 1e-9);
    /* cartesian (1, -1, 0) converted to polar is azimuth -110, panned between M-090/M-135 */
    ctx.conversion = OBJR__CONVERSION_TO_POLAR;
    b = cart_block(1, -1, 0);
    objr__objects_gaincalc_calc(g, &b, &ctx, d, f);
    ck_assert(d[idx(&l, "M-090")] > 0.1 && d[idx(&l, "M-135")] > 0.1);
    ck_assert_double_eq_tol(power(d, l.n_speakers), 1.0, 1e-9);
    objr__objects_gaincalc_destroy(g);
}
END_TEST

START_TEST(create_errors) {
    objr__layout l;
    objr__objects_gaincalc *g = (objr__objects_gaincalc *)&l;
    ck_assert_int_eq(objr__objects_gaincalc_create(NULL, NULL, &g), OBJR_ERR_INVALID_ARG);
    ck_assert_ptr_null(g);
    ck_assert_int_eq(objr__layout_lookup("0+5+0", &l), OBJR_OK);
    objr__objects_gaincalc_config cfg = objr__objects_gaincalc_config_default();
    cfg.reproduction_screen.centre_azimuth_deg = 180; /* extends past -y (behind) */
    ck_assert_int_ne(objr__objects_gaincalc_create(&l, &cfg, &g), OBJR_OK);
    ck_assert_ptr_null(g);
    objr__objects_gaincalc_destroy(NULL);
}
END_TEST

START_TEST(every_builtin_layout_pans_cartesian_speaker_positions) {
    /* custom common layouts (7.1.2, 9.1.6) get allocentric positions from their labels */
    for (size_t t = 0; t < objr__layout_builtin_count(); t++) {
        objr__layout l;
        objr__layout_from_def(objr__layout_builtin_def(t), &l);
        objr__objects_gaincalc *g = NULL;
        ck_assert_msg(objr__objects_gaincalc_create(&l, NULL, &g) == OBJR_OK, "%s", l.name);
        double pos[OBJR__MAX_SPEAKERS][3], d[OBJR__MAX_SPEAKERS], f[OBJR__MAX_SPEAKERS];
        ck_assert_int_eq(objr__allo_positions_for_layout(&l, pos), OBJR_OK);
        for (size_t s = 0; s < l.n_speakers; s++) {
            if (l.speakers[s].is_lfe)
                continue;
            objr__adm_block_objects b = cart_block(pos[s][0], pos[s][1], pos[s][2]);
            objr__objects_gaincalc_calc(g, &b, NULL, d, f);
            for (size_t k = 0; k < l.n_speakers; k++)
                ck_assert_msg(fabs(d[k] - (k == s ? 1.0 : 0.0)) < 1e-12, "%s %s", l.name,
                              l.speakers[s].label);
        }
        objr__objects_gaincalc_destroy(g);
    }
}
END_TEST

START_TEST(allocation_failures_are_clean) {
    objr__layout l;
    ck_assert_int_eq(objr__layout_lookup("4+7+0", &l), OBJR_OK);
    objr_status st = OBJR_ERR_NOMEM;
    for (long n = 1; n < 10000 && st != OBJR_OK; n++) {
        objr__objects_gaincalc *g = NULL;
        objr__alloc_fail_after(n);
        st = objr__objects_gaincalc_create(&l, NULL, &g);
        objr__alloc_fail_after(0);
        if (st == OBJR_OK) {
            objr__objects_gaincalc_destroy(g);
            break;
        }
        ck_assert_int_eq(st, OBJR_ERR_NOMEM);
        ck_assert_ptr_null(g);
    }
    ck_assert_int_eq(st, OBJR_OK);
    static double filt[2 * OBJR__DECORR_TAPS];
    st = OBJR_ERR_NOMEM;
    for (long n = 1; n < 100 && st != OBJR_OK; n++) {
        objr__fir_bank *b = NULL;
        objr__alloc_fail_after(n);
        st = objr__fir_bank_create(filt, 2, OBJR__DECORR_TAPS, 256, &b);
        objr__alloc_fail_after(0);
        if (st == OBJR_OK)
            objr__fir_bank_destroy(b);
        else
            ck_assert_ptr_null(b);
    }
    ck_assert_int_eq(st, OBJR_OK);
}
END_TEST

START_TEST(hostile_values_stay_finite) {
    objr__layout l;
    objr__objects_gaincalc *g = make("4+7+0", &l);
    double d[OBJR__MAX_SPEAKERS], f[OBJR__MAX_SPEAKERS];
    const double bad[] = {NAN, INFINITY, -INFINITY, 1e300, -1e300, 1e18};
    objr__adm_zone z;
    memset(&z, 0, sizeof z);
    z.min_azimuth_deg = -1e300;
    z.max_azimuth_deg = 1e300;
    z.max_elevation_deg = 90;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        for (int field = 0; field < 8; field++) {
            objr__adm_block_objects b = field < 4 ? polar_block(10, 10) : cart_block(0.1, 0.2, 0);
            double *tgt[8] = {&b.pos.azimuth_deg, &b.pos.elevation_deg,
                              &b.width,           &b.diffuse,
                              &b.pos.x,           &b.pos.z,
                              &b.depth,           &b.divergence_position_range};
            *tgt[field] = bad[i];
            b.has_divergence = 1;
            b.divergence = 0.5;
            b.has_divergence_position_range = 1;
            b.zones = &z;
            b.n_zones = 1;
            b.channel_lock = 1;
            objr__objects_gaincalc_calc(g, &b, NULL, d, f);
            for (size_t k = 0; k < l.n_speakers; k++)
                ck_assert(isfinite(d[k]) && isfinite(f[k]) && d[k] >= 0.0 && d[k] <= 1.0 + 1e-9);
        }
    }
    objr__objects_gaincalc_destroy(g);
}
END_TEST

static Suite *objects_gaincalc_suite(void) {
    Suite *s = suite_create("objects_gaincalc");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, polar_object_on_speaker_plays_only_it);
    tcase_add_test(tc, cartesian_object_on_speaker_and_room_values);
    tcase_add_test(tc, power_normalised_lfe_silent_mirror_symmetric);
    tcase_add_test(tc, divergence);
    tcase_add_test(tc, channel_lock);
    tcase_add_test(tc, zone_exclusion_silences_and_preserves_power);
    tcase_add_test(tc, gain_and_diffuse_split);
    tcase_add_test(tc, screen_edge_lock_and_ref);
    tcase_add_test(tc, extent_mod_values);
    tcase_add_test(tc, conversion_override);
    tcase_add_test(tc, create_errors);
    tcase_add_test(tc, every_builtin_layout_pans_cartesian_speaker_positions);
    tcase_add_test(tc, allocation_failures_are_clean);
    tcase_add_test(tc, hostile_values_stay_finite);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(objects_gaincalc_suite)
