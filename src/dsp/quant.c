/* SPDX-License-Identifier: BSD-3-Clause */
/* Quantisation kernels: the portable C reference (the specification of every SIMD variant),
 * run-time dispatch and the optional OBJR_CHECK_SIMD cross-check (STYLE.md §7). */
#include "src/dsp/quant.h"

#include <math.h>
#include <string.h>

objr__quant_word objr__quant_word_make(unsigned bits, int keep_exact) {
    objr__quant_word w;
    w.scale = ldexp(1.0, (int)bits - 1);
    w.inv = 1.0 / w.scale;
    w.lo = -w.scale;
    w.hi = w.scale - 1.0;
    w.shift = 32 - (int)bits;
    w.keep_exact = keep_exact;
    return w;
}

size_t objr__quant_f32_c(const float *x, const double *t, size_t n, const objr__quant_word *w,
                         int32_t *out, float *q) {
    size_t clipped = 0;
    for (size_t k = 0; k < n; k++) {
        const double v = (double)x[k] * w->scale;
        double y = floor(v + (t ? t[k] : 0.0) + 0.5);
        if (w->keep_exact && floor(v) == v)
            y = v;
        if (!(y <= w->hi)) {
            y = w->hi;
            clipped++;
        } else if (y < w->lo) {
            y = w->lo;
            clipped++;
        }
        out[k] = (int32_t)((uint32_t)(int32_t)y << w->shift);
        if (q)
            q[k] = (float)(y * w->inv);
    }
    return clipped;
}

#if defined(OBJR_CHECK_SIMD) && defined(OBJR__QUANT_HAVE_X86)
/* OBJR_CHECK_SIMD: every SIMD call is replayed by the reference into stack buffers (before
 * the variant runs: q may be x) and compared bit for bit. */
#define CHECK_CHUNK 256

static size_t quant_checked_avx2(const float *x, const double *t, size_t n,
                                 const objr__quant_word *w, int32_t *out, float *q) {
    size_t clipped = 0;
    int32_t ro[CHECK_CHUNK];
    float rq[CHECK_CHUNK];
    for (size_t s = 0; s < n; s += CHECK_CHUNK) {
        const size_t m = n - s < CHECK_CHUNK ? n - s : CHECK_CHUNK;
        const size_t ref = objr__quant_f32_c(x + s, t ? t + s : NULL, m, w, ro, rq);
        const size_t got =
            objr__quant_f32_avx2(x + s, t ? t + s : NULL, m, w, out + s, q ? q + s : NULL);
        OBJR_ASSERT(got == ref);
        OBJR_ASSERT(memcmp(ro, out + s, m * sizeof(int32_t)) == 0);
        OBJR_ASSERT(!q || memcmp(rq, q + s, m * sizeof(float)) == 0);
        clipped += got;
    }
    return clipped;
}
#endif

void objr__quantdsp_init(objr__quantdsp *d, unsigned cpu) {
    d->quant_f32 = objr__quant_f32_c;
    d->isa = 0;
#ifdef OBJR__QUANT_HAVE_X86
    if (cpu & OBJR_CPU_AVX2) {
#ifdef OBJR_CHECK_SIMD
        d->quant_f32 = quant_checked_avx2;
#else
        d->quant_f32 = objr__quant_f32_avx2;
#endif
        d->isa = OBJR_CPU_AVX2;
    }
#endif
    (void)cpu;
}
