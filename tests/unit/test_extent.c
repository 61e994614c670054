/* SPDX-License-Identifier: BSD-3-Clause */
/* Polar extent (BS.2127 §7.3.8.2.3): width 0 is the point source, any extent keeps power 1,
 * 360 degrees reaches every speaker whatever the direction, left/right symmetry, distance 0
 * is fully spread, the 0..10 degree point/spread cross-fade and depth averaging. */
#include "common/test_common.h"

#include <math.h>
#include <string.h>

#include "layouts/registry.h"
#include "renderers/loudspeaker/extent_polar.h"

typedef struct fixture {
    objr__layout l;
    objr__psp *p;
    objr__extent_polar *e;
} fixture;

static void setup(fixture *f, const char *name) {
    ck_assert_int_eq(objr__layout_lookup(name, &f->l), OBJR_OK);
    ck_assert_int_eq(objr__psp_create(&f->l, &f->p), OBJR_OK);
    ck_assert_int_eq(objr__extent_polar_create(f->p, &f->e), OBJR_OK);
}

static void teardown(fixture *f) {
    objr__extent_polar_destroy(f->e);
    objr__psp_destroy(f->p);
}

static void ext(const fixture *f, double az, double el, double dist, double w, double h, double d,
                double *g) {
    double pos[3];
    objr__geom_cart(az, el, dist, pos);
    objr__extent_polar_gains(f->e, pos, w, h, d, g);
}

static double sumsq(const double *g, size_t n) {
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += g[i] * g[i];
    return s;
}

START_TEST(zero_extent_is_point_source) {
    fixture f;
    setup(&f, "7.1.4");
    double g[OBJR__MAX_SPEAKERS], h[OBJR__MAX_SPEAKERS], dir[3];
    for (double az = -180; az < 180; az += 17)
        for (double el = -60; el <= 90; el += 25) {
            ext(&f, az, el, 1.0, 0, 0, 0, g);
            objr__geom_cart(az, el, 1.0, dir);
            objr__psp_gains(f.p, dir, h);
            for (size_t j = 0; j < f.l.n_speakers; j++)
                ck_assert_double_eq_tol(g[j], h[j], 1e-12);
        }
    teardown(&f);
}
END_TEST

/* Power 1 for any extent on every non-stereo layout (the spread is power-normalised and the
 * cross-fade is in power); the LFE stays silent. */
START_TEST(power_preserved) {
    static const char *names[] = {"5.1", "4+5+0", "7.1.4", "9+10+3", "3+7+0"};
    objr_test_rng r;
    objr_test_rng_init(&r);
    for (size_t k = 0; k < 5; k++) {
        fixture f;
        setup(&f, names[k]);
        double g[OBJR__MAX_SPEAKERS];
        for (int i = 0; i < 40; i++) {
            double az = objr_test_rng_range(&r, -180, 180), el = objr_test_rng_range(&r, -90, 90);
            double dist = objr_test_rng_range(&r, 0, 1.5), w = objr_test_rng_range(&r, 0, 360);
            double h = objr_test_rng_range(&r, 0, 360), d = objr_test_rng_range(&r, 0, 1);
            ext(&f, az, el, dist, w, h, i % 2 ? d : 0.0, g);
            ck_assert_double_eq_tol(sumsq(g, f.l.n_speakers), 1.0, 1e-9);
            for (size_t j = 0; j < f.l.n_speakers; j++)
                if (f.l.speakers[j].is_lfe)
                    ck_assert(g[j] == 0.0);
        }
        teardown(&f);
    }
}
END_TEST

/* 360 x 360 covers the whole sphere: every speaker gets signal, and (the weight being 1
 * everywhere) the result is the same whatever the object's direction. */
START_TEST(full_extent_reaches_all) {
    fixture f;
    setup(&f, "7.1.4");
    double g[OBJR__MAX_SPEAKERS], h[OBJR__MAX_SPEAKERS];
    ext(&f, 0, 0, 1, 360, 360, 0, g);
    ext(&f, 123, -40, 1, 360, 360, 0, h);
    for (size_t j = 0; j < f.l.n_speakers; j++) {
        if (f.l.speakers[j].is_lfe)
            continue;
        ck_assert(g[j] > 0.05);
        ck_assert_double_eq_tol(g[j], h[j], 1e-9);
    }
    /* distance 0: extent_mod makes any extent 360 -> same as above */
    ext(&f, 45, 10, 0.0, 0, 0, 0, h);
    for (size_t j = 0; j < f.l.n_speakers; j++)
        ck_assert_double_eq_tol(g[j], h[j], 1e-9);
    teardown(&f);
}
END_TEST

