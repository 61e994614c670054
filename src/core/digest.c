/* SPDX-License-Identifier: BSD-3-Clause */
/* Stream digest of 32-bit words: sum over k of g((word_k XOR key_k) * K1) mod 2^64, with
 * key_k = k * K2 mod 2^32, K1 a 32-bit odd constant (a 32x32 -> 64-bit product) and
 * g(x) = x XOR (x >> 29). For a given position the term is a bijection of the word (g is
 * invertible), so any single changed word changes the sum; the position key and g make
 * moved or swapped words count as changed. */
#include "src/core/digest.h"

#include <string.h>

#define DIGEST_K1 UINT32_C(0x9E3779B9) /* odd */
#define DIGEST_K2 UINT32_C(0x6659FD93)

void objr__digest_init(objr__digest *d, uint64_t first_word) {
    d->sum = 0;
    d->next = first_word;
    d->n_words = 0;
}

void objr__digest_add(objr__digest *d, const void *words, size_t n_words) {
    const unsigned char *p = words;
    uint64_t sum = d->sum;
    /* The position key in 32 bits: the product of two 32-bit values is a bijection of the
     * word and vectorises (one 32x32->64 multiply per word). */
    const uint32_t key0 = (uint32_t)(d->next * DIGEST_K2);
    for (size_t k = 0; k < n_words; k++) {
        uint32_t w;
        memcpy(&w, p + 4 * k, sizeof w);
        const uint32_t key = key0 + (uint32_t)k * (uint32_t)DIGEST_K2;
        const uint64_t x = (uint64_t)(w ^ key) * (uint32_t)DIGEST_K1;
        sum += x ^ (x >> 29); /* not linear in + : swapped words do not cancel */
    }
    d->sum = sum;
    d->next += n_words;
    d->n_words += n_words;
}

int objr__digest_append(objr__digest *d, const objr__digest *part) {
    if (part->next - part->n_words != d->next)
        return 0;
    d->sum += part->sum;
    d->next = part->next;
    d->n_words += part->n_words;
    return 1;
}
