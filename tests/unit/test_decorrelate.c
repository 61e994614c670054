/* SPDX-License-Identifier: BSD-3-Clause */
/* Decorrelation filters (ITU-R BS.2127-1 §7.4) and the streaming FIR bank: all-pass, mutually
 * decorrelated, deterministic, seeded by sorted label index from the MT19937 sequence; the FIR
 * bank equals direct convolution for any call sizes. */
#include "common/test_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layouts/registry.h"
#include "renderers/loudspeaker/decorrelate.h"

#define N OBJR__DECORR_TAPS

/* DFT bin k of h (length N), by direct summation. */
static void dft_bin(const double *h, size_t k, double *re, double *im) {
    double a = 0.0, b = 0.0;
    for (size_t n = 0; n < N; n++) {
        double w = -2.0 * OBJR_PI * (double)((k * n) % N) / N;
        a += h[n] * cos(w);
        b += h[n] * sin(w);
    }
    *re = a;
    *im = b;
}

START_TEST(all_pass_with_the_mt19937_phase) {
    static double h[N];
    ck_assert_int_eq(objr__decorrelate_design_one(5489, N, h), OBJR_OK);
    for (size_t k = 0; k <= N / 2; k++) {
        double re, im;
        dft_bin(h, k, &re, &im);
        ck_assert_double_eq_tol(hypot(re, im), 1.0, 1e-9);
        if (k == 0 || k == N / 2)
            ck_assert_double_eq_tol(im, 0.0, 1e-9); /* phase 0 at DC and Nyquist */
        if (k == 1) {
            /* the first MT19937 output for seed 5489 (the generator's reference seed) is
             * 3499211612; bin 1's phase is 2 pi times it over 2^32 */
            double want = 2.0 * OBJR_PI * (3499211612.0 / 4294967296.0);
            double got = atan2(im, re);
            double d = remainder(got - want, 2.0 * OBJR_PI);
            ck_assert_double_eq_tol(d, 0.0, 1e-9);
        }
    }
    double e = 0.0;
    for (size_t n = 0; n < N; n++)
        e += h[n] * h[n];
    ck_assert_double_eq_tol(e, 1.0, 1e-12); /* Parseval for a unit-magnitude spectrum */
    ck_assert_uint_eq(objr__decorrelate_delay(N), 255);
}
END_TEST

START_TEST(layout_filters_seeded_by_sorted_label_and_decorrelated) {
    objr__layout l;
    ck_assert_int_eq(objr__layout_lookup("0+5+0", &l), OBJR_OK);
    static double f[6 * N], g[6 * N], one[N];
    ck_assert_int_eq(objr__decorrelate_design(&l, N, f), OBJR_OK);
    ck_assert_int_eq(objr__decorrelate_design(&l, N, g), OBJR_OK);
    ck_assert_mem_eq(f, g, sizeof f); /* deterministic */
    /* sorted labels: LFE1 M+000 M+030 M+110 M-030 M-110 -> M+030 uses seed 2, M-110 seed 5 */
    ck_assert_int_eq(objr__decorrelate_design_one(2, N, one), OBJR_OK);
    ck_assert_mem_eq(f + (size_t)objr__layout_find_label(&l, "M+030") * N, one, sizeof one);
    /* taps of the reference renderer's (EAR's) M+030 filter for 0+5+0 */
    static const double ear_head[6] = {-0.087393987584908864, -0.022017576657647971,
                                       -0.052279098970948491, -0.034299275601565926,
                                       -0.030566869867804963, 0.025806658741588419};
    for (int k = 0; k < 6; k++)
        ck_assert_double_eq_tol(one[k], ear_head[k], 1e-14);
    ck_assert_double_eq_tol(one[N - 2], 0.055626637561649706, 1e-14);
    ck_assert_double_eq_tol(one[N - 1], -0.0460657301556106, 1e-14);
    ck_assert_int_eq(objr__decorrelate_design_one(5, N, one), OBJR_OK);
    ck_assert_mem_eq(f + (size_t)objr__layout_find_label(&l, "M-110") * N, one, sizeof one);
    /* mutual decorrelation: the normalised cross-correlation of two unit-energy random-phase
     * filters has about 1/sqrt(N) = 0.044 spread per lag; its maximum over all lags stays
     * well under 0.25 */
    for (size_t a = 0; a < l.n_speakers; a++) {
        for (size_t b = a + 1; b < l.n_speakers; b++) {
            double mx = 0.0;
            for (long lag = -(long)N + 1; lag < (long)N; lag++) {
                double acc = 0.0;
                for (long n = 0; n < (long)N; n++) {
                    long m = n + lag;
                    if (m >= 0 && m < (long)N)
                        acc += f[a * N + (size_t)n] * f[b * N + (size_t)m];
                }
                mx = fmax(mx, fabs(acc));
            }
            ck_assert_msg(mx < 0.25, "filters %zu/%zu correlate %.3f", a, b, mx);
        }
    }
    ck_assert_int_eq(objr__decorrelate_design_one(1, 3, one), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr__decorrelate_design_one(1, 511, one), OBJR_ERR_INVALID_ARG);
}
END_TEST

