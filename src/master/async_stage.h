/* SPDX-License-Identifier: BSD-3-Clause */
/* A pipeline stage on a worker thread: a bounded ring of blocks between a producer and one
 * worker that runs a callback on each block in order, so that the two cores share a
 * streaming pass (the mastering pass limits block k + 1 while the worker quantises, writes
 * and meters block k). Internal API. */
#ifndef OBJR_SRC_MASTER_ASYNC_STAGE_H
#define OBJR_SRC_MASTER_ASYNC_STAGE_H

#include <stddef.h>

#include "src/core/core.h"

typedef struct objr__astage objr__astage;

/** The worker's job on one block of @p n_frames frames (the block's layout is the
 *  producer's and the callback's business). A non-OK return is kept as the stage's
 *  status; the blocks after it are dropped unprocessed. */
typedef objr_status (*objr__astage_fn)(void *user, float *block, size_t n_frames);

/**
 * Start a worker that calls @p fn(@p user, block, n_frames) on each committed block, in
 * commit order. @p user is borrowed and is used only by the worker until
 * objr__astage_finish(). Each block holds @p block_floats floats.
 * @return OBJR_OK, OBJR_ERR_NOMEM (or thread creation failed). *out NULL on failure.
 */
OBJR_HIDDEN objr_status objr__astage_create(objr__astage_fn fn, void *user, size_t block_floats,
                                            objr__astage **out);
/** A free block to fill (waits while every block is in flight); commit it next. */
OBJR_HIDDEN float *objr__astage_acquire(objr__astage *a);
/** Hand the block from objr__astage_acquire() to the worker, holding @p n_frames frames. */
OBJR_HIDDEN void objr__astage_commit(objr__astage *a, size_t n_frames);
/** The first error the callback returned so far (OBJR_OK when none). */
OBJR_HIDDEN objr_status objr__astage_status(objr__astage *a);
/** Wait until every committed block is processed and stop the worker; returns the first
 *  error of the callback. Idempotent. */
OBJR_HIDDEN objr_status objr__astage_finish(objr__astage *a);
/** Finish (if needed) and free (NULL-safe). */
OBJR_HIDDEN void objr__astage_destroy(objr__astage *a);

#endif /* OBJR_SRC_MASTER_ASYNC_STAGE_H */
