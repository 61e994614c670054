/* SPDX-License-Identifier: BSD-3-Clause */
/* TPDF dither: noise statistics (mean 0, triangular pdf, variance LSB^2/6), total error
 * independent of the signal, decorrelation, clamping, and noise shaping's spectral tilt. */
#include "common/test_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "src/master/dither.h"

START_TEST(tpdf_statistics) {
    objr__dither d;
    objr__dither_init(&d, 1, 16, OBJR_DITHER_TPDF, objr_test_seed());
    const size_t n = 1000000;
    enum { NB = 20 };
    size_t hist[NB] = {0};
    double s = 0, s2 = 0;
    for (size_t i = 0; i < n; i++) {
        double t = objr__dither_tpdf(&d);
        ck_assert(t > -1.0 && t < 1.0);
        s += t;
        s2 += t * t;
        hist[(int)((t + 1.0) * NB / 2)]++;
    }
    double mean = s / (double)n, var = s2 / (double)n - mean * mean;
    ck_assert_double_eq_tol(mean, 0.0, 0.003);
    ck_assert_double_eq_tol(var, 1.0 / 6.0, 0.003);
    /* triangular pdf: mass of bin [a, b] = integral of (1 - |x|) */
    for (int k = 0; k < NB; k++) {
        double a = -1.0 + 2.0 * k / NB, b = a + 2.0 / NB;
        double fa = a < 0 ? 0.5 * (1 + a) * (1 + a) : 1 - 0.5 * (1 - a) * (1 - a);
        double fb = b < 0 ? 0.5 * (1 + b) * (1 + b) : 1 - 0.5 * (1 - b) * (1 - b);
        double expect = (fb - fa) * (double)n;
        ck_assert_msg(fabs((double)hist[k] - expect) < 5 * sqrt(expect) + 5, "bin %d: %zu vs %.0f",
                      k, hist[k], expect);
    }
}
END_TEST

/* Total error (output - input, in LSB) for a constant input at fractional offset @p frac. */
static void error_moments(objr_dither_kind kind, double frac, double *mean, double *var) {
    objr__dither d;
    objr__dither_init(&d, 1, 16, kind, objr_test_seed());
    const size_t n = 200000;
    float *x = malloc(n * sizeof *x), *q = malloc(n * sizeof *q);
    int32_t *o = malloc(n * sizeof *o);
    for (size_t i = 0; i < n; i++)
        x[i] = (float)((100.0 + frac) / 32768.0);
    objr__dither_quantise(&d, x, n, o, q, NULL);
    double s = 0, s2 = 0;
    for (size_t i = 0; i < n; i++) {
        double e = (double)(o[i] >> 16) - (100.0 + frac);
        ck_assert_double_eq((double)q[i] * 32768.0, (double)(o[i] >> 16));
        s += e;
        s2 += e * e;
    }
    *mean = s / (double)n;
    *var = s2 / (double)n - *mean * *mean;
    free(x);
    free(q);
    free(o);
}

START_TEST(error_independent_of_signal) {
    /* With TPDF the error's mean is 0 and its variance 1/12 + 1/6 = 1/4 LSB^2 whatever the
     * input; plain rounding gives a signal-dependent error (the contrast makes the test real). */
    const double fr[] = {0.0, 0.25, 0.5, 0.77};
    for (int k = 0; k < 4; k++) {
        double m, v;
        error_moments(OBJR_DITHER_TPDF, fr[k], &m, &v);
        ck_assert_double_eq_tol(m, 0.0, 0.01);
        ck_assert_double_eq_tol(v, 0.25, 0.01);
    }
    double m, v;
    error_moments(OBJR_DITHER_NONE, 0.25, &m, &v);
    ck_assert_double_eq_tol(m, -0.25, 1e-9);
    ck_assert_double_eq_tol(v, 0.0, 1e-9);
}
END_TEST

START_TEST(error_decorrelated_from_signal) {
    objr__dither d;
    objr__dither_init(&d, 2, 16, OBJR_DITHER_TPDF, objr_test_seed());
    const size_t n = 200000;
    float *x = malloc(n * sizeof *x), *q = malloc(n * sizeof *q), *x2 = malloc(2 * n * sizeof *x2);
    int32_t *o = malloc(2 * n * sizeof *o);
    objr_test_sine(x, n, 3.3 / 32768.0, 441, 48000, 0.1); /* a 3.3 LSB sine */
    for (size_t i = 0; i < n; i++)
        x2[2 * i] = x2[2 * i + 1] = x[i]; /* the same signal on both channels */
    objr__dither_quantise(&d, x2, n, o, NULL, NULL);
    double sxe = 0, sxx = 0, see = 0, sab = 0;
    for (size_t i = 0; i < n; i++) {
        double s = (double)x[i] * 32768.0;
        double e0 = (double)(o[2 * i] >> 16) - s, e1 = (double)(o[2 * i + 1] >> 16) - s;
        sxe += s * e0;
        sxx += s * s;
        see += e0 * e0;
        sab += e0 * e1;
    }
    ck_assert_double_lt(fabs(sxe / sqrt(sxx * see)), 0.01);
    /* channels get independent dither */
    ck_assert_double_lt(fabs(sab / see), 0.02);
    free(x2);
    free(x);
    free(q);
    free(o);
}
END_TEST

