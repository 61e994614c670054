/* SPDX-License-Identifier: BSD-3-Clause */
/* A loudness meter fed from another thread: the mastering pass hands each block of written
 * samples over and keeps processing while the second core meters (BS.1770 and libebur128's
 * independent 4x true peak). Internal API. */
#ifndef OBJR_SRC_MASTER_ASYNC_METER_H
#define OBJR_SRC_MASTER_ASYNC_METER_H

#include <stddef.h>

#include "objrender/objr_master.h"
#include "src/core/core.h"

typedef struct objr__ameter objr__ameter;

/**
 * Start a worker thread that feeds @p m (borrowed; must outlive the handle and is used only
 * by the worker until objr__ameter_finish()) with blocks of up to @p max_frames frames.
 * @return OBJR_OK, OBJR_ERR_NOMEM (or thread creation failed). *out NULL on failure.
 */
OBJR_HIDDEN objr_status objr__ameter_create(objr_loudness_meter *m, unsigned n_channels,
                                            size_t max_frames, objr__ameter **out);
/** Copy @p n_frames planar frames (<= max_frames) into a free slot; waits while all are full. */
OBJR_HIDDEN void objr__ameter_push(objr__ameter *a, const float *const *planar, size_t n_frames);
/** As objr__ameter_push(), for interleaved frames (copied). */
OBJR_HIDDEN void objr__ameter_push_interleaved(objr__ameter *a, const float *in, size_t n_frames);
/** Wait until every pushed block is metered and stop the worker; returns the first error of
 *  the meter's add calls. Idempotent. */
OBJR_HIDDEN objr_status objr__ameter_finish(objr__ameter *a);
/** Finish (if needed) and free (NULL-safe). */
OBJR_HIDDEN void objr__ameter_destroy(objr__ameter *a);

#endif /* OBJR_SRC_MASTER_ASYNC_METER_H */
