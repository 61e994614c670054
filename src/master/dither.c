/* SPDX-License-Identifier: BSD-3-Clause */
/* Word-length reduction to 16/24 bit with TPDF dither (Vanderkooy & Lipshitz: two summed
 * uniform variates of 1 LSB each make the error's first two moments signal-independent),
 * optionally with 2nd-order error-feedback noise shaping. */
#include "src/master/dither.h"

#include <math.h>
#include <string.h>

/* Error-feedback coefficients: noise transfer 1 - 1.5 z^-1 + 0.6 z^-2 (-20 dB at DC,
 * +9.8 dB at fs/2), which moves the noise out of the most sensitive band. */
#define SHAPE_C1 1.5
#define SHAPE_C2 (-0.6)
/* Bound on the fed-back error (LSB) so that clipping cannot make the loop run away. */
#define SHAPE_ERR_MAX 2.0

/* The xorshift64* generator (Marsaglia's xorshift, Vigna's output multiplier): the state
 * transition, which is linear over GF(2), and the output. */
#define XS_MUL 2685821657736338717ull

static uint64_t xs_step(uint64_t x) {
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    return x;
}

/* One xorshift64* draw. */
static uint64_t next64(objr__dither *d) {
    d->rng = xs_step(d->rng);
    return d->rng * XS_MUL;
}

/* d->jump: the images of the 64 unit states after OBJR__DITHER_CHAIN_DRAWS steps, combined
 * per byte of the state. */
static void jump_init(objr__dither *d) {
    uint64_t col[64];
    for (int b = 0; b < 64; b++) {
        uint64_t v = (uint64_t)1 << b;
        for (int k = 0; k < OBJR__DITHER_CHAIN_DRAWS; k++)
            v = xs_step(v);
        col[b] = v;
    }
    for (int i = 0; i < 8; i++) {
        d->jump[i][0] = 0;
        for (unsigned v = 1; v < 256; v++) {
            int low = 0;
            while (!(v >> low & 1u))
                low++;
            d->jump[i][v] = d->jump[i][v & (v - 1)] ^ col[8 * i + low];
        }
    }
}

/* The state OBJR__DITHER_CHAIN_DRAWS steps after @p x. */
static uint64_t jump(const objr__dither *d, uint64_t x) {
    uint64_t y = 0;
    for (int i = 0; i < 8; i++)
        y ^= d->jump[i][(x >> (8 * i)) & 0xffu];
    return y;
}

/* TPDF value of one output word: the difference of its two 32-bit halves (see
 * objr__dither_tpdf). */
static double tpdf_of(uint64_t r) {
    return ((double)(r >> 32) - (double)(r & 0xffffffffu)) * 0x1p-32;
}

/* The next OBJR__DITHER_CHAINS * OBJR__DITHER_CHAIN_DRAWS TPDF values, in sequence order:
 * the chains start at the states that many draws apart (by the jump map) and run side by
 * side, so that the serial dependency of the generator no longer sets the pace. */
static void tpdf_block(objr__dither *d, double *t) {
    enum { R = OBJR__DITHER_CHAIN_DRAWS };
    uint64_t s0 = d->rng, s1 = jump(d, s0), s2 = jump(d, s1), s3 = jump(d, s2);
    for (size_t i = 0; i < R; i++) {
        s0 = xs_step(s0);
        s1 = xs_step(s1);
        s2 = xs_step(s2);
        s3 = xs_step(s3);
        t[i] = tpdf_of(s0 * XS_MUL);
        t[R + i] = tpdf_of(s1 * XS_MUL);
        t[2 * R + i] = tpdf_of(s2 * XS_MUL);
        t[3 * R + i] = tpdf_of(s3 * XS_MUL);
    }
    d->rng = s3;
}

