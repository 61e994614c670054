/* SPDX-License-Identifier: BSD-3-Clause */
/* Stream digest of 32-bit words: sum over k of g((word_k XOR k * K2) * K1) mod 2^64, with
 * g(x) = x XOR (x >> 29). For a given position the term is a bijection of the word (K1 odd,
 * g invertible), so any single changed word changes the sum; the position key and g make
 * moved or swapped words count as changed. One multiply per word. */
#include "src/core/digest.h"

#include <string.h>

#define DIGEST_K1 UINT64_C(0x9E3779B97F4A7C15) /* odd: multiplication mod 2^64 is invertible */
#define DIGEST_K2 UINT64_C(0xD6E8FEB86659FD93)

void objr__digest_init(objr__digest *d, uint64_t first_word) {
    d->sum = 0;
    d->next = first_word;
    d->n_words = 0;
}

void objr__digest_add(objr__digest *d, const void *words, size_t n_words) {
    const unsigned char *p = words;
    uint64_t sum = d->sum, key = d->next * DIGEST_K2;
    for (size_t k = 0; k < n_words; k++, key += DIGEST_K2) {
        uint32_t w;
        memcpy(&w, p + 4 * k, sizeof w);
        const uint64_t x = ((uint64_t)w ^ key) * DIGEST_K1;
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
