/* SPDX-License-Identifier: BSD-3-Clause */
/* Finding non-finite samples (NaN, +-Inf; IEEE 754 binary32 with an all-ones exponent) in a
 * float buffer: the one scan that the mix reader (input intake) and the mastering meters use. */
#ifndef OBJR_SRC_DSP_FINITE_H
#define OBJR_SRC_DSP_FINITE_H

#include <stddef.h>

#include "src/core/core.h"

/** Index of the first non-finite value in x[0..n), or (size_t)-1 when all are finite. */
OBJR_HIDDEN size_t objr__find_nonfinite_f32(const float *x, size_t n);

#endif /* OBJR_SRC_DSP_FINITE_H */
