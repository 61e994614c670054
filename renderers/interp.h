/* SPDX-License-Identifier: BSD-3-Clause */
/* Block timing and gain interpolation of ADM metadata (ITU-R BS.2127-1 §7.2, the reference
 * renderer's InterpretObjectMetadata): for each audioBlockFormat of one item, the samples it
 * affects, the samples over which the gains ramp linearly from the previous block's gains and
 * the samples where they hold. The one block timing of the loudspeaker engine and the
 * binaural scene. */
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

/** Gain interpolation weight p for sample @p s inside the ramp of @p seg. */
static inline double objr__interp_weight(const objr__interp_seg *seg, int64_t s) {
    return ((double)s - seg->ramp_origin) / seg->ramp_length;
}

#endif /* OBJR_RENDERERS_INTERP_H */
