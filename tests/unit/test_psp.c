/* SPDX-License-Identifier: BSD-3-Clause */
/* The BS.2127 point-source panner: properties from first principles (a source on a speaker
 * plays only from it, power normalisation, mirror symmetry, continuity) and values derived
 * from the standard's construction (stereo downmix, extra and virtual speakers). */
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "layouts/registry.h"
#include "renderers/loudspeaker/psp.h"

#define TOL 1e-6

static objr__psp *make(const char *name, objr__layout *l) {
    ck_assert_int_eq(objr__layout_lookup(name, l), OBJR_OK);
    objr__psp *p = NULL;
    ck_assert_int_eq(objr__psp_create(l, &p), OBJR_OK);
    ck_assert_ptr_nonnull(p);
    return p;
}

static void gains_at(const objr__psp *p, double az, double el, double *g) {
    double d[3];
    objr__geom_cart(az, el, 1.0, d);
    objr__psp_gains(p, d, g);
}

static double sumsq(const double *g, size_t n) {
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += g[i] * g[i];
    return s;
}

static int mirror_index(const objr__layout *l, size_t i) {
    char m[OBJR__SPEAKER_LABEL_SIZE];
    memcpy(m, l->speakers[i].label, sizeof(m));
    char *s = strpbrk(m, "+-");
    if (s && strcmp(s + 1, "000") != 0 && strcmp(s + 1, "180") != 0)
        *s = *s == '+' ? '-' : '+';
    if (strcmp(m, "LFE1") == 0 && objr__layout_find_label(l, "LFE2") >= 0)
        return objr__layout_find_label(l, "LFE2");
    if (strcmp(m, "LFE2") == 0)
        return objr__layout_find_label(l, "LFE1");
    return objr__layout_find_label(l, m);
}

/* Every built-in layout: a source exactly at a speaker plays from that speaker alone. */
START_TEST(on_speaker_plays_only_there) {
    size_t n_layouts = objr__layout_builtin_count();
    for (size_t k = 0; k < n_layouts; k++) {
        objr__layout l;
        objr__psp *p = make(objr__layout_builtin_def(k)->name, &l);
        double g[OBJR__MAX_SPEAKERS];
        for (size_t i = 0; i < l.n_speakers; i++) {
            if (l.speakers[i].is_lfe)
                continue;
            gains_at(p, l.speakers[i].azimuth_deg, l.speakers[i].elevation_deg, g);
            for (size_t j = 0; j < l.n_speakers; j++) {
                double want = j == i ? 1.0 : 0.0;
                if (fabs(g[j] - want) > TOL)
                    ck_abort_msg("%s: source on %s gives %s = %g", l.name, l.speakers[i].label,
                                 l.speakers[j].label, g[j]);
            }
        }
        objr__psp_destroy(p);
    }
}
END_TEST

/* Power normalisation (sum of squares 1) on a 2-degree grid for every layout but stereo/mono;
 * the LFE never gets a signal; every gain is non-negative. */
START_TEST(power_normalised_everywhere) {
    size_t n_layouts = objr__layout_builtin_count();
    for (size_t k = 0; k < n_layouts; k++) {
        objr__layout l;
        objr__psp *p = make(objr__layout_builtin_def(k)->name, &l);
        /* mono (1.0) carries the 0+2+0 power, with its rear attenuation */
        int stereo = strcmp(l.name, "0+2+0") == 0 || strcmp(l.name, "1.0") == 0;
        double g[OBJR__MAX_SPEAKERS];
        for (double el = -90; el <= 90; el += 3)
            for (double az = -180; az < 180; az += 3) {
                gains_at(p, az, el, g);
                for (size_t j = 0; j < l.n_speakers; j++) {
                    ck_assert(g[j] >= 0.0);
                    if (l.speakers[j].is_lfe)
                        ck_assert(g[j] == 0.0);
                }
                if (!stereo && fabs(sumsq(g, l.n_speakers) - 1.0) > 1e-9)
                    ck_abort_msg("%s az %g el %g: sum of squares %g", l.name, az, el,
                                 sumsq(g, l.n_speakers));
                /* stereo: 0 dB at the front, never below -3 dB (BS.2127 rear attenuation) */
                if (stereo)
                    ck_assert(sumsq(g, l.n_speakers) >= 0.5 - 1e-9 &&
                              sumsq(g, l.n_speakers) <= 1.0 + 1e-9);
            }
        objr__psp_destroy(p);
    }
}
END_TEST