START_TEST(fir_bank_equals_direct_convolution) {
    enum { NCH = 3, LEN = 3000 };
    static double filt[NCH * N];
    for (size_t c = 0; c < NCH; c++)
        ck_assert_int_eq(objr__decorrelate_design_one((uint32_t)c + 7, N, filt + c * N), OBJR_OK);
    static float x[NCH][LEN], y[NCH][LEN], y2[NCH][LEN];
    objr_test_rng r;
    objr_test_rng_init(&r);
    for (size_t c = 0; c < NCH; c++)
        objr_test_noise(&r, x[c], LEN, 1.0);
    objr__fir_bank *b = NULL;
    ck_assert_int_eq(objr__fir_bank_create(filt, NCH, N, 128, &b), OBJR_OK);
    for (int pass = 0; pass < 2; pass++) {
        float(*dst)[LEN] = pass ? y2 : y;
        size_t pos = 0;
        const size_t steps[] = {1, 3, 128, 100, 1000, 7, 255, 256, 17};
        for (size_t i = 0; pos < LEN; i++) {
            size_t n = steps[i % (sizeof steps / sizeof steps[0])];
            if (n > LEN - pos)
                n = LEN - pos;
            const float *in[NCH];
            float *out[NCH];
            for (size_t c = 0; c < NCH; c++) {
                in[c] = x[c] + pos;
                out[c] = dst[c] + pos;
            }
            objr__fir_bank_process(b, in, out, n);
            pos += n;
        }
        objr__fir_bank_reset(b);
    }
    ck_assert_mem_eq(y, y2, sizeof y); /* reset restores the initial state */
    double maxerr = 0.0;
    for (size_t c = 0; c < NCH; c++) {
        for (size_t i = 0; i < LEN; i++) {
            double acc = 0.0;
            for (size_t k = 0; k < N && k <= i; k++)
                acc += filt[c * N + k] * x[c][i - k];
            maxerr = fmax(maxerr, fabs(acc - y[c][i]));
        }
    }
    ck_assert_msg(maxerr < 2e-5, "max error %g", maxerr);
    objr__fir_bank_destroy(b);
    ck_assert_int_eq(objr__fir_bank_create(filt, NCH, N, 100, &b), OBJR_ERR_INVALID_ARG);
    ck_assert_ptr_null(b);
    objr__fir_bank_destroy(NULL);
}
END_TEST

static Suite *decorrelate_suite(void) {
    Suite *s = suite_create("decorrelate");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, all_pass_with_the_mt19937_phase);
    tcase_add_test(tc, layout_filters_seeded_by_sorted_label_and_decorrelated);
    tcase_add_test(tc, fir_bank_equals_direct_convolution);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(decorrelate_suite)
