/* SPDX-License-Identifier: BSD-3-Clause */
/* AVX2 24-bit PCM -> planar float32 (src/dsp/pcm.h), bit-exact with `_c`: 8 channels x 8
 * frames per step. Each frame's 24 bytes come in as two 16-byte loads (one per 128-bit lane,
 * four samples in the top 12 bytes of each), one byte shuffle puts every sample in the top 24
 * bits of an int32, then convert, scale by 2^-31 (exact) and transpose 8x8 so that each
 * channel gets 8 consecutive frames with one store. Channel and frame edges go through the
 * scalar reference column. */
#include "src/dsp/pcm.h"

#include <immintrin.h>

static inline __m256 load_frame(const uint8_t *q, __m256i shuf, __m256 scale) {
    /* Low lane: bytes q-4 .. q+11 (channels 0-3 at 4..15); high lane: q+8 .. q+23 (4-7). */
    __m256i v = _mm256_inserti128_si256(
        _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)(q - 4))),
        _mm_loadu_si128((const __m128i *)(const void *)(q + 8)), 1);
    return _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_shuffle_epi8(v, shuf)), scale);
}

#define ALIAS_MASK ((uintptr_t)4095)

void objr__pcm_s24_to_f32_avx2(const uint8_t *in, size_t n_channels, size_t n_frames,
                               float *const *out, size_t at) {
    const size_t stride = 3 * n_channels;
    /* Per lane: int32 k = {0, byte 4+3k, 5+3k, 6+3k} (0x80 writes a zero byte). */
    const __m256i shuf = _mm256_setr_epi8(
        (char)0x80, 4, 5, 6, (char)0x80, 7, 8, 9, (char)0x80, 10, 11, 12, (char)0x80, 13, 14, 15,
        (char)0x80, 4, 5, 6, (char)0x80, 7, 8, 9, (char)0x80, 10, 11, 12, (char)0x80, 13, 14, 15);
    const __m256 scale = _mm256_set1_ps(1.0f / 2147483648.0f);
    size_t c = 0;
    for (; c + 8 <= n_channels; c += 8) {
        const uint8_t *p = in + 3 * c;
        float *o[8];
        for (int k = 0; k < 8; k++)
            o[k] = out[c + (size_t)k] + at;
        size_t f = 0;
        /* Channels a multiple of 4 KiB apart (float buf[n][1024]) put all 8 stores of a step
         * in one cache set and alias the loads: the scalar columns are faster there. */
        int aliased = 0;
        for (int k = 0; k < 7; k++)
            aliased |= (((uintptr_t)o[k + 1] - (uintptr_t)o[k]) & ALIAS_MASK) == 0;
        for (; !aliased && f + 8 <= n_frames; f += 8) {
            const uint8_t *q = p + f * stride;
            __m256 r0 = load_frame(q, shuf, scale);
            __m256 r1 = load_frame(q + stride, shuf, scale);
            __m256 r2 = load_frame(q + 2 * stride, shuf, scale);
            __m256 r3 = load_frame(q + 3 * stride, shuf, scale);
            __m256 r4 = load_frame(q + 4 * stride, shuf, scale);
            __m256 r5 = load_frame(q + 5 * stride, shuf, scale);
            __m256 r6 = load_frame(q + 6 * stride, shuf, scale);
            __m256 r7 = load_frame(q + 7 * stride, shuf, scale);
            /* 8x8 transpose: rows are frames, columns channels. */
            __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
            __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
            __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
            __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
            __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
            __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
            __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
            __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
            _mm256_storeu_ps(o[0] + f, _mm256_permute2f128_ps(s0, s4, 0x20));
            _mm256_storeu_ps(o[1] + f, _mm256_permute2f128_ps(s1, s5, 0x20));
            _mm256_storeu_ps(o[2] + f, _mm256_permute2f128_ps(s2, s6, 0x20));
            _mm256_storeu_ps(o[3] + f, _mm256_permute2f128_ps(s3, s7, 0x20));
            _mm256_storeu_ps(o[4] + f, _mm256_permute2f128_ps(s0, s4, 0x31));
            _mm256_storeu_ps(o[5] + f, _mm256_permute2f128_ps(s1, s5, 0x31));
            _mm256_storeu_ps(o[6] + f, _mm256_permute2f128_ps(s2, s6, 0x31));
            _mm256_storeu_ps(o[7] + f, _mm256_permute2f128_ps(s3, s7, 0x31));
        }
        if (f < n_frames)
            for (int k = 0; k < 8; k++)
                objr__pcm_s24_column(p + f * stride + 3 * (size_t)k, stride, o[k] + f,
                                     n_frames - f);
    }
    for (; c < n_channels; c++)
        objr__pcm_s24_column(in + 3 * c, stride, out[c] + at, n_frames);
}
