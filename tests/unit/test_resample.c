/* SPDX-License-Identifier: BSD-3-Clause */
/* Resampler (libsamplerate SRC_SINC_BEST_QUALITY): a 1 kHz sine converted 48 -> 44.1 kHz keeps
 * its frequency and level (±0.01 dB), and a 20 kHz tone leaves no alias or other product
 * above -100 dB (residual after a least-squares fit of the expected tone). */
#include "common/test_common.h"

#include <math.h>
#include <stdlib.h>

#include "src/core/core.h"
#include "src/master/resample.h"

/* Convert a mono signal in uneven blocks, draining at the end. */
static float *convert(const float *x, size_t n, double in_rate, double out_rate, size_t *n_out) {
    objr__resampler *r = NULL;
    ck_assert_int_eq(objr__resampler_create(1, in_rate, out_rate, &r), OBJR_OK);
    size_t cap = (size_t)((double)n * out_rate / in_rate) + 4096, got = 0, used_total = 0;
    float *y = malloc(cap * sizeof *y);
    for (;;) {
        size_t blk = n - used_total < 3001 ? n - used_total : 3001, used = 0, prod = 0;
        int eoi = used_total + blk >= n;
        ck_assert_int_eq(objr__resampler_process(r, blk ? x + used_total : NULL, blk, &used,
                                                 y + got, cap - got > 2000 ? 2000 : cap - got,
                                                 &prod, eoi),
                         OBJR_OK);
        used_total += used;
        got += prod;
        if (eoi && used == blk && prod == 0)
            break;
        ck_assert_uint_lt(got, cap);
    }
    objr__resampler_destroy(r);
    *n_out = got;
    return y;
}

/* Least-squares fit of a sin + b cos at freq over [lo, hi): amplitude and residual (dB rel.). */
static void fit(const float *y, size_t lo, size_t hi, double freq, double rate, double *amp,
                double *resid_db) {
    double ss = 0, cc = 0, sc = 0, ys = 0, yc = 0;
    for (size_t i = lo; i < hi; i++) {
        double w = 2 * OBJR_PI * freq * (double)i / rate, s = sin(w), c = cos(w);
        ss += s * s;
        cc += c * c;
        sc += s * c;
        ys += y[i] * s;
        yc += y[i] * c;
    }
    double det = ss * cc - sc * sc, a = (ys * cc - yc * sc) / det, b = (yc * ss - ys * sc) / det;
    double r2 = 0;
    for (size_t i = lo; i < hi; i++) {
        double w = 2 * OBJR_PI * freq * (double)i / rate;
        double e = y[i] - (a * sin(w) + b * cos(w));
        r2 += e * e;
    }
    *amp = sqrt(a * a + b * b);
    *resid_db = 10 * log10(r2 / (double)(hi - lo)) - 10 * log10(*amp * *amp / 2);
}

START_TEST(sine_1k_keeps_frequency_and_level) {
    const size_t n = 48000;
    float *x = malloc(n * sizeof *x);
    objr_test_sine(x, n, 0.5, 1000, 48000, 0);
    size_t m;
    float *y = convert(x, n, 48000, 44100, &m);
    ck_assert_int_le(labs((long)m - 44100), 1); /* drained to the last frame */
    double amp, res;
    fit(y, 4410, m - 4410, 1000, 44100, &amp, &res);
    ck_assert_double_eq_tol(20 * log10(amp / 0.5), 0.0, 0.01);
    ck_assert_double_lt(res, -100.0); /* a wrong frequency or phase drift would leave this high */
    free(x);
    free(y);
}
END_TEST

START_TEST(tone_20k_no_alias) {
    const size_t n = 48000;
    float *x = malloc(n * sizeof *x);
    objr_test_sine(x, n, 0.5, 20000, 48000, 0.3);
    size_t m;
    float *y = convert(x, n, 48000, 44100, &m);
    double amp, res;
    fit(y, 4410, m - 4410, 20000, 44100, &amp, &res);
    ck_assert_double_lt(res, -100.0);
    ck_assert_double_gt(amp, 0.5 * pow(10, -0.5 / 20)); /* still in the pass band */
    free(x);
    free(y);
}
END_TEST

START_TEST(rejects_bad_ratio) {
    objr__resampler *r = NULL;
    ck_assert_int_eq(objr__resampler_create(2, 48000, 48, &r), OBJR_ERR_INVALID_ARG);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(objr__resampler_create(0, 48000, 44100, &r), OBJR_ERR_INVALID_ARG);
}
END_TEST

static Suite *resample_suite(void) {
    Suite *s = suite_create("resample");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, sine_1k_keeps_frequency_and_level);
    tcase_add_test(tc, tone_20k_no_alias);
    tcase_add_test(tc, rejects_bad_ratio);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(resample_suite)
