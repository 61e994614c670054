/* SPDX-License-Identifier: BSD-3-Clause */
/* Largest-magnitude scan (src/dsp/finite.h): the reference against a direct float maximum
 * of |x| and its non-finite flag, and every ISA this CPU offers bit for bit against the
 * reference, for lengths around the vector widths, misaligned input, the maximum at every
 * position of a short block, negative zero, denormals, infinities and NaN (STYLE.md §7). */
#include "common/test_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr.h"
#include "src/core/core.h"
#include "src/dsp/finite.h"

static const size_t lengths[] = {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 1027};
#define N_LENGTHS (sizeof lengths / sizeof lengths[0])
#define MAXN 1027
#define MISALIGN 3

START_TEST(reference_is_the_largest_magnitude) {
    objr_test_rng rng;
    objr_test_rng_init(&rng);
    float x[MAXN];
    objr_test_noise(&rng, x, MAXN, 0.9);
    for (size_t li = 0; li < N_LENGTHS; li++) {
        const size_t n = lengths[li];
        float ref = 0.0f;
        for (size_t i = 0; i < n; i++)
            ref = fabsf(x[i]) > ref ? fabsf(x[i]) : ref;
        uint32_t b = objr__absmax_bits_c(x, n);
        ck_assert_uint_lt(b, OBJR__ABSMAX_NONFINITE);
        ck_assert_msg(objr__absmax_value(b) == ref, "%zu frames", n);
    }
    x[500] = -INFINITY;
    ck_assert_uint_ge(objr__absmax_bits_c(x, MAXN), OBJR__ABSMAX_NONFINITE);
    x[500] = NAN;
    ck_assert_uint_ge(objr__absmax_bits_c(x, MAXN), OBJR__ABSMAX_NONFINITE);
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
    objr__absmax_fn f = objr__absmax_select(mask);
    objr_test_rng rng;
    objr_test_rng_init(&rng);
    float *mem = malloc((MAXN + MISALIGN) * sizeof(float));
    ck_assert_ptr_nonnull(mem);
    float *x = mem + MISALIGN;
    objr_test_noise(&rng, x, MAXN, 0.9);
    for (size_t li = 0; li < N_LENGTHS; li++)
        ck_assert_msg(f(x, lengths[li]) == objr__absmax_bits_c(x, lengths[li]), "%zu frames",
                      lengths[li]);
    /* The maximum (negative, positive, denormal, inf, NaN) at each position of 70 frames. */
    const float specials[] = {-0.99f, 0.99f, 1e-40f, -INFINITY, NAN};
    for (size_t s = 0; s < sizeof specials / sizeof specials[0]; s++)
        for (size_t pos = 0; pos < 70; pos++) {
            float y[70];
            for (size_t i = 0; i < 70; i++)
                y[i] = specials[s] == 1e-40f ? (i % 2 ? -0.0f : 1e-42f) : (float)(i % 7) * 0.01f;
            y[pos] = specials[s];
            for (size_t n = pos + 1; n <= 70; n += 23)
                ck_assert_msg(f(y, n) == objr__absmax_bits_c(y, n), "special %zu at %zu of %zu", s,
                              pos, n);
        }
    free(mem);
}
END_TEST

static Suite *finite_suite(void) {
    Suite *s = suite_create("finite");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, reference_is_the_largest_magnitude);
    suite_add_tcase(s, tc);
    TCase *ts = tcase_create("simd");
    tcase_add_loop_test(ts, isa_matches_reference, 0, 2);
    suite_add_tcase(s, ts);
    return s;
}

OBJR_TEST_MAIN(finite_suite)