static int mirror(const objr__layout *l, size_t i) {
    char m[OBJR__SPEAKER_LABEL_SIZE];
    memcpy(m, l->speakers[i].label, sizeof(m));
    char *s = strpbrk(m, "+-");
    if (s && strcmp(s + 1, "000") != 0 && strcmp(s + 1, "180") != 0)
        *s = *s == '+' ? '-' : '+';
    return objr__layout_find_label(l, m);
}

START_TEST(mirror_symmetric) {
    fixture f;
    setup(&f, "7.1.4");
    double g[OBJR__MAX_SPEAKERS], h[OBJR__MAX_SPEAKERS];
    static const double cases[][4] = {
        {30, 0, 60, 20}, {100, 20, 30, 90}, {170, -10, 200, 40}, {10, 60, 120, 120}, {60, 0, 7, 3}};
    for (size_t c = 0; c < 5; c++) {
        ext(&f, cases[c][0], cases[c][1], 1, cases[c][2], cases[c][3], 0, g);
        ext(&f, -cases[c][0], cases[c][1], 1, cases[c][2], cases[c][3], 0, h);
        for (size_t j = 0; j < f.l.n_speakers; j++)
            ck_assert_double_eq_tol(g[j], h[mirror(&f.l, j)], 1e-6);
    }
    /* a wide frontal source is itself symmetric */
    ext(&f, 0, 0, 1, 90, 20, 0, g);
    for (size_t j = 0; j < f.l.n_speakers; j++)
        ck_assert_double_eq_tol(g[j], g[mirror(&f.l, j)], 1e-6);
    teardown(&f);
}
END_TEST

/* Below 10 degrees the result is a linear power cross-fade between the point source and
 * the spread computed with the minimum size (5 x 5 degrees): for any w <= 5 the spread part
 * is the same S, so g(w)^2 = (1 - w/10) p^2 + (w/10) S. Derive S from w = 5, check w = 2.5. */
START_TEST(small_extent_crossfade) {
    fixture f;
    setup(&f, "5.1");
    double g5[OBJR__MAX_SPEAKERS], g25[OBJR__MAX_SPEAKERS], pt[OBJR__MAX_SPEAKERS], pos[3];
    double g[OBJR__MAX_SPEAKERS];
    objr__geom_cart(20, 0, 1, pos);
    objr__extent_polar_spread(f.e, pos, 5.0, 0.0, g5);
    objr__extent_polar_spread(f.e, pos, 2.5, 1.0, g25);
    objr__extent_polar_spread(f.e, pos, 0.0, 0.0, pt);
    for (size_t j = 0; j < f.l.n_speakers; j++) {
        double S = 2.0 * g5[j] * g5[j] - pt[j] * pt[j];
        ck_assert_double_eq_tol(g25[j] * g25[j], 0.75 * pt[j] * pt[j] + 0.25 * S, 1e-12);
    }
    /* growing width moves energy from the nearest speakers to farther ones, monotonically */
    double prev = 2.0;
    for (double w = 0; w <= 360; w += 30) {
        ext(&f, 0, 0, 1, w, 0, 0, g);
        ck_assert(g[2] <= prev + 1e-9); /* M+000 */
        prev = g[2];
    }
    teardown(&f);
}
END_TEST

/* Depth: the two distances distance +- depth/2 are averaged in power, so depth 0 at
 * distance 1 differs from depth 1 (which includes the listener position, fully spread). */
START_TEST(depth_averages) {
    fixture f;
    setup(&f, "7.1.4");
    double g[OBJR__MAX_SPEAKERS], a[OBJR__MAX_SPEAKERS], b[OBJR__MAX_SPEAKERS], pos[3];
    ext(&f, 30, 0, 1, 20, 20, 1.0, g);
    objr__geom_cart(30, 0, 1.5, pos);
    objr__extent_polar_gains(f.e, pos, 20, 20, 0, a);
    objr__geom_cart(30, 0, 0.5, pos);
    objr__extent_polar_gains(f.e, pos, 20, 20, 0, b);
    for (size_t j = 0; j < f.l.n_speakers; j++)
        ck_assert_double_eq_tol(g[j] * g[j], 0.5 * (a[j] * a[j] + b[j] * b[j]), 1e-12);
    teardown(&f);
}
END_TEST

static Suite *extent_suite(void) {
    Suite *s = suite_create("extent");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, zero_extent_is_point_source);
    tcase_add_test(tc, power_preserved);
    tcase_add_test(tc, full_extent_reaches_all);
    tcase_add_test(tc, mirror_symmetric);
    tcase_add_test(tc, small_extent_crossfade);
    tcase_add_test(tc, depth_averages);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(extent_suite)
