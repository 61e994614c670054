/* SPDX-License-Identifier: BSD-3-Clause */
/* Fold-downs: coefficients against ITU-R BS.775 and REFERENCES.md §5.1, trims and the LFE
 * policy, the Lt/Rt 90° surround shift (a sine in Ls must come out as ∓0.707·cos in Lt/Rt),
 * and block-size independence of the streaming fold-down. */
#include "common/test_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr.h"
#include "src/core/core.h"

#define G3 0.70710678

START_TEST(loro_is_bs775) {
    objr_folddown_config c = objr_folddown_config_default();
    double m[2 * 6], h[2 * 6];
    ck_assert_int_eq(objr_folddown_matrix(OBJR_FOLDDOWN_51_TO_LORO, &c, m, h), OBJR_OK);
    /* Lo = L + 0.7071 C + 0.7071 Ls (5.1 file order L R C LFE Ls Rs) */
    const double lo[6] = {1, 0, G3, 0, G3, 0}, ro[6] = {0, 1, G3, 0, 0, G3};
    for (int i = 0; i < 6; i++) {
        ck_assert_double_eq_tol(m[i], lo[i], 1e-3);
        ck_assert_double_eq_tol(m[6 + i], ro[i], 1e-3);
        ck_assert_double_eq_tol(h[i], 0.0, 1e-12);
    }
}
END_TEST

/* objrender 0.1's spellings ("foldown") still link and forward to the same functions. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
START_TEST(old_spelling_forwards) {
    objr_foldown_config c = objr_foldown_config_default();
    double m_old[2 * 6], h_old[2 * 6], m[2 * 6], h[2 * 6];
    ck_assert_int_eq(objr_foldown_matrix(OBJR_FOLDOWN_51_TO_LTRT, &c, m_old, h_old), OBJR_OK);
    ck_assert_int_eq(objr_folddown_matrix(OBJR_FOLDDOWN_51_TO_LTRT, &c, m, h), OBJR_OK);
    ck_assert_mem_eq(m_old, m, sizeof m);
    ck_assert_mem_eq(h_old, h, sizeof h);
    size_t n_in = 0, n_out = 0;
    ck_assert_int_eq(objr_foldown_channels(OBJR_FOLDOWN_714_TO_51, &n_in, &n_out), OBJR_OK);
    ck_assert_uint_eq(n_in, 12);
    ck_assert_uint_eq(n_out, 6);
    objr_foldown *f = NULL;
    ck_assert_int_eq(objr_foldown_create(OBJR_FOLDOWN_51_TO_LTRT, &c, 64, &f), OBJR_OK);
    ck_assert_uint_eq(objr_foldown_latency_frames(f), (OBJR_FOLDOWN_HILBERT_TAPS - 1) / 2);
    objr_foldown_destroy(f);
}
END_TEST
#pragma GCC diagnostic pop

START_TEST(loro_from_714_matches_references) {
    /* REFERENCES.md §5.1: L = FL + .707 FC + .707 SL + .707 BL + .707 TFL + .5 TBL (heights
     * at -3 dB, back trim 0 dB); LFE dropped. 7.1.4 order FL FR FC LFE BL BR SL SR TFL TFR TBL
     * TBR. */
    objr_folddown_config c = objr_folddown_config_default();
    double m[2 * 12];
    ck_assert_int_eq(objr_folddown_matrix(OBJR_FOLDDOWN_714_TO_LORO, &c, m, NULL), OBJR_OK);
    const double l[12] = {1, 0, G3, 0, G3, 0, G3, 0, G3, 0, 0.5, 0};
    const double r[12] = {0, 1, G3, 0, 0, G3, 0, G3, 0, G3, 0, 0.5};
    for (int i = 0; i < 12; i++) {
        ck_assert_double_eq_tol(m[i], l[i], 1e-3);
        ck_assert_double_eq_tol(m[12 + i], r[i], 1e-3);
    }
}
END_TEST

START_TEST(trims_and_lfe_policy) {
    objr_folddown_config c = objr_folddown_config_default();
    c.height_trim_db = OBJR_FOLDDOWN_OFF_DB;
    c.lfe_policy = OBJR_LFE_FOLD;
    c.lfe_gain_db = -6.0;
    c.centre_trim_db = -4.5;
    double m[2 * 12];
    ck_assert_int_eq(objr_folddown_matrix(OBJR_FOLDDOWN_714_TO_LORO, &c, m, NULL), OBJR_OK);
    for (int i = 8; i < 12; i++) /* heights dropped */
        ck_assert_double_eq_tol(m[i], 0.0, 1e-12);
    ck_assert_double_eq_tol(m[3], pow(10, -6.0 / 20), 1e-9); /* LFE folded at -6 dB */
    ck_assert_double_eq_tol(m[2], pow(10, -4.5 / 20), 1e-9); /* centre trim */
    /* 7.1 -> 5.1 style: Ls5 = Lss + b Lrs; 5.1.4 keeps the tops 1:1 */
    double m4[10 * 12];
    c = objr_folddown_config_default();
    c.back_trim_db = OBJR_FOLDDOWN_MINUS3_DB;
    ck_assert_int_eq(objr_folddown_matrix(OBJR_FOLDDOWN_714_TO_514, &c, m4, NULL), OBJR_OK);
    ck_assert_double_eq_tol(m4[4 * 12 + 6], 1.0, 1e-9);  /* Ls <- Lss */
    ck_assert_double_eq_tol(m4[4 * 12 + 4], G3, 1e-3);   /* Ls <- Lrs at -3 dB */
    ck_assert_double_eq_tol(m4[9 * 12 + 11], 1.0, 1e-9); /* Rtr <- Rtr */
    /* front/back balance +6 dB: fronts +3 dB, surrounds -3 dB */
    c = objr_folddown_config_default();
    c.front_back_balance_db = 6.0;
    double m5[6 * 12];
    ck_assert_int_eq(objr_folddown_matrix(OBJR_FOLDDOWN_714_TO_51, &c, m5, NULL), OBJR_OK);
    ck_assert_double_eq_tol(m5[0], pow(10, 3.0 / 20), 1e-9);
    ck_assert_double_eq_tol(m5[4 * 12 + 6], pow(10, -3.0 / 20), 1e-9);
    c.centre_trim_db = NAN;
    ck_assert_int_eq(objr_folddown_matrix(OBJR_FOLDDOWN_714_TO_51, &c, m5, NULL),
                     OBJR_ERR_INVALID_ARG);
}
END_TEST

