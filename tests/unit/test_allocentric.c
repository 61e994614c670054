/* SPDX-License-Identifier: BSD-3-Clause */
/* Allocentric panner, allocentric extent and §10 conversions (ITU-R BS.2127-1 §7.3.9, §7.3.10,
 * §10): speakers get all the energy at their own position, corners, room centre, power
 * normalisation, mirror symmetry, clamping below the floor, round-trip conversions. */
#include "common/test_common.h"

#include <math.h>

#include "objgain_layouts.h"
#include "renderers/loudspeaker/allocentric.h"
#include "renderers/loudspeaker/extent_allo.h"

/* Compact non-LFE allocentric positions of a layout, with their layout indices. */
static size_t main_positions(const objr__layout *l, double (*pos)[3], int *idx) {
    double all[OBJR__MAX_SPEAKERS][3];
    ck_assert_int_eq(objr__allo_positions_for_layout(l, all), OBJR_OK);
    size_t n = 0;
    for (size_t i = 0; i < l->n_speakers; i++) {
        if (l->speakers[i].is_lfe)
            continue;
        pos[n][0] = all[i][0];
        pos[n][1] = all[i][1];
        pos[n][2] = all[i][2];
        idx[n++] = (int)i;
    }
    return n;
}

static size_t find(const objr__layout *l, const int *idx, size_t n, const char *label) {
    int k = tl_index(l, label);
    for (size_t i = 0; i < n; i++)
        if (idx[i] == k)
            return i;
    ck_abort_msg("no %s", label);
    return 0;
}

START_TEST(speaker_position_plays_only_that_speaker) {
    objr__layout ls[3];
    tl_714(&ls[0]);
    tl_51(&ls[1]);
    tl_22_2(&ls[2]);
    for (int li = 0; li < 3; li++) {
        double pos[OBJR__MAX_SPEAKERS][3], g[OBJR__MAX_SPEAKERS];
        int idx[OBJR__MAX_SPEAKERS];
        size_t n = main_positions(&ls[li], pos, idx);
        for (size_t s = 0; s < n; s++) {
            objr__allo_pan((const double(*)[3])pos, n, pos[s], g);
            for (size_t k = 0; k < n; k++)
                ck_assert_double_eq_tol(g[k], k == s ? 1.0 : 0.0, 1e-12);
        }
    }
}
END_TEST

START_TEST(room_centre_is_minus_3db_on_side_pair) {
    /* 7.1.4: Z = 0 is the mid plane; Y = 0 is exactly the M+-090 row; X = 0 is halfway
     * between X = -1 and X = +1, so the sine/cosine law gives cos(pi/4) = -3 dB each. */
    objr__layout l;
    tl_714(&l);
    double pos[OBJR__MAX_SPEAKERS][3], g[OBJR__MAX_SPEAKERS];
    int idx[OBJR__MAX_SPEAKERS];
    size_t n = main_positions(&l, pos, idx);
    const double src[3] = {0, 0, 0};
    objr__allo_pan((const double(*)[3])pos, n, src, g);
    for (size_t k = 0; k < n; k++) {
        const char *lab = l.speakers[idx[k]].label;
        double want = (!strcmp(lab, "M+090") || !strcmp(lab, "M-090")) ? sqrt(0.5) : 0.0;
        ck_assert_double_eq_tol(g[k], want, 1e-12);
    }
}
END_TEST

START_TEST(top_centre_is_minus_6db_on_four_tops) {
    /* Z = 1: the top plane has rows Y = +1 and Y = -1 only; Y = 0 is halfway (cos pi/4), and
     * X = 0 halfway again: 0.5 (-6 dB) on each of the four top speakers. */
    objr__layout l;
    tl_714(&l);
    double pos[OBJR__MAX_SPEAKERS][3], g[OBJR__MAX_SPEAKERS];
    int idx[OBJR__MAX_SPEAKERS];
    size_t n = main_positions(&l, pos, idx);
    const double src[3] = {0, 0, 1};
    objr__allo_pan((const double(*)[3])pos, n, src, g);
    for (size_t k = 0; k < n; k++) {
        const char *lab = l.speakers[idx[k]].label;
        double want = lab[0] == 'U' ? 0.5 : 0.0;
        ck_assert_double_eq_tol(g[k], want, 1e-12);
    }
}
END_TEST

START_TEST(room_corners_play_from_corner_speaker) {
    objr__layout l;
    tl_714(&l);
    double pos[OBJR__MAX_SPEAKERS][3], g[OBJR__MAX_SPEAKERS];
    int idx[OBJR__MAX_SPEAKERS];
    size_t n = main_positions(&l, pos, idx);
    const struct {
        double x, y, z;
        const char *label;
    } c[] = {{-1, 1, 1, "U+045"},  {1, 1, 1, "U-045"},  {-1, -1, 1, "U+135"}, {1, -1, 1, "U-135"},
             {-1, 1, 0, "M+030"},  {1, 1, 0, "M-030"},  {-1, -1, 0, "M+135"}, {1, -1, 0, "M-135"},
             {-1, 1, -1, "M+030"}, {1, -1, -1, "M-135"}};
    for (size_t t = 0; t < sizeof c / sizeof c[0]; t++) {
        const double src[3] = {c[t].x, c[t].y, c[t].z};
        objr__allo_pan((const double(*)[3])pos, n, src, g);
        size_t want = find(&l, idx, n, c[t].label);
        for (size_t k = 0; k < n; k++)
            ck_assert_double_eq_tol(g[k], k == want ? 1.0 : 0.0, 1e-12);
    }
}
END_TEST

