/* SPDX-License-Identifier: BSD-3-Clause */
/* Binaural convolution kernels: every available ISA variant against the portable C reference
 * (odd lengths, misaligned offsets, guard values after the output), and the fixed partitioned
 * convolver against a direct convolution. */
#include "common/test_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "renderers/binaural/conv.h"

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
        for (int i = 0; i < 4; i++)
            near(y1[i], y2[i], n + 1 + GUARD); /* includes the guard values */
        int16_t *hx[3];
        for (int i = 0; i < 3; i++) {
            hx[i] = malloc((2 * n + 3) * sizeof(int16_t));
            for (size_t j = 0; j < 2 * n + 3; j++)
                hx[i][j] = (int16_t)lrintf(x[4 + i][j] * 32767.0f);
        }
        const int16_t *a[3] = {hx[0], hx[1] + off, hx[2]};
        const float w[3] = {0.2f / 32767, 0.5f / 32767, 0.3f / 32767};
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
        /* fused mix + stats: the spectrum equals mix3rot's, the stats of each band equal those
         * of the old spectrum against the new one over its bins (computed here in double);
         * bands: the whole range, or three uneven ones */
        float *m1 = buf(&g, 2 * n + 2);
        c.mix3rot(m1, m1 + n + 1, a, w, n + 1, x[0], x[1], n);
        for (int split = 0; split < 2; split++) {
            size_t edges[4] = {0, n, n, n}, nb = 1;
            if (split)
                edges[1] = n / 3, edges[2] = n / 2 + 1 < n ? n / 2 + 1 : n, edges[3] = n, nb = 3;
            double s3[3][3], o1[3][3], o2[3][3];
            memset(s3, 0, sizeof s3);
            for (size_t bnd = 0; bnd < nb; bnd++)
                for (size_t i = edges[bnd]; i < edges[bnd + 1]; i++) {
                    double orr = x[2][i], oi = x[3][i], nr = m1[i], ni = m1[n + 1 + i];
                    s3[bnd][0] += orr * orr + oi * oi;
                    s3[bnd][1] += nr * nr + ni * ni;
                    s3[bnd][2] += orr * nr + oi * ni;
                }
            c.mix3rot_stats(y1[0], y1[1] + off, a, w, n + 1, x[0], x[1], x[2], x[3], edges, nb, o1);
            v.mix3rot_stats(y2[0], y2[1] + off, a, w, n + 1, x[0], x[1], x[2], x[3], edges, nb, o2);
            for (size_t i = 0; i < n; i++) {
                ck_assert(y1[0][i] == m1[i]);
                ck_assert(y1[1][off + i] == m1[n + 1 + i]);
            }
            for (size_t bnd = 0; bnd < nb; bnd++)
                for (int i = 0; i < 3; i++) {
                    ck_assert_double_eq_tol(o1[bnd][i], s3[bnd][i],
                                            1e-6 * (1.0 + fabs(s3[bnd][i])));
                    ck_assert_double_eq_tol(o1[bnd][i], o2[bnd][i],
                                            1e-4 * (1.0 + fabs(o1[bnd][i])));
                }
        }
        for (int i = 0; i < 2; i++)
            near(y1[i], y2[i], n + 1 + GUARD);
        /* cross-fade MAC: y0 += x o, y1 += x n, y2 += beta(i) (x o + x n), beta a curve of a
         * constant, a rising and a falling segment (ends not on vector boundaries), against the
         * products computed here in double */
        float *f1[3], *f2[3];
        double *ref[3];
        for (int i = 0; i < 3; i++) {
            f1[i] = buf(&g, 2 * n + 2);
            f2[i] = malloc((2 * n + 3 + GUARD) * sizeof(float));
            ref[i] = malloc((2 * n + 3 + GUARD) * sizeof(double));
            memcpy(f2[i], f1[i], (2 * n + 3 + GUARD) * sizeof(float));
            for (size_t j = 0; j < 2 * n + 3 + GUARD; j++)
                ref[i][j] = f1[i][j];
        }
        const float *xr = x[0] + off, *xi = x[1];
        objr__bcurve bc;
        bc.n = 3;
        bc.end[0] = n / 4, bc.v0[0] = 0.3f, bc.dv[0] = 0.0f;
        bc.end[1] = n / 2 + 3, bc.v0[1] = 0.3f, bc.dv[1] = 0.01f;
        bc.end[2] = n, bc.v0[2] = -0.2f, bc.dv[2] = -0.003f;
        float *beta = malloc((n + 1) * sizeof *beta);
        for (size_t j = 0, g0 = 0, st = 0; j < n; j++) {
            while (j >= bc.end[g0])
                st = bc.end[g0], g0++;
            beta[j] = bc.v0[g0] + bc.dv[g0] * (float)(j - st);
        }
        for (size_t j = 0; j < n; j++) {
            double pr = (double)xr[j] * x[2][j] - (double)xi[j] * x[3][j];
            double pi = (double)xr[j] * x[3][j] + (double)xi[j] * x[2][j];
            double qr = (double)xr[j] * x[4][j] - (double)xi[j] * x[5][j];
            double qi = (double)xr[j] * x[5][j] + (double)xi[j] * x[4][j];
            ref[0][j] += pr, ref[0][n + 1 + j] += pi;
            ref[1][j] += qr, ref[1][n + 1 + j] += qi;
            ref[2][j] += beta[j] * (pr + qr), ref[2][n + 1 + j] += beta[j] * (pi + qi);
        }
        float *const y1f[3] = {f1[0], f1[1], f1[2]}, *const y2f[3] = {f2[0], f2[1], f2[2]};
        c.cmacfade(y1f, n + 1, &bc, xr, xi, x[2], x[3], x[4], x[5], n);
        v.cmacfade(y2f, n + 1, &bc, xr, xi, x[2], x[3], x[4], x[5], n);
        for (int i = 0; i < 3; i++) {
            for (size_t j = 0; j < 2 * n + 3 + GUARD; j++)
                ck_assert_double_eq_tol(f1[i][j], ref[i][j], 1e-5 * (1.0 + fabs(ref[i][j])));
            near(f1[i], f2[i], 2 * n + 3 + GUARD);
            free(f1[i]), free(f2[i]), free(ref[i]);
        }
        free(m1), free(beta);
        for (int i = 0; i < 3; i++)
            free(hx[i]);
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

