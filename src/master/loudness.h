/* SPDX-License-Identifier: BSD-3-Clause */
/* Loudness meter internals shared with the mastering pipeline (BS.1770-4). */
#ifndef OBJR_SRC_MASTER_LOUDNESS_H
#define OBJR_SRC_MASTER_LOUDNESS_H

#include <stddef.h>

#include "objrender/objr_master.h"
#include "src/core/core.h"

/** Largest channel count the meter and the mastering pipeline accept. */
#define OBJR_LOUDNESS_MAX_CHANNELS OBJR_MASTER_MAX_CHANNELS

#endif /* OBJR_SRC_MASTER_LOUDNESS_H */
