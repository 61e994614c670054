/* SPDX-License-Identifier: BSD-3-Clause */
/* Objects block timing (ITU-R BS.2127-1 §7.2): block start/end from the object start, rtime and
 * duration in exact rational arithmetic; linear gain ramps over the whole block, or over
 * interpolationLength when jumpPosition is set, from the previous block's gains when the block
 * starts exactly where the previous one ended. */
#include "renderers/interp.h"

#include <math.h>

__extension__ typedef __int128 i128;

typedef struct rat {
    i128 num, den; /* den > 0 */
} rat;

static i128 gcd128(i128 a, i128 b) {
    if (a < 0)
        a = -a;
    while (b != 0) {
        i128 t = a % b;
        a = b;
        b = t < 0 ? -t : t;
    }
    return a == 0 ? 1 : a;
}

/* Rationals stay below 2^100 in magnitude so that products of two never overflow i128 by
 * more than we check for. */
#define RAT_LIMIT (((i128)1) << 100)

static int rat_ok(rat r) {
    return r.den > 0 && r.den < RAT_LIMIT && r.num < RAT_LIMIT && r.num > -RAT_LIMIT;
}

static rat rat_norm(rat r) {
    i128 g = gcd128(r.num, r.den);
    r.num /= g;
    r.den /= g;
    return r;
}

static rat rat_from_time(objr__adm_time t) {
    rat r = {t.num, t.den > 0 ? t.den : 1};
    return rat_norm(r);
}

static rat rat_add(rat a, rat b) {
    rat r = {a.num * b.den + b.num * a.den, a.den * b.den};
    return rat_norm(r);
}

static int rat_cmp(rat a, rat b) {
    i128 l = a.num * b.den, r = b.num * a.den;
    return (l > r) - (l < r);
}

static rat rat_scale(rat a, uint32_t k) {
    rat r = {a.num * (i128)k, a.den};
    return rat_norm(r);
}

static int64_t rat_ceil(rat a) {
    i128 q = a.num / a.den;
    if (a.num % a.den != 0 && a.num > 0)
        q += 1;
    return (int64_t)q;
}

static double rat_double(rat a) {
    return (double)a.num / (double)a.den;
}

void objr__interp_init(objr__interp_state *s) {
    s->has_last = 0;
    s->last_end_num = 0;
    s->last_end_den = 1;
    s->last_end_open = 0;
}

objr_status objr__interp_next(objr__interp_state *s, const objr__adm_block_objects *block,
                              objr__adm_time object_start, const objr__adm_time *object_duration,
                              uint32_t rate_hz, objr__interp_seg *out) {
    if (!s || !block || !out || rate_hz == 0 || object_start.den <= 0)
        return OBJR_ERR_INVALID_ARG;
    rat os = rat_from_time(object_start);
    rat oe = {0, 1};
    int object_open = object_duration == NULL;
    if (!object_open) {
        if (object_duration->den <= 0)
            return OBJR_ERR_INVALID_ARG;
        oe = rat_add(os, rat_from_time(*object_duration));
    }
    const objr__adm_block_common *c = &block->c;
    rat bs, be = {0, 1};
    int block_open;
    if (c->has_rtime && c->has_duration) {
        if (c->rtime.den <= 0 || c->duration.den <= 0)
            return OBJR_ERR_ADM;
        bs = rat_add(os, rat_from_time(c->rtime));
        be = rat_add(bs, rat_from_time(c->duration));
        block_open = 0;
        if (c->duration.num < 0 || c->rtime.num < 0)
            return OBJR_ERR_ADM;
        if (!object_open && rat_cmp(be, oe) > 0)
            return OBJR_ERR_ADM; /* block ends after the object */
    } else if (!c->has_rtime && !c->has_duration) {
        bs = os;
        be = oe;
        block_open = object_open;
    } else {
        return OBJR_ERR_ADM; /* rtime and duration must be used together */
    }
    if (!rat_ok(bs) || (!block_open && !rat_ok(be)))
        return OBJR_ERR_RANGE;
    if (!block_open && (be.num > INT64_MAX || be.num < -INT64_MAX || be.den > INT64_MAX))
        return OBJR_ERR_RANGE;
    if (s->has_last) {
        rat le = {s->last_end_num, s->last_end_den};
        if (s->last_end_open || rat_cmp(bs, le) < 0)
            return OBJR_ERR_ADM; /* overlapping blocks */
    }
    int from_prev = 0;
    if (s->has_last) {
        rat le = {s->last_end_num, s->last_end_den};
        from_prev = rat_cmp(bs, le) == 0;
    }

    rat S = rat_scale(bs, rate_hz);
    rat E = block_open ? S : rat_scale(be, rate_hz);
    if (!rat_ok(S) || !rat_ok(E))
        return OBJR_ERR_RANGE;
    double s_d = rat_double(S);
    int64_t first = rat_ceil(S);
    int64_t last = block_open ? OBJR__INTERP_OPEN_END : rat_ceil(E);
    int64_t ramp_end = first;
    double ramp_len = 0.0;
    if (block->jump_position) {
        double L = block->has_interpolation_length ? block->interpolation_length_s : 0.0;
        if (!(L >= 0.0) || !isfinite(L))
            return OBJR_ERR_ADM;
        double lr = L * (double)rate_hz;
        /* interpolationLength is written in decimal seconds: snap to whole samples when it is
         * one to within rounding, so that ceil() is exact */
        double lr_round = floor(lr + 0.5);
        int whole = fabs(lr - lr_round) < 1e-6;
        if (whole)
            lr = lr_round;
        if (!block_open && lr > rat_double(E) - s_d + 1e-9)
            return OBJR_ERR_ADM; /* interpolation length longer than the block */
        if (from_prev && lr > 0.0) {
            ramp_len = lr;
            /* ceil(S + n) = ceil(S) + n for whole n */
            ramp_end = whole ? first + (int64_t)lr : (int64_t)ceil(s_d + lr);
        }
    } else if (from_prev && !block_open) {
        ramp_len = rat_double(E) - s_d;
        ramp_end = last;
    }
    if (ramp_len <= 0.0)
        ramp_end = first;
    if (!block_open && ramp_end > last)
        ramp_end = last;

    out->first_sample = first;
    out->ramp_end_sample = ramp_end;
    out->last_sample = last;
    out->ramp_origin = s_d;
    out->ramp_length = ramp_len;
    out->ramp_from_previous = ramp_end > first;

    s->has_last = 1;
    s->last_end_open = block_open;
    if (!block_open) {
        s->last_end_num = (int64_t)be.num;
        s->last_end_den = (int64_t)be.den;
    }
    return OBJR_OK;
}
