/* SPDX-License-Identifier: BSD-3-Clause */
/* HOA decoder (BS.2127 §9 AllRAD): spherical harmonics against closed forms, normalisation
 * conversions, mean power 1 over the sphere, left/right symmetry, a plane wave from a speaker
 * direction is loudest there, errors for bad orders. */
#include "common/test_common.h"

#include <math.h>
#include <string.h>

#include "layouts/registry.h"
#include "renderers/loudspeaker/hoa.h"

#define D2R (OBJR_PI / 180.0)

typedef struct fx {
    objr__layout l;
    objr__psp *p;
    objr__hoa_decoder *h;
} fx;

static void setup(fx *f, const char *name) {
    ck_assert_int_eq(objr__layout_lookup(name, &f->l), OBJR_OK);
    ck_assert_int_eq(objr__psp_create(&f->l, &f->p), OBJR_OK);
    ck_assert_int_eq(objr__hoa_create(f->p, &f->h), OBJR_OK);
}

static void teardown(fx *f) {
    objr__hoa_destroy(f->h);
    objr__psp_destroy(f->p);
}

static size_t acn_list(int order, int *n, int *m) {
    size_t c = 0;
    for (int o = 0; o <= order; o++)
        for (int d = -o; d <= o; d++) {
            n[c] = o;
            m[c] = d;
            c++;
        }
    return c;
}

/* SN3D real harmonics in closed form (AmbiX): W = 1, Y = sin(az)cos(el), Z = sin(el),
 * X = cos(az)cos(el); V (2,-2) = sqrt(3)/2 sin(2az) cos^2(el); (2,0) = (3 sin^2 el - 1)/2;
 * (3,3) = sqrt(5/8) cos(3az) cos^3(el). N3D multiplies order n by sqrt(2n+1); FuMa W is
 * 1/sqrt2. */
START_TEST(spherical_harmonics) {
    for (double az = -170; az < 180; az += 37)
        for (double el = -80; el < 90; el += 23) {
            double a = az * D2R, e = el * D2R;
            ck_assert_double_eq_tol(objr__hoa_sph_harm(0, 0, a, e, OBJR__HOA_SN3D), 1.0, 1e-12);
            ck_assert_double_eq_tol(objr__hoa_sph_harm(1, -1, a, e, OBJR__HOA_SN3D),
                                    sin(a) * cos(e), 1e-12);
            ck_assert_double_eq_tol(objr__hoa_sph_harm(1, 0, a, e, OBJR__HOA_SN3D), sin(e), 1e-12);
            ck_assert_double_eq_tol(objr__hoa_sph_harm(1, 1, a, e, OBJR__HOA_SN3D), cos(a) * cos(e),
                                    1e-12);
            ck_assert_double_eq_tol(objr__hoa_sph_harm(2, -2, a, e, OBJR__HOA_SN3D),
                                    sqrt(3.0) / 2 * sin(2 * a) * cos(e) * cos(e), 1e-12);
            ck_assert_double_eq_tol(objr__hoa_sph_harm(2, 0, a, e, OBJR__HOA_SN3D),
                                    (3 * sin(e) * sin(e) - 1) / 2, 1e-12);
            ck_assert_double_eq_tol(objr__hoa_sph_harm(3, 3, a, e, OBJR__HOA_SN3D),
                                    sqrt(5.0 / 8.0) * cos(3 * a) * pow(cos(e), 3), 1e-12);
            ck_assert_double_eq_tol(objr__hoa_sph_harm(2, 1, a, e, OBJR__HOA_N3D),
                                    sqrt(5.0) * objr__hoa_sph_harm(2, 1, a, e, OBJR__HOA_SN3D),
                                    1e-12);
            ck_assert_double_eq_tol(objr__hoa_sph_harm(0, 0, a, e, OBJR__HOA_FUMA), sqrt(0.5),
                                    1e-12);
            ck_assert_double_eq_tol(objr__hoa_sph_harm(1, 1, a, e, OBJR__HOA_FUMA), cos(a) * cos(e),
                                    1e-12);
        }
}
END_TEST

/* Decode plane waves encoded in the same normalisation: mean power over an independent
 * random set of directions is 1 (BS.2127 normalises it so); the wave from a speaker's
 * direction is loudest on that speaker; gains are mirror symmetric. */
