/* SPDX-License-Identifier: BSD-3-Clause */
/* Flush-to-zero / denormals-are-zero around processing calls (STYLE.md §7), through the
 * control register directly (MXCSR on x86, FPCR on aarch64) so that it also works in the
 * reference-only build (-DOBJR_SIMD=OFF); a portable no-op elsewhere. */
#include "src/dsp/ftz.h"

#if defined(__GNUC__) && (defined(__x86_64__) || (defined(__i386__) && defined(__SSE2__)))
#define MXCSR_FTZ 0x8000u
#define MXCSR_DAZ 0x0040u
unsigned objr__ftz_enter(void) {
    unsigned old;
    __asm__ volatile("stmxcsr %0" : "=m"(old));
    unsigned neu = old | MXCSR_FTZ | MXCSR_DAZ;
    __asm__ volatile("ldmxcsr %0" : : "m"(neu));
    return old;
}
void objr__ftz_leave(unsigned state) {
    __asm__ volatile("ldmxcsr %0" : : "m"(state));
}
#elif defined(__GNUC__) && defined(__aarch64__)
#define FPCR_FZ (1ull << 24)
unsigned objr__ftz_enter(void) {
    unsigned long long old;
    __asm__ volatile("mrs %0, fpcr" : "=r"(old));
    unsigned long long neu = old | FPCR_FZ;
    __asm__ volatile("msr fpcr, %0" : : "r"(neu));
    return (unsigned)old;
}
void objr__ftz_leave(unsigned state) {
    unsigned long long v = state;
    __asm__ volatile("msr fpcr, %0" : : "r"(v));
}
#else
unsigned objr__ftz_enter(void) {
    return 0;
}
void objr__ftz_leave(unsigned state) {
    (void)state;
}
#endif
