/* SPDX-License-Identifier: BSD-3-Clause */
/* Mastering pipeline internals shared with tools/benchmarks (file helpers). */
#ifndef OBJR_SRC_MASTER_MASTER_H
#define OBJR_SRC_MASTER_MASTER_H

#include <stdint.h>

#include "objrender/objr_master.h"
#include "src/core/core.h"

/** Channel mask equivalent of a libsndfile channel map (0 when a channel has no mask bit). */
OBJR_HIDDEN uint32_t objr__master_mask_from_sf_map(const int *map, unsigned n_channels);

#endif /* OBJR_SRC_MASTER_MASTER_H */
