/* SPDX-License-Identifier: BSD-3-Clause */
/* Block timing of ADM metadata (ITU-R BS.2127-1 §7.2, as the reference renderer's
 * InterpretObjectMetadata): block start/end from the object start, rtime and duration; linear
 * gain ramps over the whole block, or over interpolationLength when jumpPosition is set, from
 * the previous block's gains when the block starts exactly where the previous one ended. A
 * block from time t affects samples ceil(t * rate) onwards; positions are kept fractional so
 * that a ramp's interpolation parameter is exact at every sample. */
#include "renderers/interp.h"

#include <math.h>

#include "renderers/render_items.h"

/* Tolerance, in samples, under which a time counts as falling on a sample (absorbs the
 * rounding of summing rtimes and durations in double). */
#define FRAME_SNAP 1e-6

/* Fractional sample position of time t, snapped to an integer when within FRAME_SNAP. */
static double frame_pos(double t_s, double fs) {
    double f = t_s * fs, r = nearbyint(f);
    return fabs(f - r) < FRAME_SNAP ? r : f;
}

/* First sample at or after a position (ceil), saturating. */
static int64_t frame_ceil(double f) {
    if (!(f < 9.0e18))
        return INT64_MAX;
    if (f < -9.0e18)
        return INT64_MIN;
    return (int64_t)ceil(f);
}

void objr__interp_init(objr__interp_state *s) {
    s->has_last = 0;
    s->last_end = 0.0;
}

/* Ramp length in samples of a block from `start` to `end` that starts where the previous
 * block ended: the whole block, or interpolationLength with jumpPosition (0: a jump), never
 * longer than the block. */
static double ramp_samples(const objr__adm_block_objects *b, double start, double end, double fs) {
    double whole = isinf(end) ? 0.0 : end - start;
    double len = whole;
    if (b->jump_position)
        len = b->has_interpolation_length && b->interpolation_length_s > 0
                  ? frame_pos(b->interpolation_length_s, fs)
                  : 0.0;
    return len <= end - start ? len : whole;
}

objr_status objr__interp_next(objr__interp_state *s, const objr__interp_timeline *tl,
                              const objr__adm_block_common *c, const objr__adm_block_objects *ramp,
                              objr__interp_seg *out) {
    if (!s || !tl || !c || !out || !(tl->rate_hz > 0) || !isfinite(tl->start_s))
        return OBJR_ERR_INVALID_ARG;
    const double fs = tl->rate_hz;
    const double obj_end =
        tl->has_duration ? frame_pos(tl->start_s + tl->duration_s, fs) : (double)INFINITY;
    double start = frame_pos(tl->start_s, fs), end = obj_end;
    if (c->has_rtime) {
        double rt = objr__adm_time_seconds(c->rtime);
        start = frame_pos(tl->start_s + rt, fs);
        if (c->has_duration)
            end = frame_pos(tl->start_s + rt + objr__adm_time_seconds(c->duration), fs);
    }
    if (end > obj_end)
        end = obj_end; /* cut at the object's end */
    if (isnan(start) || isnan(end))
        return OBJR_ERR_RANGE;
    if (s->has_last && start < s->last_end - FRAME_SNAP)
        return OBJR_ERR_ADM; /* starts before the previous block ends */
    const int contiguous = s->has_last && fabs(start - s->last_end) < FRAME_SNAP;
    const int64_t first = frame_ceil(start);
    int64_t last = frame_ceil(end);
    if (last < first)
        last = first; /* outside the object, or shorter than a sample: affects nothing */
    double len = 0.0;
    int64_t ramp_end = first;
    if (ramp && contiguous && last > first) {
        len = ramp_samples(ramp, start, end, fs);
        if (len > 0)
            ramp_end = frame_ceil(start + len);
        else
            len = 0.0;
        if (ramp_end > last)
            ramp_end = last;
    }
    out->first_sample = first;
    out->ramp_end_sample = ramp_end;
    out->last_sample = last;
    out->ramp_origin = start;
    out->ramp_length = len;
    out->ramp_from_previous = ramp_end > first;
    /* the timeline moves on even past a block that affects no sample, so that the next block
     * ramps from its gains */
    s->has_last = 1;
    s->last_end = end;
    return OBJR_OK;
}