/* Left/right mirror symmetry: gains at (az, el) equal the mirrored speakers' gains at
 * (-az, el) -- every built-in layout is symmetric. */
START_TEST(mirror_symmetry) {
    size_t n_layouts = objr__layout_builtin_count();
    for (size_t k = 0; k < n_layouts; k++) {
        objr__layout l;
        objr__psp *p = make(objr__layout_builtin_def(k)->name, &l);
        double g[OBJR__MAX_SPEAKERS], h[OBJR__MAX_SPEAKERS];
        for (double el = -80; el <= 80; el += 10)
            for (double az = -175; az < 180; az += 7.5) {
                gains_at(p, az, el, g);
                gains_at(p, -az, el, h);
                for (size_t j = 0; j < l.n_speakers; j++) {
                    int m = mirror_index(&l, j);
                    ck_assert_int_ge(m, 0);
                    if (fabs(g[j] - h[m]) > 1e-9)
                        ck_abort_msg("%s az %g el %g: %s %g vs mirror %g", l.name, az, el,
                                     l.speakers[j].label, g[j], h[m]);
                }
            }
        objr__psp_destroy(p);
    }
}
END_TEST

/* Continuity: along the horizon, along meridians and along great circles through speaker
 * pairs, a 0.25 degree step never changes a gain by more than 0.03 (VBAP gains are smooth
 * with slopes well below 0.1 per degree for speakers at least 30 degrees apart). */
START_TEST(continuity) {
    static const char *names[] = {"0+2+0", "0+5+0", "4+5+0", "4+7+0", "9+10+3", "3+7+0"};
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
        objr__layout l;
        objr__psp *p = make(names[k], &l);
        double g[OBJR__MAX_SPEAKERS], prev[OBJR__MAX_SPEAKERS];
        const double step = 0.25;
        for (int path = 0; path < 6; path++) {
            for (double t = 0; t <= 360; t += step) {
                double az, el;
                if (path < 3) { /* horizontal circles at 0, 20, -20 degrees */
                    az = -180 + t;
                    el = path == 0 ? 0 : (path == 1 ? 20 : -20);
                } else { /* meridians through 0, 90 and 135 degrees azimuth */
                    double base = path == 3 ? 0 : (path == 4 ? 90 : 135);
                    el = t <= 180 ? -90 + t : 90 - (t - 180);
                    az = t <= 180 ? base : base - 180;
                }
                gains_at(p, az, el, g);
                if (t > 0)
                    for (size_t j = 0; j < l.n_speakers; j++)
                        if (fabs(g[j] - prev[j]) > 0.03)
                            ck_abort_msg("%s jump at az %g el %g on %s: %g -> %g", l.name, az, el,
                                         l.speakers[j].label, prev[j], g[j]);
                memcpy(prev, g, sizeof(prev));
            }
        }
        objr__psp_destroy(p);
    }
}
END_TEST

/* A large step between two angles is still continuous if it shrinks in proportion when the
 * interval is cut into 64 (a jump does not): each sub-step must change gain j by < 0.003. */
static int smooth_between(const objr__psp *p, const double *u, const double *w, double t0,
                          double t1, size_t j) {
    double g[OBJR__MAX_SPEAKERS], prev = 0;
    for (int i = 0; i <= 64; i++) {
        double t = t0 + (t1 - t0) * i / 64.0, dir[3];
        for (int c = 0; c < 3; c++)
            dir[c] = cos(t) * u[c] + sin(t) * w[c];
        objr__psp_gains(p, dir, g);
        if (i > 0 && fabs(g[j] - prev) > 0.003)
            return 0;
        prev = g[j];
    }
    return 1;
}

