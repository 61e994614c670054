/* SPDX-License-Identifier: BSD-3-Clause */
/* Quantisation kernels (src/dsp/quant.h): the reference against the definition (rounding to
 * the nearest code after the dither is added, clamping and counting, left-justification, the
 * exact-sample pass-through), and every ISA this CPU offers bit for bit against the reference
 * for the lengths {0,1,3,7,8,15,16,17,1027}, misaligned buffers, in-place output, with and
 * without dither values, and guard words after every output (STYLE.md §7/§9). */
#include "common/test_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr.h"
#include "src/core/core.h"
#include "src/dsp/quant.h"

static const size_t lengths[] = {0, 1, 3, 7, 8, 15, 16, 17, 1027};
#define N_LENGTHS (sizeof lengths / sizeof lengths[0])
#define MAXN 1027
#define GUARD 16
#define MISALIGN 3
static const uint32_t guard_bits = 0x7fc0dead;

/* ISA index -> feature mask: 0 = C reference, then the x86 features this CPU offers. */
static unsigned isa_mask(int idx) {
    static const unsigned order[] = {0, OBJR_CPU_SSE2, OBJR_CPU_AVX2};
    if (idx == 0)
        return 0;
    unsigned want = order[idx];
    if (!(objr_cpu_features() & want))
        return ~0u;
    return want == OBJR_CPU_AVX2 ? (OBJR_CPU_SSE2 | OBJR_CPU_AVX2) : want;
}

START_TEST(reference_rounds_clamps_and_justifies) {
    /* 16-bit words: 1 LSB = 2^-15. */
    const objr__quant_word w = objr__quant_word_make(16, 0);
    const double lsb = 1.0 / 32768.0;
    const float x[] = {(float)(100.25 * lsb),
                       (float)(100.25 * lsb),
                       (float)(-3.5 * lsb),
                       1.0f,
                       -1.0f,
                       -1.5f,
                       (float)(7.0 * lsb),
                       NAN};
    const double t[] = {0.0, 0.3, 0.0, 0.0, 0.0, 0.0, -0.6, 0.0};
    /* floor(v + t + 0.5): 100.25 -> 100; 100.55 + 0.5 -> 101 (the dither moved it);
     * -3.5 + 0.5 -> -3; +1.0 is 32768 > 32767: clamped; -1.0 is a code; -1.5 clamped;
     * 7 - 0.6 + 0.5 = 6.9 -> 6; NaN clamps to the top code and counts. */
    const int32_t want[] = {100, 101, -3, 32767, -32768, -32768, 6, 32767};
    int32_t o[8];
    float q[8];
    size_t clipped = objr__quant_f32_c(x, t, 8, &w, o, q);
    ck_assert_uint_eq(clipped, 3);
    for (int k = 0; k < 8; k++) {
        ck_assert_int_eq(o[k], (int32_t)((uint32_t)want[k] << 16));
        ck_assert_double_eq((double)q[k], want[k] * lsb);
    }
    /* keep_exact: a sample on the grid passes whatever its dither; others still get it. */
    const objr__quant_word we = objr__quant_word_make(16, 1);
    clipped = objr__quant_f32_c(x, t, 8, &we, o, NULL);
    ck_assert_int_eq(o[6] >> 16, 7);
    ck_assert_int_eq(o[1] >> 16, 101);
    ck_assert_uint_eq(clipped, 3);
}
END_TEST

START_TEST(every_isa_matches_reference) {
    unsigned mask = isa_mask(_i);
    if (mask == ~0u)
        return;
    objr__quantdsp d;
    objr__quantdsp_init(&d, mask);
    objr_test_rng r;
    objr_test_rng_init(&r);
    const size_t cap = MAXN + MISALIGN + GUARD;
    float *x = malloc(cap * sizeof *x), *q = malloc(cap * sizeof *q),
          *rq = malloc(cap * sizeof *rq);
    float *xin = malloc(cap * sizeof *xin);
    double *t = malloc(cap * sizeof *t);
    int32_t *o = malloc(cap * sizeof *o), *ro = malloc(cap * sizeof *ro);
    ck_assert(x && q && rq && xin && t && o && ro);
    for (unsigned bits = 16; bits <= 24; bits += 8)
        for (int keep = 0; keep <= 1; keep++)
            for (int with_t = 0; with_t <= 1; with_t++)
                for (size_t li = 0; li < N_LENGTHS; li++)
                    for (size_t mis = 0; mis <= MISALIGN; mis++) {
                        const size_t n = lengths[li];
                        const objr__quant_word w = objr__quant_word_make(bits, keep);
                        for (size_t k = 0; k < cap; k++) {
                            double u = objr_test_rng_uniform(&r);
                            /* Over full scale, on the grid and random, in turn. */
                            x[k] = k % 5 == 0   ? (float)(2.4 * u - 1.2)
                                   : k % 5 == 1 ? (float)(floor((2 * u - 1) * w.scale) * w.inv)
                                                : (float)(2 * u - 1);
                            t[k] = 2.0 * objr_test_rng_uniform(&r) - 1.0;
                        }
                        for (size_t k = 0; k < cap; k++) {
                            memcpy(&o[k], &guard_bits, sizeof guard_bits);
                            memcpy(&q[k], &guard_bits, sizeof guard_bits);
                        }
                        const double *tp = with_t ? t + mis : NULL;
                        size_t rc = objr__quant_f32_c(x + mis, tp, n, &w, ro, rq);
                        size_t c1 = d.quant_f32(x + mis, tp, n, &w, o + mis, q + mis);
                        ck_assert_uint_eq(c1, rc);
                        ck_assert_msg(memcmp(o + mis, ro, n * sizeof *o) == 0,
                                      "isa %u: ints differ (bits %u, n %zu)", d.isa, bits, n);
                        ck_assert_msg(memcmp(q + mis, rq, n * sizeof *q) == 0,
                                      "isa %u: floats differ (bits %u, n %zu)", d.isa, bits, n);
                        for (size_t g = mis + n; g < cap; g++) {
                            ck_assert(memcmp(&o[g], &guard_bits, sizeof guard_bits) == 0);
                            ck_assert(memcmp(&q[g], &guard_bits, sizeof guard_bits) == 0);
                        }
                        /* In place (q = x), as the master does. */
                        memcpy(xin, x, cap * sizeof *x);
                        size_t c2 = d.quant_f32(xin + mis, tp, n, &w, o + mis, xin + mis);
                        ck_assert_uint_eq(c2, rc);
                        ck_assert(memcmp(xin + mis, rq, n * sizeof *q) == 0);
                    }
    free(x);
    free(q);
    free(rq);
    free(xin);
    free(t);
    free(o);
    free(ro);
}
END_TEST

START_TEST(dispatch_respects_mask) {
    objr__quantdsp d;
    objr__quantdsp_init(&d, 0);
    ck_assert_uint_eq(d.isa, 0);
    ck_assert(d.quant_f32 == objr__quant_f32_c);
    objr__quantdsp_init(&d, objr_cpu_features());
    ck_assert((d.isa & ~objr_cpu_features()) == 0);
}
END_TEST

static Suite *quant_kernels_suite(void) {
    Suite *s = suite_create("quant_kernels");
    TCase *tc = tcase_create("kernels");
    tcase_add_test(tc, reference_rounds_clamps_and_justifies);
    tcase_add_loop_test(tc, every_isa_matches_reference, 0, 3);
    tcase_add_test(tc, dispatch_respects_mask);
    tcase_set_tags(tc, "simd");
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(quant_kernels_suite)