void objr__dither_init(objr__dither *d, unsigned n_channels, unsigned bits, objr_dither_kind kind,
                       uint64_t seed) {
    memset(d, 0, sizeof *d);
    d->rng = seed ? seed : 0x9e3779b97f4a7c15ull;
    d->n_channels = n_channels;
    d->bits = bits;
    d->kind = kind;
    objr__quantdsp_init(&d->dsp, objr__cpu_flags());
    jump_init(d);
}

/* Samples quantised per step of the unshaped path (their dither values drawn first). */
#define DITHER_STEP (OBJR__DITHER_CHAINS * OBJR__DITHER_CHAIN_DRAWS)

/* TPDF or no dither: the draws for a step of samples in their order, then the quantisation
 * kernel over the step. */
static size_t quantise_flat(objr__dither *d, const float *in, size_t n, int32_t *out,
                            float *quantised) {
    const objr__quant_word w = objr__quant_word_make(d->bits, d->keep_exact);
    double tv[DITHER_STEP];
    size_t clipped = 0;
    for (size_t k0 = 0; k0 < n; k0 += DITHER_STEP) {
        const size_t m = n - k0 < DITHER_STEP ? n - k0 : DITHER_STEP;
        if (d->kind != OBJR_DITHER_NONE && m == DITHER_STEP)
            tpdf_block(d, tv);
        else if (d->kind != OBJR_DITHER_NONE)
            for (size_t k = 0; k < m; k++)
                tv[k] = objr__dither_tpdf(d);
        clipped += d->dsp.quant_f32(in + k0, d->kind == OBJR_DITHER_NONE ? NULL : tv, m, &w,
                                    out + k0, quantised ? quantised + k0 : NULL);
    }
    return clipped;
}

void objr__dither_keep_exact(objr__dither *d, int on) {
    d->keep_exact = on && d->kind != OBJR_DITHER_SHAPED;
}

double objr__dither_tpdf(objr__dither *d) {
    /* The difference of two independent uniform variates on [0, 1) (the two 32-bit halves
     * of one draw) is triangular on (-1, 1): TPDF of 1 LSB peak, one draw per sample. */
    return tpdf_of(next64(d));
}

void objr__dither_quantise(objr__dither *d, const float *in, size_t n_frames, int32_t *out,
                           float *quantised, size_t *n_clipped) {
    if (d->kind != OBJR_DITHER_SHAPED) {
        size_t clipped = quantise_flat(d, in, n_frames * d->n_channels, out, quantised);
        if (n_clipped)
            *n_clipped += clipped;
        return;
    }
    const unsigned nc = d->n_channels;
    const double scale = ldexp(1.0, (int)d->bits - 1);
    const double lo = -scale, hi = scale - 1.0;
    const int shift = 32 - (int)d->bits;
    size_t clipped = 0;
    for (size_t i = 0; i < n_frames; i++) {
        for (unsigned c = 0; c < nc; c++) {
            double v = (double)in[i * nc + c] * scale;
            double u = v;
            if (d->kind == OBJR_DITHER_SHAPED)
                u = v + SHAPE_C1 * -d->err[c][0] + SHAPE_C2 * -d->err[c][1];
            double y;
            if (d->keep_exact && v == floor(v)) {
                y = v; /* nothing to requantise: no error to decorrelate */
            } else {
                double t = d->kind == OBJR_DITHER_NONE ? 0.0 : objr__dither_tpdf(d);
                y = floor(u + t + 0.5);
            }
            if (y < lo || y > hi) {
                y = y < lo ? lo : hi;
                clipped++;
            }
            if (d->kind == OBJR_DITHER_SHAPED) {
                double e = y - u;
                e = e > SHAPE_ERR_MAX ? SHAPE_ERR_MAX : e < -SHAPE_ERR_MAX ? -SHAPE_ERR_MAX : e;
                d->err[c][1] = d->err[c][0];
                d->err[c][0] = e;
            }
            int32_t q = (int32_t)y;
            out[i * nc + c] = (int32_t)((uint32_t)q << shift);
            if (quantised)
                quantised[i * nc + c] = (float)(y / scale);
        }
    }
    if (n_clipped)
        *n_clipped += clipped;
}