/* Lt/Rt: Ls = sin(w n) alone. H{sin} = -cos, so Lt = -0.707 cos(w(n-D)), Rt = +0.707 cos. */
START_TEST(ltrt_shifts_surround_by_90_degrees) {
    const double freqs[] = {200.0, 1000.0, 5000.0};
    const double fs = 48000.0;
    const size_t n = 8192, blk = 1000;
    objr_folddown_config c = objr_folddown_config_default();
    for (size_t fi = 0; fi < 3; fi++) {
        objr_folddown *f = NULL;
        ck_assert_int_eq(objr_folddown_create(OBJR_FOLDDOWN_51_TO_LTRT, &c, blk, &f), OBJR_OK);
        size_t D = objr_folddown_latency_frames(f);
        ck_assert_uint_eq(D, (OBJR_FOLDDOWN_HILBERT_TAPS - 1) / 2);
        float *in[6], *out[2];
        for (int i = 0; i < 6; i++)
            in[i] = calloc(n, sizeof(float));
        out[0] = calloc(n, sizeof(float));
        out[1] = calloc(n, sizeof(float));
        double w = 2 * OBJR_PI * freqs[fi] / fs;
        for (size_t k = 0; k < n; k++)
            in[4][k] = (float)sin(w * (double)k);
        for (size_t p = 0; p < n; p += blk) {
            size_t m = n - p < blk ? n - p : blk;
            const float *ip[6];
            float *op[2] = {out[0] + p, out[1] + p};
            for (int i = 0; i < 6; i++)
                ip[i] = in[i] + p;
            ck_assert_int_eq(objr_folddown_process(f, ip, op, m), OBJR_OK);
        }
        double err = 0;
        for (size_t k = 2 * D + 10; k < n; k++) {
            double ref = G3 * cos(w * (double)(k - D));
            err = fmax(err, fabs(out[0][k] + ref));
            err = fmax(err, fabs(out[1][k] - ref));
        }
        ck_assert_msg(err < 0.01, "%.0f Hz: Lt/Rt off the 90-degree shift by %.4f", freqs[fi], err);
        for (int i = 0; i < 6; i++)
            free(in[i]);
        free(out[0]);
        free(out[1]);
        objr_folddown_destroy(f);
    }
}
END_TEST

START_TEST(streaming_matches_one_block) {
    objr_test_rng rng;
    objr_test_rng_init(&rng);
    const size_t n = 5000;
    objr_folddown_config c = objr_folddown_config_default();
    float *in[12], *a[2], *b[2];
    for (int i = 0; i < 12; i++) {
        in[i] = malloc(n * sizeof(float));
        objr_test_noise(&rng, in[i], n, 0.5);
    }
    for (int i = 0; i < 2; i++) {
        a[i] = calloc(n, sizeof(float));
        b[i] = calloc(n, sizeof(float));
    }
    objr_folddown *f1 = NULL, *f2 = NULL;
    ck_assert_int_eq(objr_folddown_create(OBJR_FOLDDOWN_714_TO_LTRT, &c, n, &f1), OBJR_OK);
    ck_assert_int_eq(objr_folddown_create(OBJR_FOLDDOWN_714_TO_LTRT, &c, 97, &f2), OBJR_OK);
    ck_assert_int_eq(objr_folddown_process(f1, (const float *const *)in, a, n), OBJR_OK);
    for (size_t p = 0; p < n; p += 97) {
        size_t m = n - p < 97 ? n - p : 97;
        const float *ip[12];
        float *op[2] = {b[0] + p, b[1] + p};
        for (int i = 0; i < 12; i++)
            ip[i] = in[i] + p;
        ck_assert_int_eq(objr_folddown_process(f2, ip, op, m), OBJR_OK);
    }
    for (size_t k = 0; k < n; k++) {
        ck_assert_float_eq_tol(a[0][k], b[0][k], 1e-5f);
        ck_assert_float_eq_tol(a[1][k], b[1][k], 1e-5f);
    }
    ck_assert_int_eq(objr_folddown_process(f2, (const float *const *)in, a, 98),
                     OBJR_ERR_INVALID_ARG);
    objr_folddown_destroy(f1);
    objr_folddown_destroy(f2);
    for (int i = 0; i < 12; i++)
        free(in[i]);
    for (int i = 0; i < 2; i++) {
        free(a[i]);
        free(b[i]);
    }
}
END_TEST

static Suite *folddown_suite(void) {
    Suite *s = suite_create("folddown");
    TCase *tc = tcase_create("folddown");
    tcase_add_test(tc, loro_is_bs775);
    tcase_add_test(tc, old_spelling_forwards);
    tcase_add_test(tc, loro_from_714_matches_references);
    tcase_add_test(tc, trims_and_lfe_policy);
    tcase_add_test(tc, ltrt_shifts_surround_by_90_degrees);
    tcase_add_test(tc, streaming_matches_one_block);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(folddown_suite)
