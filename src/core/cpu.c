/* SPDX-License-Identifier: BSD-3-Clause */
/* Run-time CPU feature detection (the only place that asks the CPU; STYLE.md §7):
 * x86 CPUID with the OSXSAVE/XGETBV check before AVX2+FMA; NEON is baseline on aarch64. */
#include "src/core/core.h"

#include <stdlib.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static unsigned detect(void) {
    unsigned a, b, c, d, flags = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return 0;
    if (d & bit_SSE2)
        flags |= OBJR_CPU_SSE2;
    int has_fma = (c & bit_FMA) != 0;
    int has_osxsave = (c & bit_OSXSAVE) != 0;
    int has_avx = (c & bit_AVX) != 0;
    if (has_osxsave && has_avx && has_fma) {
        unsigned xlo, xhi;
        __asm__ volatile("xgetbv" : "=a"(xlo), "=d"(xhi) : "c"(0));
        (void)xhi;
        /* XMM (bit 1) and YMM (bit 2) state must both be enabled by the OS. */
        if ((xlo & 0x6) == 0x6 && __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_AVX2))
            flags |= OBJR_CPU_AVX2;
    }
    return flags;
}
#elif defined(__aarch64__)
static unsigned detect(void) {
    return OBJR_CPU_NEON;
}
#else
static unsigned detect(void) {
    return 0;
}
#endif

/* Process-wide configuration set once at start-up (documented as not thread-safe); the
 * detected flags themselves are a pure function of the CPU. */
static unsigned user_mask = ~0u;
static int mask_from_env_done;

static unsigned env_mask(void) {
    const char *s = getenv("OBJR_CPU_MASK");
    if (!s || !*s)
        return ~0u;
    char *end;
    unsigned long v = strtoul(s, &end, 0);
    return *end ? ~0u : (unsigned)v;
}

void objr_set_cpu_mask(unsigned mask) {
    user_mask = mask;
    mask_from_env_done = 1;
}

unsigned objr__cpu_flags(void) {
    if (!mask_from_env_done) {
        user_mask = env_mask();
        mask_from_env_done = 1;
    }
#ifndef OBJR_HAVE_SIMD
    (void)detect; /* the reference-only build never asks the CPU */
    return 0;
#else
    return detect() & user_mask;
#endif
}

unsigned objr_cpu_features(void) {
    return objr__cpu_flags();
}
