/* SPDX-License-Identifier: BSD-3-Clause */
/* Binaural convolution kernels: every available ISA variant against the portable C reference
 * (odd lengths, misaligned offsets, guard values after the output), and the fixed partitioned
 * convolver against a direct convolution. */
#include "common/test_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "renderers/binaural_conv.h"

static const size_t lens[] = {0, 1, 3, 7, 8, 15, 16, 17, 1027};
#define GUARD 7
#define TOL 1e-5f

static float *buf(objr_test_rng *g, size_t n) {
    float *x = malloc((n + 1 + GUARD) * sizeof *x);
    for (size_t i = 0; i < n + 1 + GUARD; i++)
        x[i] = (float)objr_test_rng_range(g, -1, 1);
    return x;
}

static void near(const float *a, const float *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        ck_assert_float_eq_tol(a[i], b[i], TOL * (1.0f + fabsf(a[i])));
}

START_TEST(kernels_match_reference) {
    objr__bconvdsp c, v;
    objr__bconvdsp_init(&c, 0);
    objr__bconvdsp_init(&v, objr_cpu_features());
    objr_test_rng g;
    objr_test_rng_init(&g);
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        size_t n = lens[li], off = li % 2; /* misaligned by one float on odd cases */
        float *x[8], *y1[4], *y2[4];
        for (int i = 0; i < 8; i++)
            x[i] = buf(&g, 2 * n + 2);
        for (int i = 0; i < 4; i++) {
            y1[i] = buf(&g, n);
            y2[i] = malloc((n + 1 + GUARD) * sizeof(float));
            memcpy(y2[i], y1[i], (n + 1 + GUARD) * sizeof(float));
        }
        c.cmac(y1[0] + off, y1[1] + off, x[0], x[1], x[2], x[3], n);
        v.cmac(y2[0] + off, y2[1] + off, x[0], x[1], x[2], x[3], n);
        c.cmac2(y1[0], y1[1], y1[2], y1[3], 0.3f, x[4], x[5], x[6], x[7], n);
        v.cmac2(y2[0], y2[1], y2[2], y2[3], 0.3f, x[4], x[5], x[6], x[7], n);
        for (int i = 0; i < 4; i++)
            near(y1[i], y2[i], n + 1 + GUARD); /* includes the guard values */
        c.axpy(y1[0] + off, y1[1], 0.7f, x[0] + off, x[1], n);
        v.axpy(y2[0] + off, y2[1], 0.7f, x[0] + off, x[1], n);
        c.rot(y1[2], y1[3], 1.3f, x[2], x[3], n);
        v.rot(y2[2], y2[3], 1.3f, x[2], x[3], n);
        for (int i = 0; i < 4; i++)
            near(y1[i], y2[i], n + 1 + GUARD);
        const float *a[3] = {x[4], x[5] + off, x[6]};
        const float w[3] = {0.2f, 0.5f, 0.3f};
        c.mix3rot(y1[0], y1[1] + off, a, w, n + 1, x[0], x[1], n);
        v.mix3rot(y2[0], y2[1] + off, a, w, n + 1, x[0], x[1], n);
        c.ramp(y1[2] + off, x[3], 0.1f, 0.01f, n, 1);
        v.ramp(y2[2] + off, x[3], 0.1f, 0.01f, n, 1);
        c.ramp(y1[3], x[4] + off, -0.5f, 0.002f, n, 0);
        v.ramp(y2[3], x[4] + off, -0.5f, 0.002f, n, 0);
        for (int i = 0; i < 4; i++)
            near(y1[i], y2[i], n + 1 + GUARD);
        double s1[3], s2[3];
        c.stats(x[0], x[1], x[2], x[3], n, s1);
        v.stats(x[0], x[1], x[2], x[3], n, s2);
        for (int i = 0; i < 3; i++)
            ck_assert_double_eq_tol(s1[i], s2[i], 1e-4 * (1.0 + fabs(s1[i])));
        /* fused mix + stats: the spectrum equals mix3rot's, the stats equal stats() of the old
         * spectrum against the new one (reference against reference: exact composition) */
        float *m1 = buf(&g, 2 * n + 2);
        c.mix3rot(m1, m1 + n + 1, a, w, n + 1, x[0], x[1], n);
        double s3[3];
        c.stats(x[2], x[3], m1, m1 + n + 1, n, s3);
        c.mix3rot_stats(y1[0], y1[1] + off, a, w, n + 1, x[0], x[1], x[2], x[3], n, s1);
        v.mix3rot_stats(y2[0], y2[1] + off, a, w, n + 1, x[0], x[1], x[2], x[3], n, s2);
        for (size_t i = 0; i < n; i++) {
            ck_assert(y1[0][i] == m1[i]);
            ck_assert(y1[1][off + i] == m1[n + 1 + i]);
        }
        for (int i = 0; i < 3; i++) {
            ck_assert_double_eq_tol(s1[i], s3[i], 1e-9 * (1.0 + fabs(s3[i])));
            ck_assert_double_eq_tol(s1[i], s2[i], 1e-4 * (1.0 + fabs(s1[i])));
        }
        for (int i = 0; i < 2; i++)
            near(y1[i], y2[i], n + 1 + GUARD);
        /* cross-fade MAC: the same as two cmac2 calls */
        float *f1[4], *f2[4], *f3[4];
        for (int i = 0; i < 4; i++) {
            f1[i] = buf(&g, 2 * n + 2);
            f2[i] = malloc((2 * n + 3 + GUARD) * sizeof(float));
            f3[i] = malloc((2 * n + 3 + GUARD) * sizeof(float));
            memcpy(f2[i], f1[i], (2 * n + 3 + GUARD) * sizeof(float));
            memcpy(f3[i], f1[i], (2 * n + 3 + GUARD) * sizeof(float));
        }
        c.cmac2(f3[0], f3[0] + n + 1, f3[1], f3[1] + n + 1, -0.4f, x[0] + off, x[1], x[2], x[3], n);
        c.cmac2(f3[2], f3[2] + n + 1, f3[3], f3[3] + n + 1, -0.4f, x[0] + off, x[1], x[4], x[5], n);
        c.cmacfade(f1, n + 1, -0.4f, x[0] + off, x[1], x[2], x[3], x[4], x[5], n);
        v.cmacfade(f2, n + 1, -0.4f, x[0] + off, x[1], x[2], x[3], x[4], x[5], n);
        for (int i = 0; i < 4; i++) {
            ck_assert(memcmp(f1[i], f3[i], (2 * n + 3 + GUARD) * sizeof(float)) == 0);
            near(f1[i], f2[i], 2 * n + 3 + GUARD);
            free(f1[i]), free(f2[i]), free(f3[i]);
        }
        free(m1);
        for (int i = 0; i < 8; i++)
            free(x[i]);
        for (int i = 0; i < 4; i++)
            free(y1[i]), free(y2[i]);
    }
}
END_TEST

