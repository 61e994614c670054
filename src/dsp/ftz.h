/* SPDX-License-Identifier: BSD-3-Clause */
/* Flush-to-zero / denormals-are-zero around processing calls (STYLE.md §7): recursive
 * filters decaying into silence otherwise run into denormal slow paths. */
#ifndef OBJR_SRC_DSP_FTZ_H
#define OBJR_SRC_DSP_FTZ_H

#include "src/core/core.h"

/** Set FTZ/DAZ for this thread; returns the previous state for objr__ftz_leave(). */
OBJR_HIDDEN unsigned objr__ftz_enter(void);
/** Restore the state returned by objr__ftz_enter(). */
OBJR_HIDDEN void objr__ftz_leave(unsigned saved);

#endif /* OBJR_SRC_DSP_FTZ_H */
