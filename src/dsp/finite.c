/* SPDX-License-Identifier: BSD-3-Clause */
/* Non-finite sample guards (IEEE 754-2008 §3.4: binary32 NaN and infinities have the biased
 * exponent field 0xff). */
#include "src/dsp/finite.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define EXP_MASK 0x7f800000u
/* objr__find_nonfinite_f32 tests chunks of this many samples with the branch-free test and
 * searches only a chunk that holds one. */
#define SCAN_CHUNK 256

/* The exponent field plus one exponent step carries into the sign bit exactly when the field is
 * all ones (0x7f800000 + 0x00800000 = 0x80000000; every smaller field stays below): AND, ADD and
 * OR only, which compilers vectorise with the baseline ISA (SSE2, NEON). */
int objr__finite_all_f32(const float *x, size_t n) {
    uint32_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &x[i], sizeof u); /* the bit pattern, without aliasing the float */
        acc |= (u & EXP_MASK) + 0x00800000u;
    }
    return !(acc & 0x80000000u);
}

size_t objr__finite_copy_f32(float *dst, const float *src, size_t n) {
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &src[i], sizeof u);
        int ok = (u & EXP_MASK) != EXP_MASK;
        bad += (size_t)!ok;
        dst[i] = ok ? src[i] : 0.0f;
    }
    return bad;
}

size_t objr__find_nonfinite_f32(const float *x, size_t n) {
    for (size_t i = 0; i < n; i += SCAN_CHUNK) {
        size_t m = n - i < SCAN_CHUNK ? n - i : SCAN_CHUNK;
        if (objr__finite_all_f32(x + i, m))
            continue;
        for (size_t k = i; k < i + m; k++)
            if (!isfinite(x[k]))
                return k;
    }
    return (size_t)-1;
}

uint32_t objr__absmax_bits_c(const float *x, size_t n) {
    return objr__absmax_bits(x, n);
}

objr__absmax_fn objr__absmax_select(unsigned cpu_flags) {
    objr__absmax_fn f = objr__absmax_bits_c;
#if defined(OBJR_HAVE_SIMD) && (defined(__x86_64__) || defined(__i386__))
    if (cpu_flags & OBJR_CPU_AVX2)
        f = objr__absmax_bits_avx2;
#else
    (void)cpu_flags;
#endif
    return f;
}
