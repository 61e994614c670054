/* SPDX-License-Identifier: BSD-3-Clause */
/* Stream digest of 32-bit words: per lane, xor the word in and multiply by an odd constant
 * (a bijection of the lane, so any single changed word changes the lane's value for good);
 * four lanes so that the multiplies do not wait on each other. */
#include "src/core/digest.h"

#include <string.h>

#define DIGEST_MUL UINT64_C(0x9E3779B97F4A7C15) /* odd: multiplication mod 2^64 is invertible */
#define DIGEST_SEED UINT64_C(0x243F6A8885A308D3)

void objr__digest_init(objr__digest *d) {
    for (int k = 0; k < OBJR__DIGEST_LANES; k++)
        d->lane[k] = DIGEST_SEED + (uint64_t)k;
    d->n_words = 0;
}

static uint64_t step(uint64_t lane, uint32_t w) {
    return (lane ^ w) * DIGEST_MUL;
}

void objr__digest_add(objr__digest *d, const void *words, size_t n_words) {
    const unsigned char *p = words;
    size_t k = 0;
    /* Up to a lane boundary, then whole rounds of the four lanes. */
    for (; k < n_words && (d->n_words + k) % OBJR__DIGEST_LANES; k++) {
        uint32_t w;
        memcpy(&w, p + 4 * k, sizeof w);
        size_t l = (size_t)((d->n_words + k) % OBJR__DIGEST_LANES);
        d->lane[l] = step(d->lane[l], w);
    }
    uint64_t a = d->lane[0], b = d->lane[1], c = d->lane[2], e = d->lane[3];
    for (; k + OBJR__DIGEST_LANES <= n_words; k += OBJR__DIGEST_LANES) {
        uint32_t w[OBJR__DIGEST_LANES];
        memcpy(w, p + 4 * k, sizeof w);
        a = step(a, w[0]);
        b = step(b, w[1]);
        c = step(c, w[2]);
        e = step(e, w[3]);
    }
    d->lane[0] = a;
    d->lane[1] = b;
    d->lane[2] = c;
    d->lane[3] = e;
    for (size_t l = 0; k < n_words; k++, l++) {
        uint32_t w;
        memcpy(&w, p + 4 * k, sizeof w);
        d->lane[l] = step(d->lane[l], w);
    }
    d->n_words += n_words;
}

uint64_t objr__digest_value(const objr__digest *d) {
    uint64_t h = d->n_words * DIGEST_MUL;
    for (int k = 0; k < OBJR__DIGEST_LANES; k++) {
        h ^= d->lane[k] + (h << 6) + (h >> 2);
        h *= DIGEST_MUL;
        h ^= h >> 29;
    }
    return h;
}
