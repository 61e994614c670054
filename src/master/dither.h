/* SPDX-License-Identifier: BSD-3-Clause */
/* Word-length reduction with TPDF dither (optionally noise-shaped): internal API. */
#ifndef OBJR_SRC_MASTER_DITHER_H
#define OBJR_SRC_MASTER_DITHER_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_master.h"
#include "src/core/core.h"
#include "src/dsp/quant.h"
#include "src/master/loudness.h"

/* Draws per chain of the parallel generator (dither.c), and chains. */
#define OBJR__DITHER_CHAIN_DRAWS 256
#define OBJR__DITHER_CHAINS 4

typedef struct objr__dither {
    uint64_t rng;
    /* The xorshift64 state transition raised to the OBJR__DITHER_CHAIN_DRAWS-th power, as
     * one table per state byte (a GF(2)-linear map: XOR of the bytes' images), so that
     * OBJR__DITHER_CHAINS stretches of the one sequence are generated side by side. */
    uint64_t jump[8][256];
    unsigned n_channels, bits;
    objr_dither_kind kind;
    double err[OBJR_LOUDNESS_MAX_CHANNELS][2]; /* shaped: last two quantisation errors (LSB) */
    int keep_exact; /* samples already on the output grid pass unchanged (no dither) */
    objr__quantdsp dsp;
} objr__dither;

/** Prepare for @p bits (16 or 24) output; seed 0 picks a fixed default. */
OBJR_HIDDEN void objr__dither_init(objr__dither *d, unsigned n_channels, unsigned bits,
                                   objr_dither_kind kind, uint64_t seed);
/**
 * Let samples that are already exact output words through untouched (TPDF/none only): for a
 * unity-gain, same-rate run from integer input of at most the output's word length, the parts
 * the limiter leaves alone stay bit-exact; only samples it changed are dithered.
 */
OBJR_HIDDEN void objr__dither_keep_exact(objr__dither *d, int on);
/** One TPDF value in LSB: the sum of two independent uniforms, in (-1, 1), variance 1/6. */
OBJR_HIDDEN double objr__dither_tpdf(objr__dither *d);
/**
 * Quantise interleaved float frames (full scale ±1) to integers of d->bits, written
 * left-justified in int32 (value << (32 - bits)), interleaved. Values beyond full scale are
 * clamped and counted in *n_clipped (may be NULL). @p quantised (may be NULL, may be @p in)
 * receives the quantised values as interleaved float (integer / 2^(bits-1)) for metering.
 * The dither draws follow the samples' order (frame by frame, channel by channel, one per
 * sample): a stream cut into blocks anywhere gets the same dither.
 */
OBJR_HIDDEN void objr__dither_quantise(objr__dither *d, const float *in, size_t n_frames,
                                       int32_t *out, float *quantised, size_t *n_clipped);

#endif /* OBJR_SRC_MASTER_DITHER_H */
