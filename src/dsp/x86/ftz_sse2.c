/* SPDX-License-Identifier: BSD-3-Clause */
/* Flush-to-zero / denormals-are-zero through MXCSR (SSE2 is baseline on x86-64). */
#include "src/dsp/ftz.h"

#include <xmmintrin.h>

#define MXCSR_FTZ 0x8000u
#define MXCSR_DAZ 0x0040u

unsigned objr__ftz_enter(void) {
    unsigned saved = _mm_getcsr();
    _mm_setcsr(saved | MXCSR_FTZ | MXCSR_DAZ);
    return saved;
}

void objr__ftz_leave(unsigned saved) {
    _mm_setcsr(saved);
}
