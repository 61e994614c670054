/* SPDX-License-Identifier: BSD-3-Clause */
/* Block timing and gain interpolation of ADM metadata (ITU-R BS.2127-1 §7.2, the reference
 * renderer's InterpretObjectMetadata): for each audioBlockFormat of one item, the samples it
 * affects, the samples over which the gains ramp linearly from the previous block's gains and
 * the samples where they hold. The one block timing of the loudspeaker engine and the
 * binaural scene, computed block by block as a render reaches the blocks (objr__interp_block,
 * objr__interp_cursor), so that no renderer keeps anything per block. */
#ifndef OBJR_RENDERERS_INTERP_H
#define OBJR_RENDERERS_INTERP_H

#include <stddef.h>
#include <stdint.h>

#include "formats/adm_model.h"
#include "objrender/objr_status.h"
#include "src/core/core.h"

/** last_sample of a block that never ends (no duration on the object or the block). */
#define OBJR__INTERP_OPEN_END INT64_MAX

/** The timeline the blocks of one item sit on. */
typedef struct objr__interp_timeline {
    double rate_hz;    /**< sample rate (> 0) */
    double start_s;    /**< audioObject start: block rtimes are relative to it (0 when absent) */
    double duration_s; /**< audioObject duration, when has_duration */
    int has_duration;  /**< 0: the object never ends */
} objr__interp_timeline;

/**
 * Timing of one block, in samples. Sample s (0 = the start of the programme timeline, i.e. the
 * time origin of the object start) is affected by the block when first_sample <= s <
 * last_sample (none when last_sample == first_sample). For first_sample <= s < ramp_end_sample
 * the gains are
 *     g(s) = (1 - p) * g_prev + p * g_this,   p = (s - ramp_origin) / ramp_length
 * (0 <= p < 1; objr__interp_weight), and for ramp_end_sample <= s < last_sample they are
 * g_this. g_prev are the gains of the previous block of the item (the one objr__interp_next
 * was last called with). Only an Objects block that starts exactly where the previous one
 * ended ramps; a first block, a block after a gap and DirectSpeakers / HOA blocks start at
 * their own gains (ramp_end_sample == first_sample). Samples outside every block are silent.
 */
typedef struct objr__interp_seg {
    int64_t first_sample;    /**< ceil(block start * rate) */
    int64_t ramp_end_sample; /**< ceil(ramp end * rate); == first_sample: no ramp */
    int64_t last_sample;     /**< ceil(block end * rate), exclusive, or OBJR__INTERP_OPEN_END */
    double ramp_origin;      /**< block start * rate (fractional sample position) */
    double ramp_length;      /**< ramp duration * rate in samples (> 0 when ramping) */
    int ramp_from_previous;  /**< 1 when the block ramps from the previous block's gains */
} objr__interp_seg;

/** Running state across the blocks of one item (initialise with _init). */
typedef struct objr__interp_state {
    int has_last;
    double last_end; /**< end of the previous block (fractional sample position) */
} objr__interp_state;

OBJR_HIDDEN void objr__interp_init(objr__interp_state *s);

/**
 * Timing of the next block of an item (blocks must come in time order). Block times: a block
 * with rtime starts at object start + rtime and lasts its duration, or to the object's end
 * without one; a block without rtime lasts the whole object; a block that would end after the
 * object is cut at the object's end. Ramps: over the whole block, or with jumpPosition over
 * interpolationLength (none without one), cut to the block. Times within 1e-6 sample of a
 * whole sample count as on it (absorbs the rounding of decimal times).
 * @param ramp the block as an Objects block (its jumpPosition and interpolationLength), or
 *             NULL for blocks whose gains never ramp (DirectSpeakers, HOA).
 * @return OBJR_OK; OBJR_ERR_ADM when the block starts before the previous one ends;
 *         OBJR_ERR_RANGE when a time is not a number; OBJR_ERR_INVALID_ARG. After an error
 *         @p out and the state are untouched.
 */
