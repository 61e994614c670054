/* SPDX-License-Identifier: BSD-3-Clause */
/* Screen edges, screen scaling and screen edge lock (ITU-R BS.2127-1 §7.3.3, §7.3.4). */
#include "common/test_common.h"

#include <math.h>

#include "renderers/loudspeaker/allocentric.h"
#include "renderers/loudspeaker/screen.h"

#define D2R (OBJR_PI / 180.0)

START_TEST(default_screen_edges) {
    /* 58 deg wide, centred in front at distance 1: edges at +-29 deg; the height is the width
     * divided by the aspect ratio, so the top edge is at atan(tan(29 deg) / 1.78) */
    objr__screen s = objr__screen_default();
    objr__screen_edges e;
    ck_assert_int_eq(objr__screen_edges_from(&s, &e), OBJR_OK);
    ck_assert_double_eq_tol(e.left_azimuth_deg, 29.0, 1e-9);
    ck_assert_double_eq_tol(e.right_azimuth_deg, -29.0, 1e-9);
    double top = atan(tan(29.0 * D2R) / 1.78) / D2R;
    ck_assert_double_eq_tol(e.top_elevation_deg, top, 1e-9);
    ck_assert_double_eq_tol(e.bottom_elevation_deg, -top, 1e-9);
    /* the same screen described in cartesian form */
    objr__screen c = {0};
    c.cartesian = 1;
    c.aspect_ratio = 1.78;
    c.centre_y = 1.0;
    c.width_x = 2.0 * tan(29.0 * D2R);
    ck_assert_int_eq(objr__screen_edges_from(&c, &e), OBJR_OK);
    ck_assert_double_eq_tol(e.left_azimuth_deg, 29.0, 1e-9);
    ck_assert_double_eq_tol(e.top_elevation_deg, top, 1e-9);
    /* invalid: behind the listener, or a zero aspect ratio */
    s.centre_azimuth_deg = 180.0;
    ck_assert_int_eq(objr__screen_edges_from(&s, &e), OBJR_ERR_RANGE);
    c.aspect_ratio = 0.0;
    ck_assert_int_eq(objr__screen_edges_from(&c, &e), OBJR_ERR_RANGE);
}
END_TEST

START_TEST(scaling_maps_edges_and_keeps_rear) {
    objr__screen_edges ref = {20, -20, -10, 10}, rep = {40, -40, -20, 20};
    double p[3];
    /* the reference left edge lands on the reproduction left edge */
    objr__geom_cart(20, 0, 1, p);
    objr__screen_scale(&ref, &rep, 0, 0, p);
    ck_assert_double_eq_tol(objr__geom_azimuth(p), 40, 1e-9);
    /* halfway between the edge and the back stays proportional: 100 -> 40 + 80/160*140 */
    objr__geom_cart(100, 5, 0.5, p);
    objr__screen_scale(&ref, &rep, 0, 0, p);
    ck_assert_double_eq_tol(objr__geom_azimuth(p), 40 + 80.0 / 160.0 * 140.0, 1e-9);
    ck_assert_double_eq_tol(objr__geom_elevation(p), 10.0, 1e-9);
    ck_assert_double_eq_tol(sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]), 0.5, 1e-12);
    /* the rear and the poles do not move */
    objr__geom_cart(180, 0, 1, p);
    objr__screen_scale(&ref, &rep, 0, 0, p);
    ck_assert_double_eq_tol(fabs(objr__geom_azimuth(p)), 180, 1e-9);
    /* cartesian: identical screens are an identity without the U+045 compensation */
    double c[3] = {0.3, 0.7, 0.2}, c0[3] = {0.3, 0.7, 0.2};
    objr__screen_scale(&rep, &rep, 1, 0, c);
    for (int k = 0; k < 3; k++)
        ck_assert_double_eq_tol(c[k], c0[k], 1e-9);
}
END_TEST

START_TEST(edge_lock) {
    objr__screen_edges rep = {29, -29, -16, 16};
    double p[3];
    objr__geom_cart(-75, 10, 0.8, p);
    objr__screen_edge_lock(&rep, 1, 0, 0, 0, p); /* left: azimuth only */
    ck_assert_double_eq_tol(objr__geom_azimuth(p), 29, 1e-9);
    ck_assert_double_eq_tol(objr__geom_elevation(p), 10, 1e-9);
    objr__screen_edge_lock(&rep, 2, 2, 0, 0, p); /* right and top */
    ck_assert_double_eq_tol(objr__geom_azimuth(p), -29, 1e-9);
    ck_assert_double_eq_tol(objr__geom_elevation(p), 16, 1e-9);
    ck_assert_double_eq_tol(sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]), 0.8, 1e-12);
    /* no lock: untouched */
    double q[3] = {0.1, 0.2, 0.3};
    objr__screen_edge_lock(&rep, 0, 0, 1, 1, q);
    ck_assert(q[0] == 0.1 && q[1] == 0.2 && q[2] == 0.3);
    /* cartesian lock to the left edge: §10 maps 29 deg onto the front wall left of centre */
    double c[3] = {0.5, 0.0, 0.0};
    objr__screen_edge_lock(&rep, 1, 0, 1, 0, c);
    double az, el, d;
    objr__point_cart_to_polar(c[0], c[1], c[2], &az, &el, &d);
    ck_assert_double_eq_tol(az, 29, 1e-9);
}
END_TEST

static Suite *screen_suite(void) {
    Suite *s = suite_create("screen");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, default_screen_edges);
    tcase_add_test(tc, scaling_maps_edges_and_keeps_rear);
    tcase_add_test(tc, edge_lock);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(screen_suite)
