/* SPDX-License-Identifier: BSD-3-Clause */
/* Non-finite sample guards for the renderers' inputs: a whole-block finiteness test cheap
 * enough to run on every block (IEEE 754 binary32: a value is NaN or infinite exactly when its
 * exponent field is all ones), and a copy that replaces NaN and infinities with silence, so
 * that recursive state (reverbs, IIR filters, overlap-save histories) can never be poisoned. */
#ifndef OBJR_SRC_DSP_FINITE_H
#define OBJR_SRC_DSP_FINITE_H

#include <stddef.h>

#include "src/core/core.h"

/** 1 when every x[i], i < n, is finite (n = 0 included), else 0. Branch-free over the block
 *  (integer AND, ADD and OR over the bit patterns, which compilers vectorise). */
OBJR_HIDDEN int objr__finite_all_f32(const float *x, size_t n);

/** dst[i] = src[i] when finite, else 0.0f; @p dst may equal @p src. Returns the number of
 *  samples replaced. */
OBJR_HIDDEN size_t objr__finite_copy_f32(float *dst, const float *src, size_t n);

#endif /* OBJR_SRC_DSP_FINITE_H */
