/* SPDX-License-Identifier: BSD-3-Clause */
/* K-weighting and sum of squares over interleaved channels (ITU-R BS.1770-4 §2.1): the
 * portable reference and run-time selection. */
#include "src/dsp/kweight.h"

void objr__kweight_sumsq_c(const float *x, size_t n_channels, size_t n_frames,
                           const objr__kw_coef *k, double *z, double *acc) {
    for (size_t c = 0; c < n_channels; c++)
        objr__kweight_column(x + c, n_channels, n_frames, k, z + c, n_channels, acc + c);
}

objr__kweight_fn objr__kweight_select(unsigned cpu_flags) {
    objr__kweight_fn f = objr__kweight_sumsq_c;
#if defined(OBJR_HAVE_SIMD) && (defined(__x86_64__) || defined(__i386__))
    if (cpu_flags & OBJR_CPU_AVX2)
        f = objr__kweight_sumsq_avx2;
#else
    (void)cpu_flags;
#endif
    return f;
}