START_TEST(clamps_and_left_justifies) {
    objr__dither d;
    objr__dither_init(&d, 1, 24, OBJR_DITHER_NONE, 1);
    float x[4] = {0.5f, -1.0f, 1.5f, -2.0f};
    int32_t o[4];
    size_t clipped = 0;
    objr__dither_quantise(&d, x, 4, o, NULL, &clipped);
    ck_assert_int_eq(o[0], (int32_t)(4194304u << 8));
    ck_assert_int_eq(o[1], INT32_MIN);
    ck_assert_int_eq(o[2], (int32_t)(8388607u << 8));
    ck_assert_int_eq(o[3], INT32_MIN);
    ck_assert_uint_eq(clipped, 2);
}
END_TEST

START_TEST(shaping_lowers_low_frequency_noise) {
    /* Error through a 64-sample moving average (a low-pass): shaped < flat by >10 dB. */
    double lf[2];
    for (int k = 0; k < 2; k++) {
        objr__dither d;
        objr__dither_init(&d, 1, 16, k ? OBJR_DITHER_SHAPED : OBJR_DITHER_TPDF, 7);
        const size_t n = 100000;
        float *x = malloc(n * sizeof *x);
        int32_t *o = malloc(n * sizeof *o);
        objr_test_sine(x, n, 0.25, 1000, 48000, 0);
        objr__dither_quantise(&d, x, n, o, NULL, NULL);
        double acc = 0, p = 0;
        double win[64] = {0};
        for (size_t i = 0; i < n; i++) {
            double e = (double)(o[i] >> 16) - (double)x[i] * 32768.0;
            acc += e - win[i % 64];
            win[i % 64] = e;
            if (i >= 64)
                p += (acc / 64) * (acc / 64);
        }
        lf[k] = 10 * log10(p / (double)(n - 64));
        free(x);
        free(o);
    }
    ck_assert_double_lt(lf[1], lf[0] - 10.0);
}
END_TEST

/* The dither sequence is part of the output: draw k goes to sample k of the interleaved
 * stream (frame by frame, channel by channel), however the stream is cut into blocks. */
START_TEST(draw_k_dithers_sample_k_for_any_blocking) {
    enum { NC = 3, NF = 5000 };
    float *x = malloc(NC * NF * sizeof *x);
    int32_t *whole = malloc(NC * NF * sizeof *whole), *cut = malloc(NC * NF * sizeof *cut);
    ck_assert(x && whole && cut);
    objr_test_rng r;
    objr_test_rng_init(&r);
    for (size_t k = 0; k < NC * NF; k++)
        x[k] = (float)(1.8 * objr_test_rng_uniform(&r) - 0.9);
    const uint64_t seed = objr_test_seed();
    objr__dither d, draws;
    objr__dither_init(&d, NC, 24, OBJR_DITHER_TPDF, seed);
    objr__dither_quantise(&d, x, NF, whole, NULL, NULL);
    objr__dither_init(&draws, NC, 24, OBJR_DITHER_TPDF, seed);
    for (size_t k = 0; k < NC * NF; k++) {
        const double want = floor((double)x[k] * 8388608.0 + objr__dither_tpdf(&draws) + 0.5);
        ck_assert_msg((double)(whole[k] >> 8) == want, "sample %zu: %d vs %.0f", k, whole[k] >> 8,
                      want);
    }
    objr__dither_init(&d, NC, 24, OBJR_DITHER_TPDF, seed);
    for (size_t f = 0, step = 1; f < NF; f += step, step = step * 7 % 1543 + 1) {
        const size_t m = NF - f < step ? NF - f : step;
        objr__dither_quantise(&d, x + f * NC, m, cut + f * NC, NULL, NULL);
    }
    ck_assert(memcmp(whole, cut, NC * NF * sizeof *cut) == 0);
    free(x);
    free(whole);
    free(cut);
}
END_TEST

static Suite *dither_suite(void) {
    Suite *s = suite_create("dither");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, tpdf_statistics);
    tcase_add_test(tc, draw_k_dithers_sample_k_for_any_blocking);
    tcase_add_test(tc, error_independent_of_signal);
    tcase_add_test(tc, error_decorrelated_from_signal);
    tcase_add_test(tc, clamps_and_left_justifies);
    tcase_add_test(tc, shaping_lowers_low_frequency_noise);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(dither_suite)