START_TEST(plane_wave_power_and_direction) {
    static const char *names[] = {"5.1", "7.1.4", "4+5+0"};
    int n[16], m[16];
    size_t C = acn_list(3, n, m);
    objr_test_rng r;
    objr_test_rng_init(&r);
    for (size_t k = 0; k < 3; k++) {
        fx f;
        setup(&f, names[k]);
        const size_t L = f.l.n_speakers;
        double M[OBJR__MAX_SPEAKERS * 16];
        ck_assert_int_eq(objr__hoa_design(f.h, n, m, C, OBJR__HOA_SN3D, 0, M), OBJR_OK);
        double total = 0;
        const int N = 20000;
        for (int i = 0; i < N; i++) {
            /* uniform on the sphere */
            double z = objr_test_rng_range(&r, -1, 1), ph = objr_test_rng_range(&r, 0, 2 * OBJR_PI);
            double az = ph, el = asin(z);
            for (size_t l = 0; l < L; l++) {
                double g = 0;
                for (size_t c = 0; c < C; c++)
                    g += M[l * C + c] * objr__hoa_sph_harm(n[c], m[c], az, el, OBJR__HOA_SN3D);
                total += g * g;
            }
        }
        ck_assert_double_eq_tol(total / N, 1.0, 0.03);
        for (size_t s = 0; s < L; s++) {
            if (f.l.speakers[s].is_lfe) {
                for (size_t c = 0; c < C; c++)
                    ck_assert(M[s * C + c] == 0.0);
                continue;
            }
            double az = f.l.speakers[s].azimuth_deg * D2R, el = f.l.speakers[s].elevation_deg * D2R;
            double best = -1;
            size_t arg = 0;
            for (size_t l = 0; l < L; l++) {
                double g = 0;
                for (size_t c = 0; c < C; c++)
                    g += M[l * C + c] * objr__hoa_sph_harm(n[c], m[c], az, el, OBJR__HOA_SN3D);
                if (g > best) {
                    best = g;
                    arg = l;
                }
            }
            ck_assert_uint_eq(arg, s);
        }
        /* mirror: speaker pairs +/-: degree m<0 (sin terms) change sign, m>=0 stay */
        for (size_t s = 0; s < L; s++) {
            char mir[OBJR__SPEAKER_LABEL_SIZE];
            memcpy(mir, f.l.speakers[s].label, sizeof(mir));
            char *pm = strpbrk(mir, "+-");
            if (!pm || strcmp(pm + 1, "000") == 0 || strcmp(pm + 1, "180") == 0)
                continue;
            *pm = *pm == '+' ? '-' : '+';
            int t = objr__layout_find_label(&f.l, mir);
            ck_assert_int_ge(t, 0);
            for (size_t c = 0; c < C; c++)
                ck_assert_double_eq_tol(M[s * C + c], (m[c] < 0 ? -1 : 1) * M[(size_t)t * C + c],
                                        2e-3 * fabs(M[s * C]) + 1e-9);
        }
        teardown(&f);
    }
}
END_TEST

/* The same sound field written in N3D, SN3D or FuMa decodes to the same speaker feeds: the
 * decoder columns scale by the inverse of the encoding factor (N3D/SN3D = sqrt(2n+1),
 * FuMa W = SN3D W / sqrt2). */
START_TEST(normalisation_conversions) {
    fx f;
    setup(&f, "7.1.4");
    int n[16], m[16];
    size_t C = acn_list(3, n, m);
    const size_t L = f.l.n_speakers;
    double sn[OBJR__MAX_SPEAKERS * 16], n3[OBJR__MAX_SPEAKERS * 16], fu[OBJR__MAX_SPEAKERS * 16];
    ck_assert_int_eq(objr__hoa_design(f.h, n, m, C, OBJR__HOA_SN3D, 0, sn), OBJR_OK);
    ck_assert_int_eq(objr__hoa_design(f.h, n, m, C, OBJR__HOA_N3D, 0, n3), OBJR_OK);
    ck_assert_int_eq(objr__hoa_design(f.h, n, m, C, OBJR__HOA_FUMA, 0, fu), OBJR_OK);
    for (size_t l = 0; l < L; l++)
        for (size_t c = 0; c < C; c++) {
            ck_assert_double_eq_tol(sn[l * C + c], n3[l * C + c] * sqrt(2.0 * n[c] + 1.0), 1e-12);
            if (c == 0)
                ck_assert_double_eq_tol(fu[l * C], sn[l * C] * sqrt(2.0), 1e-12);
        }
    /* order 0: W only, sum of squares of the gains is 1 (SN3D W = 1 everywhere) */
    int n0 = 0, m0 = 0;
    double w[OBJR__MAX_SPEAKERS];
    ck_assert_int_eq(objr__hoa_design(f.h, &n0, &m0, 1, OBJR__HOA_SN3D, 0, w), OBJR_OK);
    double s = 0;
    for (size_t l = 0; l < L; l++)
        s += w[l] * w[l];
    ck_assert_double_eq_tol(s, 1.0, 1e-9);
    /* max-rE keeps the power normalisation */
    ck_assert_int_eq(objr__hoa_design(f.h, n, m, C, OBJR__HOA_SN3D, 1, sn), OBJR_OK);
    teardown(&f);
}
END_TEST

START_TEST(bad_orders) {
    fx f;
    setup(&f, "5.1");
    double M[OBJR__MAX_SPEAKERS * 64];
    int n[2] = {1, 4}, m[2] = {2, 0};
    ck_assert_int_eq(objr__hoa_design(f.h, n, m, 1, OBJR__HOA_SN3D, 0, M), OBJR_ERR_INVALID_ARG);
    m[0] = 0;
    ck_assert_int_eq(objr__hoa_design(f.h, n, m, 2, OBJR__HOA_FUMA, 0, M), OBJR_ERR_UNSUPPORTED);
    ck_assert_int_eq(objr__hoa_design(f.h, n, m, 2, OBJR__HOA_N3D, 0, M), OBJR_OK);
    n[1] = OBJR__HOA_MAX_ORDER + 1;
    ck_assert_int_eq(objr__hoa_design(f.h, n, m, 2, OBJR__HOA_N3D, 0, M), OBJR_ERR_UNSUPPORTED);
    ck_assert_int_eq(objr__hoa_design(f.h, n, m, 0, OBJR__HOA_N3D, 0, M), OBJR_ERR_INVALID_ARG);
    teardown(&f);
}
END_TEST

static Suite *hoa_suite(void) {
    Suite *s = suite_create("hoa");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, spherical_harmonics);
    tcase_add_test(tc, plane_wave_power_and_direction);
    tcase_add_test(tc, normalisation_conversions);
    tcase_add_test(tc, bad_orders);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(hoa_suite)
