/* SPDX-License-Identifier: BSD-3-Clause */
/* One process-wide lock around FFTW planning and plan destruction: FFTW documents only its
 * execute functions as thread-safe (STYLE.md §5), and every module plans through this lock so
 * that renderers, binaural convolvers and analysers may be created on several threads. */
#ifndef OBJR_SRC_CORE_FFTW_LOCK_H
#define OBJR_SRC_CORE_FFTW_LOCK_H

#include "src/core/core.h"

/** Take the FFTW planner lock (blocks). Never held across anything but planner calls. */
OBJR_HIDDEN void objr__fftw_lock(void);
/** Release the FFTW planner lock. */
OBJR_HIDDEN void objr__fftw_unlock(void);

#endif /* OBJR_SRC_CORE_FFTW_LOCK_H */
