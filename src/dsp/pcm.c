/* SPDX-License-Identifier: BSD-3-Clause */
/* PCM conversion kernels: the portable C reference (the specification of every SIMD variant),
 * run-time dispatch and the optional OBJR_CHECK_SIMD cross-check (STYLE.md §7). */
#include "src/dsp/pcm.h"

#include <string.h>

void objr__pcm_s24_to_f32_c(const uint8_t *in, size_t n_channels, size_t n_frames,
                            float *const *out, size_t at) {
    const size_t stride = 3 * n_channels;
    for (size_t c = 0; c < n_channels; c++)
        objr__pcm_s24_column(in + 3 * c, stride, out[c] + at, n_frames);
}

#if defined(OBJR_CHECK_SIMD) && defined(OBJR__PCM_HAVE_X86)
/* OBJR_CHECK_SIMD: every SIMD call is replayed by the reference, one channel at a time into a
 * stack buffer, and compared bit for bit. */
#define CHECK_CHUNK 256

static void check_s24(objr__pcm_s24_to_f32_fn simd, const uint8_t *in, size_t n_channels,
                      size_t n_frames, float *const *out, size_t at) {
    simd(in, n_channels, n_frames, out, at);
    const size_t stride = 3 * n_channels;
    for (size_t c = 0; c < n_channels; c++) {
        for (size_t s = 0; s < n_frames; s += CHECK_CHUNK) {
            size_t m = n_frames - s < CHECK_CHUNK ? n_frames - s : CHECK_CHUNK;
            float ref[CHECK_CHUNK];
            objr__pcm_s24_column(in + s * stride + 3 * c, stride, ref, m);
            OBJR_ASSERT(memcmp(ref, out[c] + at + s, m * sizeof(float)) == 0);
        }
    }
}

static void s24_checked_avx2(const uint8_t *in, size_t n_channels, size_t n_frames,
                             float *const *out, size_t at) {
    check_s24(objr__pcm_s24_to_f32_avx2, in, n_channels, n_frames, out, at);
}
#define PICK(isa) s24_checked_##isa
#else
#define PICK(isa) objr__pcm_s24_to_f32_##isa
#endif

void objr__pcmdsp_init(objr__pcmdsp *d, unsigned cpu) {
    d->s24_to_f32 = objr__pcm_s24_to_f32_c;
    d->isa = 0;
#ifdef OBJR__PCM_HAVE_X86
    if (cpu & OBJR_CPU_AVX2) {
        d->s24_to_f32 = PICK(avx2);
        d->isa = OBJR_CPU_AVX2;
    }
#endif
    (void)cpu;
}
