/* SPDX-License-Identifier: BSD-3-Clause */
/* zoneExclusion (ITU-R BS.2127-1 §7.3.12): which speakers a zone excludes, and the downmix that
 * keeps the power while silencing them, with the standard's priority rules. */
#include "common/test_common.h"

#include <math.h>
#include <string.h>

#include "layouts/registry.h"
#include "renderers/loudspeaker/zone_exclusion.h"

static objr__zone_excl zx; /* large: keep off the stack */

static int idx(const objr__layout *l, const char *label) {
    int i = objr__layout_find_label(l, label);
    ck_assert_msg(i >= 0, "no %s", label);
    return i;
}

static objr__adm_zone polar_zone(double el0, double el1, double az0, double az1) {
    objr__adm_zone z;
    memset(&z, 0, sizeof z);
    z.min_elevation_deg = el0;
    z.max_elevation_deg = el1;
    z.min_azimuth_deg = az0;
    z.max_azimuth_deg = az1;
    return z;
}

START_TEST(polar_and_cartesian_zones_select_speakers) {
    objr__layout l;
    ck_assert_int_eq(objr__layout_lookup("4+7+0", &l), OBJR_OK);
    objr__zone_excl_init(&zx, &l);
    int ex[OBJR__MAX_SPEAKERS];
    /* azimuth range is anticlockwise from min to max: 100 .. -100 is the rear */
    objr__adm_zone z = polar_zone(-10, 10, 100, -100);
    ck_assert_uint_eq(objr__zone_excl_get_excluded(&zx, &z, 1, ex), 2);
    ck_assert(ex[idx(&l, "M+135")] && ex[idx(&l, "M-135")]);
    ck_assert(!ex[idx(&l, "LFE1")]);
    /* -100 .. 100 is the front half */
    z = polar_zone(-10, 10, -100, 100);
    ck_assert_uint_eq(objr__zone_excl_get_excluded(&zx, &z, 1, ex), 5);
    /* cartesian box on the unit-sphere positions: U+-045 are at z = sin(30) = 0.5 */
    objr__adm_zone c;
    memset(&c, 0, sizeof c);
    c.cartesian = 1;
    c.min_x = -1;
    c.max_x = 1;
    c.min_y = 0;
    c.max_y = 1;
    c.min_z = 0.4;
    c.max_z = 1;
    ck_assert_uint_eq(objr__zone_excl_get_excluded(&zx, &c, 1, ex), 2);
    ck_assert(ex[idx(&l, "U+045")] && ex[idx(&l, "U-045")]);
    /* two zones add up */
    objr__adm_zone two[2] = {z, c};
    ck_assert_uint_eq(objr__zone_excl_get_excluded(&zx, two, 2, ex), 7);
}
END_TEST

START_TEST(downmix_priorities) {
    objr__layout l;
    ck_assert_int_eq(objr__layout_lookup("4+7+0", &l), OBJR_OK);
    objr__zone_excl_init(&zx, &l);
    int ex[OBJR__MAX_SPEAKERS] = {0};
    double g[OBJR__MAX_SPEAKERS];
    /* M+090 excluded: same layer first; then "do not change front/back side" comes before
     * distance. M+090 is on the left-right axis (front/back sign 0), and the only other
     * speaker with sign 0 is M-090, so it takes everything although M+135 is nearer. */
    ex[idx(&l, "M+090")] = 1;
    memset(g, 0, sizeof g);
    g[idx(&l, "M+090")] = 1.0;
    objr__zone_excl_apply(&zx, ex, g);
    for (size_t i = 0; i < l.n_speakers; i++)
        ck_assert_double_eq_tol(g[i], (int)i == idx(&l, "M-090") ? 1.0 : 0.0, 1e-12);
    /* M+000 excluded: M+030 and M-030 are equally good: half the power each */
    memset(ex, 0, sizeof ex);
    ex[idx(&l, "M+000")] = 1;
    memset(g, 0, sizeof g);
    g[idx(&l, "M+000")] = 1.0;
    objr__zone_excl_apply(&zx, ex, g);
    ck_assert_double_eq_tol(g[idx(&l, "M+030")], sqrt(0.5), 1e-12);
    ck_assert_double_eq_tol(g[idx(&l, "M-030")], sqrt(0.5), 1e-12);
    /* the whole mid layer excluded: energy goes up (upper before bottom) */
    memset(ex, 0, sizeof ex);
    const char *mids[] = {"M+000", "M+030", "M-030", "M+090", "M-090", "M+135", "M-135"};
    for (int k = 0; k < 7; k++)
        ex[idx(&l, mids[k])] = 1;
    memset(g, 0, sizeof g);
    g[idx(&l, "M+030")] = 1.0;
    objr__zone_excl_apply(&zx, ex, g);
    ck_assert_double_eq_tol(g[idx(&l, "U+045")], 1.0, 1e-12);
    /* everything excluded: nothing changes */
    for (size_t i = 0; i < l.n_speakers; i++)
        ex[i] = !l.speakers[i].is_lfe;
    memset(g, 0, sizeof g);
    g[idx(&l, "M+030")] = 1.0;
    objr__zone_excl_apply(&zx, ex, g);
    ck_assert(g[idx(&l, "M+030")] == 1.0);
}
END_TEST

START_TEST(random_exclusions_preserve_power_and_silence) {
    const char *names[] = {"0+5+0", "4+7+0", "9+10+3", "3+7+0"};
    objr_test_rng r;
    objr_test_rng_init(&r);
    for (int t = 0; t < 4; t++) {
        objr__layout l;
        ck_assert_int_eq(objr__layout_lookup(names[t], &l), OBJR_OK);
        objr__zone_excl_init(&zx, &l);
        for (int it = 0; it < 300; it++) {
            int ex[OBJR__MAX_SPEAKERS];
            double g[OBJR__MAX_SPEAKERS], p0 = 0, p1 = 0;
            size_t n_ex = 0, n_main = 0;
            for (size_t i = 0; i < l.n_speakers; i++) {
                ex[i] = !l.speakers[i].is_lfe && objr_test_rng_uniform(&r) < 0.4;
                g[i] = l.speakers[i].is_lfe ? 0.0 : objr_test_rng_uniform(&r);
                p0 += g[i] * g[i];
                n_ex += ex[i] != 0;
                n_main += !l.speakers[i].is_lfe;
            }
            objr__zone_excl_apply(&zx, ex, g);
            for (size_t i = 0; i < l.n_speakers; i++) {
                p1 += g[i] * g[i];
                if (ex[i] && n_ex < n_main)
                    ck_assert(g[i] == 0.0);
            }
            ck_assert_double_eq_tol(p1, p0, 1e-9 * p0);
        }
    }
}
END_TEST

static Suite *zone_suite(void) {
    Suite *s = suite_create("zone");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, polar_and_cartesian_zones_select_speakers);
    tcase_add_test(tc, downmix_priorities);
    tcase_add_test(tc, random_exclusions_preserve_power_and_silence);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(zone_suite)
