/* SPDX-License-Identifier: BSD-3-Clause */
/* Decorrelation filter design for the diffuse path (ITU-R BS.2127-1 §7.4): random-phase
 * all-pass FIRs from an MT19937 sequence, one per loudspeaker. */
#include "renderers/decorrelate.h"

#include <math.h>
#include <string.h>

/* MT19937 (Matsumoto & Nishimura 1998), 32-bit output, seeded by init_genrand: BS.2127 (via its
 * reference implementation) specifies the raw 32-bit outputs of this generator. */
#define MT_N 624
#define MT_M 397

typedef struct mt19937 {
    uint32_t mt[MT_N];
    int mti;
} mt19937;

static void mt_seed(mt19937 *m, uint32_t seed) {
    m->mt[0] = seed;
    for (int i = 1; i < MT_N; i++)
        m->mt[i] = 1812433253u * (m->mt[i - 1] ^ (m->mt[i - 1] >> 30)) + (uint32_t)i;
    m->mti = MT_N;
}

static uint32_t mt_next(mt19937 *m) {
    static const uint32_t mag01[2] = {0u, 0x9908b0dfu};
    if (m->mti >= MT_N) {
        int k;
        uint32_t y;
        for (k = 0; k < MT_N - MT_M; k++) {
            y = (m->mt[k] & 0x80000000u) | (m->mt[k + 1] & 0x7fffffffu);
            m->mt[k] = m->mt[k + MT_M] ^ (y >> 1) ^ mag01[y & 1u];
        }
        for (; k < MT_N - 1; k++) {
            y = (m->mt[k] & 0x80000000u) | (m->mt[k + 1] & 0x7fffffffu);
            m->mt[k] = m->mt[k + (MT_M - MT_N)] ^ (y >> 1) ^ mag01[y & 1u];
        }
        y = (m->mt[MT_N - 1] & 0x80000000u) | (m->mt[0] & 0x7fffffffu);
        m->mt[MT_N - 1] = m->mt[MT_M - 1] ^ (y >> 1) ^ mag01[y & 1u];
        m->mti = 0;
    }
    uint32_t y = m->mt[m->mti++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

objr_status objr__decorrelate_design_one(uint32_t seed, size_t n_taps, double *h) {
    if (!h || n_taps < 4 || n_taps % 2 != 0 || n_taps > (1u << 20))
        return OBJR_ERR_INVALID_ARG;
    size_t half = n_taps / 2;
    mt19937 m;
    mt_seed(&m, seed);
    /* h[n] = (1/N) (1 + (-1)^n + 2 sum_{k=1}^{N/2-1} cos(2 pi k n / N + phi_k)), i.e. the
     * inverse real DFT of exp(i phi_k) with phi_0 = phi_{N/2} = 0. Evaluated directly (N^2/2
     * multiply-adds, once per layout) with the twiddles reduced modulo N for accuracy. */
    double cphi_buf[1024], sphi_buf[1024];
    double *cphi = cphi_buf, *sphi = sphi_buf;
    double *heap = NULL;
    if (half > 1024) {
        heap = objr__malloc(2 * half * sizeof(double));
        if (!heap)
            return OBJR_ERR_NOMEM;
        cphi = heap;
        sphi = heap + half;
    }
    for (size_t k = 1; k < half; k++) {
        double phi = 2.0 * OBJR_PI * ((double)mt_next(&m) / 4294967296.0);
        cphi[k] = cos(phi);
        sphi[k] = sin(phi);
    }
    for (size_t n = 0; n < n_taps; n++) {
        double acc = 1.0 + ((n & 1u) ? -1.0 : 1.0);
        for (size_t k = 1; k < half; k++) {
            size_t r = (k * n) % n_taps;
            double a = 2.0 * OBJR_PI * (double)r / (double)n_taps;
            /* cos(a + phi) */
            acc += 2.0 * (cos(a) * cphi[k] - sin(a) * sphi[k]);
        }
        h[n] = acc / (double)n_taps;
    }
    objr__freep(&heap);
    return OBJR_OK;
}

objr_status objr__decorrelate_design(const objr__layout *layout, size_t n_taps,
                                     double *filters) {
    if (!layout || !filters || layout->n_speakers > OBJR__MAX_SPEAKERS)
        return OBJR_ERR_INVALID_ARG;
    for (size_t i = 0; i < layout->n_speakers; i++) {
        uint32_t seed = 0;
        for (size_t j = 0; j < layout->n_speakers; j++)
            if (strcmp(layout->speakers[j].label, layout->speakers[i].label) < 0)
                seed++;
        objr_status st = objr__decorrelate_design_one(seed, n_taps, filters + i * n_taps);
        if (st != OBJR_OK)
            return st;
    }
    return OBJR_OK;
}

size_t objr__decorrelate_delay(size_t n_taps) {
    return n_taps ? (n_taps - 1) / 2 : 0;
}