/* Continuity along the great circle through every pair of speakers (0.5 degree steps). */
START_TEST(continuity_speaker_pairs) {
    static const char *names[] = {"4+7+0", "9+10+3", "4+9+0", "0+2+0"};
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
        objr__layout l;
        objr__psp *p = make(names[k], &l);
        double g[OBJR__MAX_SPEAKERS], prev[OBJR__MAX_SPEAKERS];
        for (size_t a = 0; a < l.n_speakers; a++)
            for (size_t b = a + 1; b < l.n_speakers; b++) {
                if (l.speakers[a].is_lfe || l.speakers[b].is_lfe)
                    continue;
                double u[3], v[3], w[3];
                objr__geom_cart(l.speakers[a].azimuth_deg, l.speakers[a].elevation_deg, 1, u);
                objr__geom_cart(l.speakers[b].azimuth_deg, l.speakers[b].elevation_deg, 1, v);
                /* w: unit vector in the plane of u and v, orthogonal to u */
                double d = u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
                for (int c = 0; c < 3; c++)
                    w[c] = v[c] - d * u[c];
                double n = sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
                if (n < 1e-6)
                    continue; /* antipodal pair: no unique circle */
                for (int c = 0; c < 3; c++)
                    w[c] /= n;
                for (int i = 0; i <= 720; i++) {
                    double t = i * 0.5 * OBJR_PI / 180, dir[3];
                    for (int c = 0; c < 3; c++)
                        dir[c] = cos(t) * u[c] + sin(t) * w[c];
                    objr__psp_gains(p, dir, g);
                    if (i > 0)
                        for (size_t j = 0; j < l.n_speakers; j++)
                            if (fabs(g[j] - prev[j]) > 0.05 &&
                                !smooth_between(p, u, w, t - 0.5 * OBJR_PI / 180, t, j))
                                ck_abort_msg("%s circle %s-%s step %d: %s jumps %g -> %g", l.name,
                                             l.speakers[a].label, l.speakers[b].label, i,
                                             l.speakers[j].label, prev[j], g[j]);
                    memcpy(prev, g, sizeof(prev));
                }
            }
        objr__psp_destroy(p);
    }
}
END_TEST

/* 0+2+0 is panned on 0+5+0 then downmixed (BS.2127): the centre goes to L and R with
 * sqrt(1/3) each then power-normalised -> -3 dB each; M+110 goes to L only with sqrt(1/2),
 * normalised to 1, then the rear attenuation 0.5^(0.5*1/1) -> -3 dB; 180 degrees is M+110 and
 * M-110 at 1/sqrt2 each on 0+5+0 -> L = R after the downmix, total -3 dB -> 0.5 each. */
START_TEST(stereo_known_values) {
    objr__layout l;
    objr__psp *p = make("stereo", &l);
    double g[2];
    const double h = sqrt(0.5);
    gains_at(p, 0, 0, g);
    ck_assert_double_eq_tol(g[0], h, TOL);
    ck_assert_double_eq_tol(g[1], h, TOL);
    gains_at(p, 110, 0, g);
    ck_assert_double_eq_tol(g[0], h, TOL);
    ck_assert_double_eq_tol(g[1], 0.0, TOL);
    gains_at(p, -110, 0, g);
    ck_assert_double_eq_tol(g[0], 0.0, TOL);
    ck_assert_double_eq_tol(g[1], h, TOL);
    gains_at(p, 180, 0, g);
    ck_assert_double_eq_tol(g[0], 0.5, TOL);
    ck_assert_double_eq_tol(g[1], 0.5, TOL);
    /* a source at 15 degrees: the 0+5+0 pan M+000/M+030 downmixed keeps the velocity vector,
     * so the stereo image lies at 15 degrees: atan of the gain-weighted vector */
    gains_at(p, 15, 0, g);
    double x = -(g[0] * sin(30 * OBJR_PI / 180) - g[1] * sin(30 * OBJR_PI / 180));
    double y = (g[0] + g[1]) * cos(30 * OBJR_PI / 180);
    ck_assert_double_eq_tol(atan2(-x, y) * 180 / OBJR_PI, 15.0, 1e-6);
    objr__psp_destroy(p);
}
END_TEST

/* Values from the construction: the bisector of a speaker pair gets 1/sqrt2 on each; on
 * layouts without bottom speakers the extra speakers below the mid layer are downmixed to it,
 * so everything from 0 down to -30 degrees renders like 0 degrees, and the nadir (virtual
 * speaker downmixed equally to the ring of extras) gives 1/sqrt(n_mid) on every mid speaker;
 * on 4+7+0 the zenith virtual speaker gives 1/2 on each of the four U speakers. */