START_TEST(deinterleave_matches_reference) {
    objr_test_rng g;
    objr_test_rng_init(&g);
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        size_t n = lens[li];
        float *c = buf(&g, 2 * n), *r1 = buf(&g, n), *i1 = buf(&g, n);
        float *r2 = malloc((n + 1 + GUARD) * 4), *i2 = malloc((n + 1 + GUARD) * 4);
        memcpy(r2, r1, (n + 1 + GUARD) * 4);
        memcpy(i2, i1, (n + 1 + GUARD) * 4);
        objr__bfft_deinterleave_c(c, r1, i1, n);
        for (size_t i = 0; i < n; i++)
            ck_assert(r1[i] == c[2 * i] && i1[i] == c[2 * i + 1]);
#if defined(OBJR_HAVE_SIMD) && (defined(__x86_64__) || defined(__i386__))
        if (objr_cpu_features() & OBJR_CPU_AVX2) {
            objr__bfft_deinterleave_avx2(c, r2, i2, n);
            ck_assert(memcmp(r1, r2, (n + 1 + GUARD) * 4) == 0);
            ck_assert(memcmp(i1, i2, (n + 1 + GUARD) * 4) == 0);
        }
#endif
        free(c), free(r1), free(i1), free(r2), free(i2);
    }
}
END_TEST

/* the fixed partitioned convolver equals a direct convolution (filter over several partitions) */
START_TEST(fixed_convolver_matches_direct) {
    objr__bfft f;
    ck_assert_int_eq(objr__bfft_init(&f, 64, 0), OBJR_OK);
    objr__bconvdsp d;
    objr__bconvdsp_init(&d, objr_cpu_features());
    objr_test_rng g;
    objr_test_rng_init(&g);
    size_t len = 300, nblk = 20, n = nblk * 64;
    float *hl = malloc(len * 4), *hr = malloc(len * 4), *x = malloc(n * 4);
    objr_test_noise(&g, hl, len, 1.0);
    objr_test_noise(&g, hr, len, 1.0);
    objr_test_noise(&g, x, n, 1.0);
    objr__bconv_fixed *c = NULL;
    ck_assert_int_eq(objr__bconv_fixed_create(&f, hl, hr, len, &c), OBJR_OK);
    float *acc = objr__bfft_alloc(4 * f.stride), *scratch = objr__bfft_alloc(f.n),
          *td = objr__bfft_alloc(f.n);
    for (size_t k = 0; k < nblk; k++) {
        memset(acc, 0, 4 * f.stride * sizeof *acc);
        float *yr[2] = {acc, acc + 2 * f.stride}, *yi[2] = {acc + f.stride, acc + 3 * f.stride};
        objr__bconv_fixed_block(c, &d, x + k * 64, yr, yi, scratch);
        for (int e = 0; e < 2; e++) {
            objr__bfft_inverse(&f, yr[e], yi[e], td);
            const float *h = e ? hr : hl;
            for (size_t i = 0; i < 64; i++) {
                size_t t = k * 64 + i;
                double ref = 0;
                for (size_t j = 0; j < len && j <= t; j++)
                    ref += (double)h[j] * x[t - j];
                ck_assert_double_eq_tol(td[64 + i], ref, 1e-3 * (1 + fabs(ref)));
            }
        }
    }
    objr__bconv_fixed_destroy(c);
    objr__bfft_free_buf(acc), objr__bfft_free_buf(scratch), objr__bfft_free_buf(td);
    objr__bfft_free(&f);
    free(hl), free(hr), free(x);
}
END_TEST

static Suite *binaural_dsp_suite(void) {
    Suite *s = suite_create("binaural_dsp");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, kernels_match_reference);
    tcase_add_test(tc, fixed_convolver_matches_direct);
    tcase_add_test(tc, deinterleave_matches_reference);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(binaural_dsp_suite)
