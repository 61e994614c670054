/* SPDX-License-Identifier: BSD-3-Clause */
/* Decorrelation filter design for the diffuse path (ITU-R BS.2127-1 §7.4): random-phase
 * all-pass FIRs from an MT19937 sequence, one per loudspeaker. */
#include "renderers/loudspeaker/decorrelate.h"

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

objr_status objr__decorrelate_design(const objr__layout *layout, size_t n_taps, double *filters) {
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

/* ---------------------------------------------------------------------------------------- */
/* Streaming FIR bank: uniformly partitioned overlap-save (UPOLS). Block k of B input samples
 * is transformed together with block k-1 (2B-point real FFT, X_k). The output of block k is
 * the second half of IFFT(X_k H_0 + T_k), with T_k = sum_{p>=1} X_{k-p} H_p, which depends on
 * finished blocks only and is computed once per block. A partly filled block is transformed
 * zero-padded: outputs before the fill point only depend on inputs before it, so each call can
 * return its samples at once (no latency). */

#include <fftw3.h>

#include "src/core/fftw_lock.h"
#include "src/dsp/finite.h"

typedef struct fir_chan {
    float *in;           /* 2B: previous block | current block (zero past fill) */
    fftwf_complex *H;    /* P x (B+1) filter partition spectra */
    fftwf_complex *fdl;  /* P x (B+1): fdl[p] = X_{k-p}; slot 0 is the current block */
    fftwf_complex *tail; /* B+1: T_k */
} fir_chan;

struct objr__fir_bank {
    size_t n_ch, B, P, fill, head;
    size_t stride; /* complex bins per stored spectrum, padded to keep 64-byte alignment
                    * (FFTW's new-array execute needs the planning alignment) */ /* head: fdl slot of the current block (ring) */
    fir_chan *ch;
    fftwf_plan fwd, inv;
    float *time;         /* 2B scratch */
    fftwf_complex *spec; /* B+1 scratch */
};

void objr__fir_bank_destroy(objr__fir_bank *b) {
    if (!b)
        return;
    if (b->ch) {
        for (size_t c = 0; c < b->n_ch; c++) {
            fftwf_free(b->ch[c].in);
            fftwf_free(b->ch[c].H);
            fftwf_free(b->ch[c].fdl);
            fftwf_free(b->ch[c].tail);
        }
    }
    objr__freep(&b->ch);
    objr__fftw_lock();
    if (b->fwd)
        fftwf_destroy_plan(b->fwd);
    if (b->inv)
        fftwf_destroy_plan(b->inv);
    objr__fftw_unlock();
    fftwf_free(b->time);
    fftwf_free(b->spec);
    objr__freep(&b);
}

void objr__fir_bank_reset(objr__fir_bank *b) {
    size_t nb = b->B + 1;
    for (size_t c = 0; c < b->n_ch; c++) {
        memset(b->ch[c].in, 0, 2 * b->B * sizeof(float));
        memset(b->ch[c].fdl, 0, b->P * b->stride * sizeof(fftwf_complex));
        memset(b->ch[c].tail, 0, nb * sizeof(fftwf_complex));
    }
    b->fill = 0;
    b->head = 0;
}

objr_status objr__fir_bank_create(const double *filters, size_t n_channels, size_t n_taps,
                                  size_t block_frames, objr__fir_bank **out) {
    if (!out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    size_t B = block_frames;
    if (!filters || n_channels == 0 || n_channels > 4096 || n_taps == 0 || n_taps > (1u << 24) ||
        B < 16 || B > 65536 || (B & (B - 1)) != 0)
        return OBJR_ERR_INVALID_ARG;
    objr__fir_bank *b = objr__calloc(1, sizeof *b);
    if (!b)
        return OBJR_ERR_NOMEM;
    b->n_ch = n_channels;
    b->B = B;
    b->P = (n_taps + B - 1) / B;
    size_t nb = B + 1;
    b->stride = (nb + 7) & ~(size_t)7;
    b->ch = objr__calloc(n_channels, sizeof *b->ch);
    b->time = fftwf_malloc(2 * B * sizeof(float));
    b->spec = fftwf_malloc(nb * sizeof(fftwf_complex));
    if (!b->ch || !b->time || !b->spec)
        goto nomem;
    for (size_t c = 0; c < n_channels; c++) {
        fir_chan *ch = &b->ch[c];
        ch->in = fftwf_malloc(2 * B * sizeof(float));
        ch->H = fftwf_malloc(b->P * b->stride * sizeof(fftwf_complex));
        ch->fdl = fftwf_malloc(b->P * b->stride * sizeof(fftwf_complex));
        ch->tail = fftwf_malloc(nb * sizeof(fftwf_complex));
        if (!ch->in || !ch->H || !ch->fdl || !ch->tail)
            goto nomem;
    }
    objr__fftw_lock();
    b->fwd = fftwf_plan_dft_r2c_1d((int)(2 * B), b->time, b->spec, FFTW_ESTIMATE);
    b->inv = fftwf_plan_dft_c2r_1d((int)(2 * B), b->spec, b->time, FFTW_ESTIMATE);
    objr__fftw_unlock();
    if (!b->fwd || !b->inv)
        goto nomem;
    /* H_p: taps [pB, (p+1)B) in the first half of a 2B frame, scaled by 1/(2B) so that the
     * unnormalised inverse FFT returns the convolution */
    const float scale = 1.0f / (float)(2 * B);
    for (size_t c = 0; c < n_channels; c++) {
        for (size_t p = 0; p < b->P; p++) {
            memset(b->time, 0, 2 * B * sizeof(float));
            for (size_t k = 0; k < B && p * B + k < n_taps; k++)
                b->time[k] = (float)filters[c * n_taps + p * B + k] * scale;
            fftwf_execute_dft_r2c(b->fwd, b->time, b->ch[c].H + p * b->stride);
        }
    }
    objr__fir_bank_reset(b);
    *out = b;
    return OBJR_OK;
nomem:
    objr__fir_bank_destroy(b);
    return OBJR_ERR_NOMEM;
}

/* Y += A * C over nb complex bins (interleaved re, im). */
static void cmac(fftwf_complex *yc, fftwf_complex *ac, fftwf_complex *cc, size_t nb) {
    float *restrict y = (float *)yc;
    const float *restrict a = (const float *)ac;
    const float *restrict c = (const float *)cc;
    for (size_t i = 0; i < nb; i++) {
        float re = a[2 * i] * c[2 * i] - a[2 * i + 1] * c[2 * i + 1];
        float im = a[2 * i] * c[2 * i + 1] + a[2 * i + 1] * c[2 * i];
        y[2 * i] += re;
        y[2 * i + 1] += im;
    }
}

void objr__fir_bank_process(objr__fir_bank *b, const float *const *in, float *const *out,
                            size_t n_frames) {
    const size_t B = b->B, nb = B + 1, P = b->P, st = b->stride;
    size_t done = 0;
    while (done < n_frames) {
        size_t take = B - b->fill;
        if (take > n_frames - done)
            take = n_frames - done;
        size_t f0 = b->fill, f1 = f0 + take;
        for (size_t c = 0; c < b->n_ch; c++) {
            fir_chan *ch = &b->ch[c];
            /* NaN/Inf become silence here: they would otherwise stay in the frequency-domain
             * delay line for the filter's length */
            if (objr__finite_all_f32(in[c] + done, take))
                memcpy(ch->in + B + f0, in[c] + done, take * sizeof(float));
            else
                (void)objr__finite_copy_f32(ch->in + B + f0, in[c] + done, take);
            /* X_k (partial: zero past f1, which the reset/shift guarantees) */
            fftwf_complex *xk = ch->fdl + b->head * st;
            fftwf_execute_dft_r2c(b->fwd, ch->in, xk);
            memcpy(b->spec, ch->tail, nb * sizeof(fftwf_complex));
            cmac(b->spec, xk, ch->H, nb);
            fftwf_execute_dft_c2r(b->inv, b->spec, b->time);
            memcpy(out[c] + done, b->time + B + f0, take * sizeof(float));
        }
        b->fill = f1;
        done += take;
        if (b->fill == B) {
            /* block complete: X_k stays in the FDL; prepare T_{k+1} and the next window */
            size_t next = (b->head + P - 1) % P; /* slot of X_{k+1}; holds X_{k+1-P} now */
            for (size_t c = 0; c < b->n_ch; c++) {
                fir_chan *ch = &b->ch[c];
                memset(ch->tail, 0, nb * sizeof(fftwf_complex));
                for (size_t p = 1; p < P; p++) {
                    size_t slot = (next + p) % P; /* X_{k+1-p} */
                    cmac(ch->tail, ch->fdl + slot * st, ch->H + p * st, nb);
                }
                memmove(ch->in, ch->in + B, B * sizeof(float));
                memset(ch->in + B, 0, B * sizeof(float));
            }
            b->head = next;
            b->fill = 0;
        }
    }
}