OBJR_HIDDEN objr_status objr__interp_next(objr__interp_state *s, const objr__interp_timeline *tl,
                                          const objr__adm_block_common *c,
                                          const objr__adm_block_objects *ramp,
                                          objr__interp_seg *out);

struct objr__render_item;
/**
 * The timing of every block of render item @p it at @p rate_hz: segs[k] for block k (@p segs
 * holds it->n_blocks, or is NULL to check the timing only), through objr__interp_next on the
 * item's object start and duration;
 * Objects blocks ramp, DirectSpeakers and HOA blocks hold their gains.
 * @return OBJR_OK, or objr__interp_next's errors, @p diag naming the block and the item.
 */
OBJR_HIDDEN objr_status objr__interp_item(const struct objr__render_item *it, double rate_hz,
                                          objr__interp_seg *segs, objr_diag *diag);

/**
 * The timing of block k of render item @p it alone, as objr__interp_item computes it: the
 * timeline state after block k-1 is that block's end alone, so blocks k-1 and k decide it
 * and nothing per block need be kept. For items whose timing objr__interp_item accepted; a
 * block it would refuse comes out affecting nothing, at INT64_MAX.
 * @return 1 when the block affects a sample (first_sample < last_sample), else 0.
 */
OBJR_HIDDEN int objr__interp_block(const struct objr__render_item *it, double rate_hz, size_t k,
                                   objr__interp_seg *out);

/**
 * The first block of @p it whose last_sample is after @p frame (blocks end in time order once
 * objr__interp_item accepted them, but for blocks after the object's end, which affect no
 * sample whichever is found): its index and timing in @p out, or it->n_blocks (out
 * undefined) when every block ends at or before the frame. The block affects the frame when
 * out->first_sample <= frame. The search gallops out from block @p hint (callers ask about
 * frames near a render's position: a few blocks near it are read, not a path across the whole
 * item, each block read perhaps a page of a spilled document), then bisects; a hint past the
 * last block bisects the whole item.
 */
OBJR_HIDDEN size_t objr__interp_find(const struct objr__render_item *it, double rate_hz,
                                     int64_t frame, size_t hint, objr__interp_seg *out);

/** Where a render is in the blocks of one item, for a reader whose frames grow between seeks:
 *  O(1) memory however many blocks the item has. */
typedef struct objr__interp_cursor {
    size_t block;         /**< the first block ending after the frame last asked */
    int64_t frame;        /**< the frame last asked */
    int placed;           /**< 0 after a reset or seek: the next query searches */
    objr__interp_seg seg; /**< block `block`'s timing, when block < n_blocks */
} objr__interp_cursor;

/** Start at the first block, the next query searching from there. */
OBJR_HIDDEN void objr__interp_cursor_reset(objr__interp_cursor *c);
/** Forget the position (after a seek): the next query searches from the last one. */
OBJR_HIDDEN void objr__interp_cursor_seek(objr__interp_cursor *c);

/**
 * The block of @p it that affects sample @p frame, as objr__interp_find finds it: 1 with its
 * index in @p k and timing in @p seg (valid until the next call), or 0 when none does. Frames
 * that grow move the cursor block by block (each block's timing computed once); an earlier
 * frame, or the first after a reset or seek, searches (objr__interp_find from the cursor's
 * block). @p it and @p rate_hz must stay the same.
 */
OBJR_HIDDEN int objr__interp_cursor_at(objr__interp_cursor *c, const struct objr__render_item *it,
                                       double rate_hz, int64_t frame, size_t *k,
                                       const objr__interp_seg **seg);

/** Gain interpolation weight p for sample @p s inside the ramp of @p seg. */
static inline double objr__interp_weight(const objr__interp_seg *seg, int64_t s) {
    return ((double)s - seg->ramp_origin) / seg->ramp_length;
}

#endif /* OBJR_RENDERERS_INTERP_H */
