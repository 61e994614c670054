/* SPDX-License-Identifier: BSD-3-Clause */
/* K-weighting kernel (src/dsp/kweight.h, ITU-R BS.1770-4 §2.1): the reference against a
 * direct double-precision evaluation of the two biquads of the Recommendation at 48 kHz,
 * and every ISA this CPU offers bit for bit against the reference, for channel counts
 * around the vector width, the lengths {0,1,3,7,8,15,16,17,1027}, misaligned input and
 * guard words after the state and sums (STYLE.md §7/§9). */
#include "common/test_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr.h"
#include "src/core/core.h"
#include "src/dsp/kweight.h"

static const size_t lengths[] = {0, 1, 3, 7, 8, 15, 16, 17, 1027};
#define N_LENGTHS (sizeof lengths / sizeof lengths[0])
static const size_t channel_counts[] = {1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 16, 17, 24};
#define N_COUNTS (sizeof channel_counts / sizeof channel_counts[0])
#define MAXC 24
#define MAXN 1027
#define GUARD 8
#define MISALIGN 3

/* BS.1770-4 Table 1 and 2 coefficients at 48 kHz. */
static const objr__kw_coef k48 = {1.53512485958697,  -2.69169618940638, 1.19839281085285,
                                  -1.69065929318241, 0.73248077421585,  -1.99004745483398,
                                  0.99007225036621};

START_TEST(reference_matches_direct_biquads) {
    /* Direct form I with the Recommendation's coefficients, one channel of noise. */
    objr_test_rng rng;
    objr_test_rng_init(&rng);
    float x[MAXN];
    objr_test_noise(&rng, x, MAXN, 0.5);
    double z[4] = {0}, acc = 0.0;
    objr__kweight_sumsq_c(x, 1, MAXN, &k48, z, &acc);
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0, u1 = 0, u2 = 0, ref = 0;
    for (size_t i = 0; i < MAXN; i++) {
        double v = x[i];
        double y = k48.b0 * v + k48.b1 * x1 + k48.b2 * x2 - k48.a1 * y1 - k48.a2 * y2;
        double u = y - 2 * y1 + y2 - k48.c1 * u1 - k48.c2 * u2;
        x2 = x1;
        x1 = v;
        y2 = y1;
        y1 = y;
        u2 = u1;
        u1 = u;
        ref += u * u;
    }
    ck_assert_double_eq_tol(acc, ref, 1e-9 * ref);
}
END_TEST

static unsigned isa_mask(int idx) {
    if (idx == 0)
        return 0;
    return (objr_cpu_features() & OBJR_CPU_AVX2) ? (OBJR_CPU_SSE2 | OBJR_CPU_AVX2) : ~0u;
}

START_TEST(isa_matches_reference) {
    unsigned mask = isa_mask(_i);
    if (mask == ~0u)
        return; /* ISA not on this CPU */
    objr__kweight_fn f = objr__kweight_select(mask);
    objr_test_rng rng;
    objr_test_rng_init(&rng);
    float *mem = malloc((MAXC * MAXN + MISALIGN) * sizeof(float));
    ck_assert_ptr_nonnull(mem);
    float *x = mem + MISALIGN;
    objr_test_noise(&rng, x, MAXC * MAXN, 0.9);
    for (size_t ci = 0; ci < N_COUNTS; ci++) {
        const size_t nc = channel_counts[ci];
        for (size_t li = 0; li < N_LENGTHS; li++) {
            const size_t n = lengths[li];
            double z1[4 * MAXC + GUARD], z2[4 * MAXC + GUARD], a1[MAXC + GUARD], a2[MAXC + GUARD];
            for (size_t k = 0; k < 4 * nc + GUARD; k++)
                z1[k] = z2[k] = k < 4 * nc ? objr_test_rng_range(&rng, -0.1, 0.1) : 12345.0;
            for (size_t k = 0; k < nc + GUARD; k++)
                a1[k] = a2[k] = k < nc ? objr_test_rng_range(&rng, 0.0, 3.0) : 12345.0;
            objr__kweight_sumsq_c(x, nc, n, &k48, z1, a1);
            f(x, nc, n, &k48, z2, a2);
            ck_assert_msg(memcmp(z1, z2, (4 * nc + GUARD) * sizeof(double)) == 0,
                          "state: %zu ch, %zu frames", nc, n);
            ck_assert_msg(memcmp(a1, a2, (nc + GUARD) * sizeof(double)) == 0,
                          "sums: %zu ch, %zu frames", nc, n);
        }
    }
    free(mem);
}
END_TEST

static Suite *kweight_suite(void) {
    Suite *s = suite_create("kweight");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, reference_matches_direct_biquads);
    suite_add_tcase(s, tc);
    TCase *ts = tcase_create("simd");
    tcase_add_loop_test(ts, isa_matches_reference, 0, 2);
    suite_add_tcase(s, ts);
    return s;
}

OBJR_TEST_MAIN(kweight_suite)