objr_status objr__interp_item(const objr__render_item *it, double rate_hz, objr__interp_seg *segs,
                              objr_diag *diag) {
    const objr__interp_timeline tl = {rate_hz, it->start_s, it->duration_s, it->has_duration};
    const char *name = objr__render_item_name(it);
    objr__interp_state st;
    objr__interp_init(&st);
    objr__interp_seg scratch;
    for (size_t k = 0; k < it->n_blocks; k++) {
        objr__adm_release_blocks_at(k);
        const objr__adm_block_common *c = objr__render_item_block(it, k);
        const objr__adm_block_objects *ramp =
            it->type == OBJR__TYPE_OBJECTS ? &it->obj_blocks[k] : NULL;
        objr_status s = objr__interp_next(&st, &tl, c, ramp, segs ? &segs[k] : &scratch);
        if (s == OBJR_ERR_RANGE)
            return objr__diag_set(diag, s, c->id, 0, (size_t)-1,
                                  "block format time is not a number in %s", name);
        if (s == OBJR_ERR_ADM)
            return objr__diag_set(diag, s, c->id, 0, (size_t)-1,
                                  "block format starts before the previous one ends in %s", name);
        if (s != OBJR_OK)
            return s;
    }
    objr__adm_release_blocks(); /* every block was read: a spilled document's pages given back */
    return OBJR_OK;
}

int objr__interp_block(const objr__render_item *it, double rate_hz, size_t k,
                       objr__interp_seg *out) {
    const objr__interp_timeline tl = {rate_hz, it->start_s, it->duration_s, it->has_duration};
    const int obj = it->type == OBJR__TYPE_OBJECTS;
    objr__interp_state st;
    objr__interp_init(&st);
    if (k > 0)
        (void)objr__interp_next(&st, &tl, objr__render_item_block(it, k - 1),
                                obj ? &it->obj_blocks[k - 1] : NULL, out);
    if (objr__interp_next(&st, &tl, objr__render_item_block(it, k), obj ? &it->obj_blocks[k] : NULL,
                          out) != OBJR_OK) {
        out->first_sample = out->last_sample = out->ramp_end_sample = INT64_MAX; /* not reached */
        out->ramp_from_previous = 0;
    }
    return out->last_sample > out->first_sample;
}

/* Whether block k ends at or before @p frame, its timing into @p out. */
static int ends_by(const objr__render_item *it, double rate_hz, size_t k, int64_t frame,
                   objr__interp_seg *out) {
    (void)objr__interp_block(it, rate_hz, k, out);
    return out->last_sample <= frame;
}

size_t objr__interp_find(const objr__render_item *it, double rate_hz, int64_t frame, size_t hint,
                         objr__interp_seg *out) {
    const size_t n = it->n_blocks;
    size_t lo = 0, hi = n; /* blocks before lo end by frame; blocks from hi end after it */
    if (hint < n) {        /* gallop out from the hint, then bisect what is left */
        size_t step = 1;
        if (ends_by(it, rate_hz, hint, frame, out)) {
            lo = hint + 1;
            while (lo < n) {
                size_t probe = n - lo > step ? lo + step - 1 : n - 1;
                if (!ends_by(it, rate_hz, probe, frame, out)) {
                    hi = probe;
                    break;
                }
                lo = probe + 1;
                step *= 2;
            }
        } else {
            hi = hint;
            while (hi > 0) {
                size_t probe = hi > step ? hi - step : 0;
                if (ends_by(it, rate_hz, probe, frame, out)) {
                    lo = probe + 1;
                    break;
                }
                hi = probe;
                step *= 2;
            }
        }
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ends_by(it, rate_hz, mid, frame, out))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n)
        (void)objr__interp_block(it, rate_hz, lo, out);
    return lo;
}

void objr__interp_cursor_reset(objr__interp_cursor *c) {
    c->block = 0;
    c->frame = INT64_MIN;
    c->placed = 0;
}

void objr__interp_cursor_seek(objr__interp_cursor *c) {
    c->placed = 0; /* c->block stays: the search starts there */
}

int objr__interp_cursor_at(objr__interp_cursor *c, const objr__render_item *it, double rate_hz,
                           int64_t frame, size_t *k, const objr__interp_seg **seg) {
    const size_t n = it->n_blocks;
    if (!c->placed || frame < c->frame) {
        c->block = objr__interp_find(it, rate_hz, frame, c->block, &c->seg);
        c->placed = 1;
    } else {
        /* blocks end in time order: the first ending after the frame is at or past the one
         * for the previous frame */
        while (c->block < n && c->seg.last_sample <= frame)
            if (++c->block < n)
                (void)objr__interp_block(it, rate_hz, c->block, &c->seg);
    }
    c->frame = frame;
    if (c->block >= n || c->seg.first_sample > frame)
        return 0;
    *k = c->block;
    *seg = &c->seg;
    return 1;
}