START_TEST(below_floor_acts_as_floor) {
    /* No bottom layer in 7.1.4: the lowest plane is Z = 0, and anything lower clamps to it. */
    objr__layout l;
    tl_714(&l);
    double pos[OBJR__MAX_SPEAKERS][3], g0[OBJR__MAX_SPEAKERS], g1[OBJR__MAX_SPEAKERS];
    int idx[OBJR__MAX_SPEAKERS];
    size_t n = main_positions(&l, pos, idx);
    objr_test_rng r;
    objr_test_rng_init(&r);
    for (int t = 0; t < 200; t++) {
        double x = objr_test_rng_range(&r, -1, 1), y = objr_test_rng_range(&r, -1, 1);
        double z = objr_test_rng_range(&r, -1, 0);
        const double a[3] = {x, y, z}, b[3] = {x, y, 0.0};
        objr__allo_pan((const double(*)[3])pos, n, a, g0);
        objr__allo_pan((const double(*)[3])pos, n, b, g1);
        for (size_t k = 0; k < n; k++)
            ck_assert_double_eq_tol(g0[k], g1[k], 1e-15);
    }
}
END_TEST

START_TEST(power_normalised_and_mirror_symmetric) {
    objr__layout ls[3];
    tl_714(&ls[0]);
    tl_51(&ls[1]);
    tl_22_2(&ls[2]);
    objr_test_rng r;
    objr_test_rng_init(&r);
    for (int li = 0; li < 3; li++) {
        double pos[OBJR__MAX_SPEAKERS][3], g[OBJR__MAX_SPEAKERS], gm[OBJR__MAX_SPEAKERS];
        int idx[OBJR__MAX_SPEAKERS];
        size_t n = main_positions(&ls[li], pos, idx);
        for (int t = 0; t < 500; t++) {
            double src[3] = {objr_test_rng_range(&r, -1, 1), objr_test_rng_range(&r, -1, 1),
                             objr_test_rng_range(&r, -1, 1)};
            double mir[3] = {-src[0], src[1], src[2]};
            objr__allo_pan((const double(*)[3])pos, n, src, g);
            objr__allo_pan((const double(*)[3])pos, n, mir, gm);
            double p = 0.0;
            for (size_t k = 0; k < n; k++)
                p += g[k] * g[k];
            ck_assert_double_eq_tol(p, 1.0, 1e-12);
            for (size_t k = 0; k < n; k++) {
                int m = tl_mirror(&ls[li], (size_t)idx[k]);
                size_t km = find(&ls[li], idx, n, ls[li].speakers[m].label);
                ck_assert_double_eq_tol(g[k], gm[km], 1e-12);
            }
        }
    }
}
END_TEST

START_TEST(side_exclusion_takes_the_row) {
    objr__layout l;
    tl_714(&l);
    double pos[OBJR__MAX_SPEAKERS][3];
    int idx[OBJR__MAX_SPEAKERS], ex[OBJR__MAX_SPEAKERS] = {0};
    size_t n = main_positions(&l, pos, idx);
    ex[find(&l, idx, n, "M+090")] = 1;
    objr__allo_extend_excluded((const double(*)[3])pos, n, ex);
    for (size_t k = 0; k < n; k++) {
        const char *lab = l.speakers[idx[k]].label;
        ck_assert_int_eq(ex[k], !strcmp(lab, "M+090") || !strcmp(lab, "M-090"));
    }
    /* excluding everything excludes nothing */
    for (size_t k = 0; k < n; k++)
        ex[k] = 1;
    objr__allo_extend_excluded((const double(*)[3])pos, n, ex);
    for (size_t k = 0; k < n; k++)
        ck_assert_int_eq(ex[k], 0);
}
END_TEST

