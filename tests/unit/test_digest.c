/* SPDX-License-Identifier: BSD-3-Clause */
/* Stream digest (src/core/digest.h): the same value however the words are cut into calls or
 * split into parts digested apart, and a different one when any single word changes, a word
 * is added, or two are swapped. */
#include "common/test_common.h"

#include <stdlib.h>
#include <string.h>

#include "src/core/digest.h"

enum { N = 4099 };

/* The digest as one number (sum and count) for comparisons. */
static uint64_t value(const objr__digest *d) {
    return d->sum ^ (d->n_words * 0x100000001ull);
}

static uint64_t whole(const uint32_t *w, size_t n) {
    objr__digest d;
    objr__digest_init(&d, 0);
    objr__digest_add(&d, w, n);
    return value(&d);
}

START_TEST(same_for_any_cut) {
    uint32_t *w = malloc(N * sizeof *w);
    ck_assert_ptr_nonnull(w);
    objr_test_rng r;
    objr_test_rng_init(&r);
    for (size_t k = 0; k < N; k++)
        w[k] = (uint32_t)(objr_test_rng_uniform(&r) * 4294967296.0);
    const uint64_t ref = whole(w, N);
    for (size_t first = 1; first < 9; first++) {
        objr__digest d;
        objr__digest_init(&d, 0);
        size_t k = 0;
        for (size_t step = first; k < N; k += step, step = step * 5 % 13 + 1)
            objr__digest_add(&d, w + k, N - k < step ? N - k : step);
        ck_assert_uint_eq(d.n_words, N);
        ck_assert(value(&d) == ref);
        /* Two parts digested apart, then joined; a part that does not follow is refused. */
        const size_t cut = first * 409;
        objr__digest a, b;
        objr__digest_init(&a, 0);
        objr__digest_init(&b, cut);
        objr__digest_add(&b, w + cut, N - cut);
        objr__digest_add(&a, w, cut - 1);
        ck_assert(!objr__digest_append(&a, &b));
        objr__digest_add(&a, w + cut - 1, 1);
        ck_assert(objr__digest_append(&a, &b));
        ck_assert(value(&a) == ref);
    }
    /* Unaligned words read the same. */
    unsigned char *b = malloc(N * sizeof *w + 1);
    ck_assert_ptr_nonnull(b);
    memcpy(b + 1, w, N * sizeof *w);
    objr__digest d;
    objr__digest_init(&d, 0);
    objr__digest_add(&d, b + 1, N);
    ck_assert(value(&d) == ref);
    free(b);
    free(w);
}
END_TEST

START_TEST(changes_are_seen) {
    uint32_t *w = calloc(N + 1, sizeof *w);
    ck_assert_ptr_nonnull(w);
    const uint64_t ref = whole(w, N);
    for (size_t k = 0; k < N; k += 97) {
        for (int bit = 0; bit < 32; bit += 7) {
            w[k] ^= 1u << bit;
            ck_assert_msg(whole(w, N) != ref, "word %zu bit %d", k, bit);
            w[k] ^= 1u << bit;
        }
    }
    ck_assert(whole(w, N + 1) != ref); /* one more (zero) word */
    w[10] = 1;
    w[14] = 2;
    const uint64_t a = whole(w, N);
    w[10] = 2;
    w[14] = 1; /* swapped */
    ck_assert(whole(w, N) != a);
    free(w);
}
END_TEST

static Suite *digest_suite(void) {
    Suite *s = suite_create("digest");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, same_for_any_cut);
    tcase_add_test(tc, changes_are_seen);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(digest_suite)
