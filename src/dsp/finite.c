/* SPDX-License-Identifier: BSD-3-Clause */
/* Non-finite sample scan (IEEE 754 binary32: exponent field all ones = Inf or NaN). */
#include "src/dsp/finite.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Chunks of this many samples are tested with integer operations (which vectorise, where
 * isfinite() in a loop that exits early does not); only a chunk that holds one is searched. */
#define SCAN_CHUNK 256
#define F32_EXP_MASK 0x7f800000u

size_t objr__find_nonfinite_f32(const float *x, size_t n) {
    for (size_t i = 0; i < n;) {
        size_t e = n - i < SCAN_CHUNK ? n : i + SCAN_CHUNK;
        uint32_t any = 0;
        for (size_t k = i; k < e; k++) {
            uint32_t u;
            memcpy(&u, &x[k], sizeof u);
            any |= (uint32_t)((u & F32_EXP_MASK) == F32_EXP_MASK);
        }
        if (any)
            for (size_t k = i; k < e; k++)
                if (!isfinite(x[k]))
                    return k;
        i = e;
    }
    return (size_t)-1;
}
