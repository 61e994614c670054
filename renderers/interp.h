/* SPDX-License-Identifier: BSD-3-Clause */
/* Block timing and gain interpolation of Objects metadata (ITU-R BS.2127-1 §7.2, the
 * reference renderer's block processing): for each audioBlockFormat, the samples over which the
 * gains ramp linearly from the previous block's gains, and the samples where they hold. */
#ifndef OBJR_RENDERERS_INTERP_H
#define OBJR_RENDERERS_INTERP_H

#include <stddef.h>
#include <stdint.h>

#include "formats/adm_model.h"
#include "objrender/objr_status.h"
#include "src/core/core.h"

/** last_sample of a block that never ends (no duration on the object or the block). */
#define OBJR__INTERP_OPEN_END INT64_MAX

/**
 * Timing of one block, in samples. Sample s (0 = the start of the programme timeline, i.e. the
 * time origin of the object start) is affected by the block when first_sample <= s <
 * last_sample. For first_sample <= s < ramp_end_sample the gains are
 *     g(s) = (1 - p) * g_prev + p * g_this,   p = (s - ramp_origin) / ramp_length
 * (0 <= p < 1), and for ramp_end_sample <= s < last_sample they are g_this. A block that does not
 * start exactly where the previous one ended (or the first block) has no ramp: it starts at
 * its own gains (ramp_end_sample == first_sample). Samples outside every block are silent.
 */
typedef struct objr__interp_seg {
    int64_t first_sample;    /**< ceil(block start * rate) */
    int64_t ramp_end_sample; /**< ceil(ramp target * rate); == first_sample: no ramp */
    int64_t last_sample;     /**< ceil(block end * rate), exclusive, or OBJR__INTERP_OPEN_END */
    double ramp_origin;      /**< block start * rate (fractional sample position) */
    double ramp_length;      /**< ramp duration * rate in samples (> 0 when ramping) */
    int ramp_from_previous;  /**< 1 when the ramp starts from the previous block's gains */
} objr__interp_seg;

/** Running state across the blocks of one object (zero-initialise with _init). */
typedef struct objr__interp_state {
    int has_last;
    int64_t last_end_num, last_end_den; /**< end time of the previous block (exact) */
    int last_end_open;
} objr__interp_state;

OBJR_HIDDEN void objr__interp_init(objr__interp_state *s);

/**
 * Timing of the next block of an object (blocks must come in time order).
 * @param object_start   audioObject start (0 when absent)
 * @param object_duration NULL when the object has no duration (open end)
 * @param rate_hz        sample rate (> 0)
 * @return OBJR_OK; OBJR_ERR_ADM when rtime/duration are not given together, the block ends
 *         after the object, blocks overlap, or interpolationLength exceeds the block; then
 *         @p out and the state are untouched. OBJR_ERR_RANGE on times too large to represent.
 */
OBJR_HIDDEN objr_status objr__interp_next(objr__interp_state *s,
                                          const objr__adm_block_objects *block,
                                          objr__adm_time object_start,
                                          const objr__adm_time *object_duration, uint32_t rate_hz,
                                          objr__interp_seg *out);

/** Gain interpolation weight p for sample @p s inside the ramp of @p seg. */
static inline double objr__interp_weight(const objr__interp_seg *seg, int64_t s) {
    return ((double)s - seg->ramp_origin) / seg->ramp_length;
}

#endif /* OBJR_RENDERERS_INTERP_H */
