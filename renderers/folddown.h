/* SPDX-License-Identifier: BSD-3-Clause */
/* Fold-down internals shared with the translation checks (public API: objr_check.h). */
#ifndef OBJR_RENDERERS_FOLDDOWN_H
#define OBJR_RENDERERS_FOLDDOWN_H

#include <stddef.h>

#include "formats/dbmd_read.h"
#include "objrender/objr_check.h"
#include "objrender/objr_dbmd.h"
#include "src/core/core.h"

/** dB to linear; at or below OBJR_FOLDDOWN_OFF_DB gives 0. */
OBJR_HIDDEN double objr__folddown_gain(double db);
/** Blackman-windowed ideal Hilbert transformer, 2*half+1 taps (half odd gives zero taps at
 *  the ends' even offsets); taps[k + half] = h[k]. */
OBJR_HIDDEN void objr__folddown_hilbert_taps(size_t half, float *taps);

/** Apply @p d's 2.0 downmix levels and manual trims to @p fold (folddown_dbmd.c), a note per
 *  setting applied or not reproduced. */
OBJR_HIDDEN void objr__folddown_from_dbmd(const objr_dbmd *d, objr_folddown_config *fold,
                                          const objr__dbmd_notes *notes);

#endif /* OBJR_RENDERERS_FOLDDOWN_H */
