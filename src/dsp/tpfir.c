/* SPDX-License-Identifier: BSD-3-Clause */
/* Polyphase interpolation kernel for the true-peak detector (ITU-R BS.1770-4 Annex 2 step 3):
 * portable C reference and run-time selection. */
#include "src/dsp/tpfir.h"

#include <math.h>

void objr__tpfir_peak_c(const float *x, const float *coef, unsigned ratio, unsigned taps,
                        float *acc, float *peak_io) {
    /* Loop order: branch, tap, frame. The frame loop has a constant trip count and no
     * reduction, so it vectorises without reassociating the sums. */
    for (unsigned p = 0; p < ratio; p++) {
        const float *c = coef + (size_t)p * taps;
        for (size_t n = 0; n < OBJR_TP_CHUNK; n++)
            acc[n] = c[0] * x[n];
        for (unsigned j = 1; j < taps; j++) {
            const float cj = c[j];
            const float *xj = x + j;
            for (size_t n = 0; n < OBJR_TP_CHUNK; n++)
                acc[n] += cj * xj[n];
        }
        for (size_t n = 0; n < OBJR_TP_CHUNK; n++) {
            float a = fabsf(acc[n]);
            peak_io[n] = a > peak_io[n] ? a : peak_io[n];
        }
    }
}

objr__tpfir_fn objr__tpfir_select(unsigned cpu_flags) {
    objr__tpfir_fn f = objr__tpfir_peak_c;
#if defined(OBJR_HAVE_SIMD) && (defined(__x86_64__) || defined(__i386__))
    if (cpu_flags & OBJR_CPU_AVX2)
        f = objr__tpfir_peak_avx2;
#else
    (void)cpu_flags;
#endif
    return f;
}
