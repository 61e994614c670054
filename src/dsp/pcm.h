/* SPDX-License-Identifier: BSD-3-Clause */
/* PCM sample conversion kernels: interleaved little-endian signed 24-bit frames (the BWF /
 * BW64 `data` chunk of EBU Tech 3285, ITU-R BS.2088) to planar float32, with run-time ISA
 * dispatch (STYLE.md §7). */
#ifndef OBJR_SRC_DSP_PCM_H
#define OBJR_SRC_DSP_PCM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "src/core/core.h"

/** Readable bytes every s24 kernel may touch before @p in (each sample is read with one
 *  32-bit load that starts one byte early; the vector variants start up to 4 bytes early). */
#define OBJR__PCM_S24_HEADROOM 4

/**
 * Deinterleave 24-bit PCM, the specification (every variant computes this):
 *
 *     for f in [0, n_frames), c in [0, n_channels):
 *         b = in + 3 * (f * n_channels + c)                 (little-endian, two's complement)
 *         s = (int32_t)((b[0] << 8) | (b[1] << 16) | (b[2] << 24))
 *         out[c][at + f] = (float)s * 2^-31
 *
 * i.e. full scale is [-1, 1 - 2^-23]. The conversion is exact (24 significant bits fit a
 * float), so every ISA is bit-exact with `_c`. @p in must be preceded by
 * OBJR__PCM_S24_HEADROOM readable bytes; nothing past the last sample is read. Outputs must
 * not overlap @p in or each other. Any alignment, any n_frames and n_channels (0 included).
 */
typedef void (*objr__pcm_s24_to_f32_fn)(const uint8_t *in, size_t n_channels, size_t n_frames,
                                        float *const *out, size_t at);

/** One channel of the reference: @p n samples at @p p, @p stride bytes apart, to o[0..n).
 *  Shared by `_c` and the scalar edges of the vector variants. */
static inline void objr__pcm_s24_column(const uint8_t *p, size_t stride, float *o, size_t n) {
    /* Place the 24 bits at the top of an int32 and scale by 2^-31: exact, no shift needed. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* One unaligned 32-bit load of the byte before the sample and its 3 bytes, low byte
     * masked off (the headroom makes p - 1 readable). */
    for (size_t i = 0; i < n; i++, p += stride) {
        uint32_t u;
        memcpy(&u, p - 1, sizeof u);
        o[i] = (float)(int32_t)(u & 0xFFFFFF00u) * (1.0f / 2147483648.0f);
    }
#else
    for (size_t i = 0; i < n; i++, p += stride) {
        uint32_t u = ((uint32_t)p[0] << 8) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 24);
        o[i] = (float)(int32_t)u * (1.0f / 2147483648.0f);
    }
#endif
}

/* No SSE2 variant: without a byte shuffle (SSSE3) the 4x4 shift-and-mask version measured
 * slower than the scalar reference, which the compiler already schedules well. */

/** Function-pointer table chosen once at open time (no per-call feature tests). */
typedef struct objr__pcmdsp {
    objr__pcm_s24_to_f32_fn s24_to_f32;
    unsigned isa; /**< the objr_cpu_feature bit of the widest ISA chosen, 0 = C reference */
} objr__pcmdsp;

/** Fill @p d with the `_c` kernels, then override in ascending ISA order as @p cpu allows. */
OBJR_HIDDEN void objr__pcmdsp_init(objr__pcmdsp *d, unsigned cpu);

/* Reference kernel (the specification). */
OBJR_HIDDEN void objr__pcm_s24_to_f32_c(const uint8_t *in, size_t n_channels, size_t n_frames,
                                        float *const *out, size_t at);

#if defined(OBJR_HAVE_SIMD) && (defined(__x86_64__) || defined(__i386__))
OBJR_HIDDEN void objr__pcm_s24_to_f32_avx2(const uint8_t *in, size_t n_channels, size_t n_frames,
                                           float *const *out, size_t at);
#define OBJR__PCM_HAVE_X86 1
#endif

#endif /* OBJR_SRC_DSP_PCM_H */