START_TEST(construction_values) {
    objr__layout l;
    objr__psp *p = make("5.1", &l);
    double g[OBJR__MAX_SPEAKERS], h[OBJR__MAX_SPEAKERS];
    gains_at(p, 70, 0, g);
    ck_assert_double_eq_tol(g[0], sqrt(0.5), TOL);
    ck_assert_double_eq_tol(g[4], sqrt(0.5), TOL);
    for (double az = -180; az < 180; az += 5)
        for (double el = -30; el <= 0; el += 5) {
            gains_at(p, az, el, g);
            gains_at(p, az, 0, h);
            for (size_t j = 0; j < l.n_speakers; j++)
                ck_assert_double_eq_tol(g[j], h[j], 1e-9);
        }
    gains_at(p, 0, -90, g);
    for (size_t j = 0; j < l.n_speakers; j++)
        ck_assert_double_eq_tol(g[j], l.speakers[j].is_lfe ? 0.0 : sqrt(0.2), TOL);
    objr__psp_destroy(p);

    p = make("7.1.4", &l);
    gains_at(p, 0, 90, g);
    for (size_t j = 0; j < l.n_speakers; j++)
        ck_assert_double_eq_tol(g[j], l.speakers[j].label[0] == 'U' ? 0.5 : 0.0, TOL);
    gains_at(p, 33, -20, g);
    gains_at(p, 33, 0, h);
    for (size_t j = 0; j < l.n_speakers; j++)
        ck_assert_double_eq_tol(g[j], h[j], 1e-9);
    objr__psp_destroy(p);
}
END_TEST

/* Real positions: a 7.1.4 room with U+045 at 40 az / 35 el; a source there plays only from
 * that speaker, and the nominal direction (45, 30) no longer does. */
START_TEST(real_positions_used) {
    objr__layout l;
    ck_assert_int_eq(objr__layout_lookup("7.1.4", &l), OBJR_OK);
    int u = objr__layout_find_label(&l, "U+045");
    l.speakers[u].azimuth_deg = 40;
    l.speakers[u].elevation_deg = 35;
    objr__psp *p = NULL;
    ck_assert_int_eq(objr__psp_create(&l, &p), OBJR_OK);
    double g[OBJR__MAX_SPEAKERS];
    gains_at(p, 40, 35, g);
    ck_assert_double_eq_tol(g[u], 1.0, TOL);
    gains_at(p, 45, 30, g);
    ck_assert(g[u] < 0.999);
    objr__psp_destroy(p);
}
END_TEST

START_TEST(bad_layouts_rejected) {
    objr__layout l;
    ck_assert_int_eq(objr__layout_lookup("5.1", &l), OBJR_OK);
    l.speakers[1].azimuth_deg = NAN;
    objr__psp *p = (objr__psp *)&l;
    ck_assert_int_eq(objr__psp_create(&l, &p), OBJR_ERR_LAYOUT);
    ck_assert_ptr_null(p);
    /* two speakers at one nominal place */
    ck_assert_int_eq(objr__layout_lookup("5.1", &l), OBJR_OK);
    l.speakers[1].nominal_azimuth_deg = 30;
    ck_assert_int_eq(objr__psp_create(&l, &p), OBJR_ERR_LAYOUT);
    /* a front-only custom triple cannot enclose the listener */
    memset(&l, 0, sizeof(l));
    l.n_speakers = 3;
    for (int i = 0; i < 3; i++) {
        snprintf(l.speakers[i].label, sizeof(l.speakers[i].label), "S%d", i);
        l.speakers[i].azimuth_deg = l.speakers[i].nominal_azimuth_deg = -20 + 20 * i;
    }
    ck_assert_int_eq(objr__psp_create(&l, &p), OBJR_ERR_LAYOUT);
    /* M+SC outside BS.2127's allowed 5..25 / 35..60 degrees */
    ck_assert_int_eq(objr__layout_lookup("4+9+0", &l), OBJR_OK);
    l.speakers[objr__layout_find_label(&l, "M+SC")].azimuth_deg = 30;
    ck_assert_int_eq(objr__psp_create(&l, &p), OBJR_ERR_LAYOUT);
}
END_TEST

START_TEST(zero_vector_is_front) {
    objr__layout l;
    objr__psp *p = make("7.1.4", &l);
    double g[OBJR__MAX_SPEAKERS], z[3] = {0, 0, 0};
    objr__psp_gains(p, z, g);
    ck_assert_double_eq_tol(g[objr__layout_find_label(&l, "M+000")], 1.0, TOL);
    objr__psp_destroy(p);
}
END_TEST

static Suite *psp_suite(void) {
    Suite *s = suite_create("psp");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, on_speaker_plays_only_there);
    tcase_add_test(tc, power_normalised_everywhere);
    tcase_add_test(tc, mirror_symmetry);
    tcase_add_test(tc, continuity);
    tcase_add_test(tc, continuity_speaker_pairs);
    tcase_add_test(tc, stereo_known_values);
    tcase_add_test(tc, construction_values);
    tcase_add_test(tc, real_positions_used);
    tcase_add_test(tc, bad_layouts_rejected);
    tcase_add_test(tc, zero_vector_is_front);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(psp_suite)