START_TEST(conversion_known_points_and_round_trip) {
    /* §10 maps the 0+5+0 directions onto the square's corners/edge centres. */
    const struct {
        double az, el, x, y, z;
    } k[] = {{0, 0, 0, 1, 0},     {30, 0, -1, 1, 0}, {-30, 0, 1, 1, 0},  {110, 0, -1, -1, 0},
             {-110, 0, 1, -1, 0}, {0, 90, 0, 0, 1},  {180, 0, 0, -1, 0}, {30, 30, -1, 1, 1}};
    for (size_t t = 0; t < sizeof k / sizeof k[0]; t++) {
        double c[3];
        objr__point_polar_to_cart(k[t].az, k[t].el, 1.0, c);
        ck_assert_double_eq_tol(c[0], k[t].x, 1e-9);
        ck_assert_double_eq_tol(c[1], k[t].y, 1e-9);
        ck_assert_double_eq_tol(c[2], k[t].z, 1e-9);
    }
    objr_test_rng r;
    objr_test_rng_init(&r);
    for (int t = 0; t < 1000; t++) {
        double az = objr_test_rng_range(&r, -179.9, 179.9), el = objr_test_rng_range(&r, -89, 89);
        double d = objr_test_rng_range(&r, 0.2, 1.0), c[3], az2, el2, d2;
        objr__point_polar_to_cart(az, el, d, c);
        objr__point_cart_to_polar(c[0], c[1], c[2], &az2, &el2, &d2);
        ck_assert_double_eq_tol(az2, az, 1e-7);
        ck_assert_double_eq_tol(el2, el, 1e-7);
        ck_assert_double_eq_tol(d2, d, 1e-9);
    }
    /* extent round trip: width/height survive polar -> cart -> polar for a frontal source */
    double xyz[3], xs, ys, zs, az, el, d, w, h, dp;
    objr__extent_polar_to_cart(0, 0, 1, 60, 20, 0, xyz, &xs, &ys, &zs);
    ck_assert_double_eq_tol(xs, sin(30 * OBJR_PI / 180), 1e-12);
    ck_assert_double_eq_tol(zs, sin(10 * OBJR_PI / 180), 1e-12);
    objr__extent_cart_to_polar(xyz[0], xyz[1], xyz[2], xs, ys, zs, &az, &el, &d, &w, &h, &dp);
    ck_assert_double_eq_tol(az, 0, 1e-9);
    ck_assert(fabs(w - 60) < 3.0); /* the mapping is not exactly invertible for width */
}
END_TEST

START_TEST(allo_extent_normalised_symmetric_and_spreading) {
    objr__layout l;
    tl_714(&l);
    double pos[OBJR__MAX_SPEAKERS][3], g[OBJR__MAX_SPEAKERS], gm[OBJR__MAX_SPEAKERS];
    int idx[OBJR__MAX_SPEAKERS];
    size_t n = main_positions(&l, pos, idx);
    objr_test_rng r;
    objr_test_rng_init(&r);
    for (int t = 0; t < 40; t++) {
        double src[3] = {objr_test_rng_range(&r, -1, 1), objr_test_rng_range(&r, -1, 1),
                         objr_test_rng_range(&r, 0, 1)};
        double mir[3] = {-src[0], src[1], src[2]};
        double sx = objr_test_rng_range(&r, 0, 1), sy = objr_test_rng_range(&r, 0, 1),
               sz = objr_test_rng_range(&r, 0, 1);
        objr__allo_extent_gains((const double(*)[3])pos, n, src, sx, sy, sz, g);
        objr__allo_extent_gains((const double(*)[3])pos, n, mir, sx, sy, sz, gm);
        /* the precomputed-grid path gives the same gains */
        static objr__allo_extent_grid grid;
        double gg[OBJR__MAX_SPEAKERS];
        objr__allo_extent_grid_init(&grid, (const double(*)[3])pos, n);
        objr__allo_extent_gains_grid(&grid, (const double(*)[3])pos, src, sx, sy, sz, gg);
        for (size_t k = 0; k < n; k++)
            ck_assert(gg[k] == g[k]);
        double p = 0.0;
        for (size_t k = 0; k < n; k++) {
            p += g[k] * g[k];
            ck_assert(g[k] >= 0.0);
            int m = tl_mirror(&l, (size_t)idx[k]);
            ck_assert_double_eq_tol(g[k], gm[find(&l, idx, n, l.speakers[m].label)], 1e-9);
        }
        ck_assert_double_eq_tol(p, 1.0, 1e-9);
    }
    /* a full-size object at the room centre reaches every speaker */
    const double c[3] = {0, 0, 0.5};
    objr__allo_extent_gains((const double(*)[3])pos, n, c, 1, 1, 1, g);
    for (size_t k = 0; k < n; k++)
        ck_assert(g[k] > 0.05);
    /* a small object at a corner stays mostly in the corner speaker */
    const double corner[3] = {-1, 1, 0};
    objr__allo_extent_gains((const double(*)[3])pos, n, corner, 0.01, 0.01, 0.01, g);
    ck_assert(g[find(&l, idx, n, "M+030")] > 0.95);
}
END_TEST

static Suite *allocentric_suite(void) {
    Suite *s = suite_create("allocentric");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, speaker_position_plays_only_that_speaker);
    tcase_add_test(tc, room_centre_is_minus_3db_on_side_pair);
    tcase_add_test(tc, top_centre_is_minus_6db_on_four_tops);
    tcase_add_test(tc, room_corners_play_from_corner_speaker);
    tcase_add_test(tc, below_floor_acts_as_floor);
    tcase_add_test(tc, power_normalised_and_mirror_symmetric);
    tcase_add_test(tc, side_exclusion_takes_the_row);
    tcase_add_test(tc, conversion_known_points_and_round_trip);
    tcase_add_test(tc, allo_extent_normalised_symmetric_and_spreading);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(allocentric_suite)
