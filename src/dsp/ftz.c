/* SPDX-License-Identifier: BSD-3-Clause */
/* Flush-to-zero control: portable no-op where no SIMD control register is handled (the x86
 * version lives in x86/ftz_sse2.c). */
#include "src/dsp/ftz.h"

#if !(defined(OBJR_HAVE_SIMD) && (defined(__x86_64__) || defined(__i386__)))
unsigned objr__ftz_enter(void) {
    return 0;
}

void objr__ftz_leave(unsigned saved) {
    (void)saved;
}
#else
/* Defined in x86/ftz_sse2.c; keep this translation unit non-empty (ISO C). */
typedef int objr__ftz_portable_unused;
#endif
