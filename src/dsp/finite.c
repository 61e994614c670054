/* SPDX-License-Identifier: BSD-3-Clause */
/* Non-finite sample guards (IEEE 754-2008 §3.4: binary32 NaN and infinities have the biased
 * exponent field 0xff). */
#include "src/dsp/finite.h"

#include <stdint.h>
#include <string.h>

#define EXP_MASK 0x7f800000u

int objr__finite_all_f32(const float *x, size_t n) {
    uint32_t top = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &x[i], sizeof u); /* the bit pattern, without aliasing the float */
        u &= EXP_MASK;
        top = u > top ? u : top;
    }
    return top != EXP_MASK;
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