/* Two real signals through one complex transform: each spectrum equals the signal's own DFT
 * (computed directly in double), for the C and the SIMD split; and two half spectra back
 * through one complex inverse give each signal times n. */
START_TEST(pair_transforms_match_dft) {
    objr__bconvdsp c, v;
    objr__bconvdsp_init(&c, 0);
    objr__bconvdsp_init(&v, objr_cpu_features());
    objr_test_rng g;
    objr_test_rng_init(&g);
    static const size_t blocks[] = {16, 24, 64};
    for (size_t bi = 0; bi < sizeof blocks / sizeof blocks[0]; bi++) {
        objr__bfft f;
        ck_assert_int_eq(objr__bfft_init(&f, blocks[bi], 0), OBJR_OK);
        size_t n = f.n, K = f.k;
        float *a = malloc(n * 4), *b = malloc(n * 4);
        objr_test_noise(&g, a, n, 1.0);
        objr_test_noise(&g, b, n, 1.0);
        memcpy(f.pin, a, n * 4);
        memcpy(f.pin + n, b, n * 4);
        objr__bfft_pair_forward(&f);
        float *sp[2][4]; /* [C, SIMD][ar, ai, br, bi] with guard values after K */
        for (int m = 0; m < 2; m++)
            for (int j = 0; j < 4; j++) {
                sp[m][j] = malloc((K + GUARD) * 4);
                for (size_t i = 0; i < K + GUARD; i++)
                    sp[m][j][i] = 1234.5f;
            }
        c.split2(f.pout, n, sp[0][0], sp[0][1], sp[0][2], sp[0][3], K);
        v.split2(f.pout, n, sp[1][0], sp[1][1], sp[1][2], sp[1][3], K);
        for (int j = 0; j < 4; j++) {
            near(sp[0][j], sp[1][j], K);
            for (size_t i = K; i < K + GUARD; i++)
                ck_assert(sp[1][j][i] == 1234.5f);
        }
        for (size_t k = 0; k < K; k++) {
            double re[2] = {0, 0}, im[2] = {0, 0};
            for (size_t t = 0; t < n; t++) {
                double ph = -2 * OBJR_PI * (double)((k * t) % n) / (double)n;
                re[0] += a[t] * cos(ph), im[0] += a[t] * sin(ph);
                re[1] += b[t] * cos(ph), im[1] += b[t] * sin(ph);
            }
            for (int m = 0; m < 2; m++) {
                ck_assert_double_eq_tol(sp[m][0][k], re[0], 1e-3);
                ck_assert_double_eq_tol(sp[m][1][k], im[0], 1e-3);
                ck_assert_double_eq_tol(sp[m][2][k], re[1], 1e-3);
                ck_assert_double_eq_tol(sp[m][3][k], im[1], 1e-3);
            }
        }
        /* back: the imaginary parts at DC and Nyquist are ignored, as by a real inverse */
        sp[0][1][0] = sp[0][1][K - 1] = 5.0f;
        sp[0][3][0] = sp[0][3][K - 1] = -7.0f;
        const float *o[2];
        objr__bfft_pair_inverse(&f, sp[0][0], sp[0][1], sp[0][2], sp[0][3], o);
        for (size_t t = 0; t < n; t++) {
            ck_assert_double_eq_tol(o[0][t] / (double)n, a[t], 1e-4);
            ck_assert_double_eq_tol(o[1][t] / (double)n, b[t], 1e-4);
        }
        for (int m = 0; m < 2; m++)
            for (int j = 0; j < 4; j++)
                free(sp[m][j]);
        free(a), free(b);
        objr__bfft_free(&f);
    }
}
END_TEST

static Suite *binaural_dsp_suite(void) {
    Suite *s = suite_create("binaural_dsp");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, kernels_match_reference);
    tcase_add_test(tc, fixed_convolver_matches_direct);
    tcase_add_test(tc, deinterleave_matches_reference);
    tcase_add_test(tc, pair_transforms_match_dft);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(binaural_dsp_suite)
