/* SPDX-License-Identifier: BSD-3-Clause */
/* Linked look-ahead true-peak limiter and gain envelopes. Detection on the 8x oversampled
 * signal (ITU-R BS.1770-4 Annex 2 style, src/truepeak.c). The gain is a running minimum of
 * the per-peak requirements over the look-ahead window plus the style's hold, released by a
 * program-dependent one-pole recovery (fast after short peaks, slow under sustained overload:
 * src/master/limiter.h) and smoothed by a moving average as long as the look-ahead, so that
 * the gain reaches its target before the peak arrives and never changes in steps. Every
 * gain in the average is at most the requirement of every peak it reaches, which is what
 * holds the ceiling whatever the style and release. */
#include "src/master/limiter.h"

#include <math.h>
#include <string.h>

#include "src/core/core.h"
#include "src/dsp/ftz.h"
#include "src/master/loudness.h"
#include "src/master/truepeak.h"

/* Gain reductions smaller than this count as "inactive" in the statistics. */
#define LIMITER_ACTIVE_DB 0.01
/* The statistic "share of time with more than this reduction". */
#define LIMITER_OVER_DB 1.0
/* Gain-reduction history: bins kept (halved by pairwise merging when full) and the width a
 * bin starts with. */
#define LIMITER_HIST_BINS 1024
#define LIMITER_HIST_START_MS 10.0

/* name, look-ahead, hold, fast release, slow release, charge, discharge (ms), extra margin */
static const objr__limiter_style_params styles[OBJR_LIMITER_N_STYLES] = {
    [OBJR_LIMITER_TRANSPARENT] = {"transparent", OBJR_TP_LOOKAHEAD_MS, 7.5, 50.0,
                                  OBJR_TP_RELEASE_MS, 300.0, 1000.0, 0.0},
    [OBJR_LIMITER_PUNCHY] = {"punchy", 1.5, 0.0, 15.0, 150.0, 100.0, 300.0, 0.0},
    [OBJR_LIMITER_SAFE] = {"safe", 10.0, 15.0, 80.0, 800.0, 300.0, 1000.0, 0.3},
};

const objr__limiter_style_params *objr__limiter_style_get(objr_limiter_style style) {
    return (unsigned)style < OBJR_LIMITER_N_STYLES ? &styles[style] : NULL;
}

const char *objr_limiter_style_name(objr_limiter_style style) {
    const objr__limiter_style_params *p = objr__limiter_style_get(style);
    return p ? p->name : NULL;
}

objr_status objr_limiter_style_from_name(const char *name, objr_limiter_style *out) {
    if (!name || !out)
        return OBJR_ERR_INVALID_ARG;
    for (unsigned i = 0; i < OBJR_LIMITER_N_STYLES; i++)
        if (!strcmp(name, styles[i].name)) {
            *out = (objr_limiter_style)i;
            return OBJR_OK;
        }
    return OBJR_ERR_INVALID_ARG;
}

void objr__limiter_times(const objr_limiter_config *cfg, double *lookahead_ms, double *fast_ms,
                         double *slow_ms) {
    const objr__limiter_style_params *p = objr__limiter_style_get(cfg->style);
    if (!p)
        p = &styles[OBJR_LIMITER_TRANSPARENT];
    *lookahead_ms = cfg->lookahead_ms > 0.0 ? cfg->lookahead_ms : p->lookahead_ms;
    *slow_ms = cfg->release_ms > 0.0 ? cfg->release_ms : p->slow_release_ms;
    *fast_ms = *slow_ms * (p->fast_release_ms / p->slow_release_ms);
}

void objr__release_init(objr__release *r, const objr_limiter_config *cfg, double step_frames) {
    const objr__limiter_style_params *p = objr__limiter_style_get(cfg->style);
    if (!p)
        p = &styles[OBJR_LIMITER_TRANSPARENT];
    double la, fast, slow;
    objr__limiter_times(cfg, &la, &fast, &slow);
    const double ms = 1000.0 * step_frames / cfg->rate_hz;
    r->k_fast = 1.0 - exp(-ms / fast);
    r->k_slow = 1.0 - exp(-ms / slow);
    r->k_charge = 1.0 - exp(-ms / p->charge_ms);
    r->k_discharge = 1.0 - exp(-ms / p->discharge_ms);
    r->z = 0.0;
    r->g = 1.0;
}

struct objr_limiter {
    objr_limiter_config cfg;
    unsigned nc;
    double ceil_lin; /* detector threshold (ceiling - margin), linear */
    size_t la;       /* look-ahead A frames */
    size_t spread;   /* H: frames each side a peak constrains (filter support) */
    size_t tp_delay; /* D */
    size_t latency;  /* D + A + H + 1 */
    size_t win;      /* moving-min window over peak requirements: A + 2H + 2 + hold */
    objr__tp *tp;
    float lk[OBJR_TP_CHUNK];
    /* moving minimum (monotonic deque) over requirement values */
    size_t *dq_idx;
    float *dq_val;
    size_t dq_head, dq_len, dq_cap;
    /* released gain history for the moving average (A + 1 values) */
    double *avg_ring;
    size_t avg_pos;
    double avg_sum;
    objr__release rel;
    /* audio delay line, nc x (latency + 1), and its write position */
    float *delay;
    size_t dpos, dlen;
    size_t n_in; /* input frames seen */
    /* stats */
    double min_gain;
    size_t n_active, n_over, n_out;
    double active_thresh, over_thresh;
    /* gain-reduction history: the lowest gain of each bin of hist_width output frames */
    float hist[LIMITER_HIST_BINS];
    size_t hist_n, hist_width, hist_fill;
    float hist_cur;
};

objr_limiter_config objr_limiter_config_default(void) {
    objr_limiter_config c;
    memset(&c, 0, sizeof c);
    c.rate_hz = 48000.0;
    c.n_channels = 2;
    c.ceiling_dbtp = -1.0;
    c.margin_db = OBJR_TP_MARGIN_DB;
    c.lookahead_ms = 0.0; /* the style's */
    c.release_ms = 0.0;
    c.style = OBJR_LIMITER_TRANSPARENT;
    return c;
}

void objr_limiter_destroy(objr_limiter *l) {
    if (!l)
        return;
    objr__tp_destroy(l->tp);
    objr__freep(&l->dq_idx);
    objr__freep(&l->dq_val);
    objr__freep(&l->avg_ring);
    objr__freep(&l->delay);
    objr__freep(&l);
}

objr_status objr_limiter_create(const objr_limiter_config *cfg, objr_limiter **out) {
    if (!out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    if (!cfg || cfg->n_channels == 0 || cfg->n_channels > OBJR_LOUDNESS_MAX_CHANNELS ||
        !(cfg->rate_hz >= 8000.0 && cfg->rate_hz <= 768000.0) ||
        !(cfg->ceiling_dbtp <= 0.0 && cfg->ceiling_dbtp >= -60.0) ||
        !(cfg->margin_db >= 0.0 && cfg->margin_db <= 3.0) ||
        !(cfg->lookahead_ms == 0.0 || (cfg->lookahead_ms >= 0.5 && cfg->lookahead_ms <= 50.0)) ||
        !(cfg->release_ms == 0.0 || (cfg->release_ms >= 1.0 && cfg->release_ms <= 5000.0)) ||
        !objr__limiter_style_get(cfg->style))
        return OBJR_ERR_INVALID_ARG;
    objr_limiter *l = objr__calloc(1, sizeof *l);
    if (!l)
        return OBJR_ERR_NOMEM;
    const objr__limiter_style_params *sp = objr__limiter_style_get(cfg->style);
    double la_ms, fast_ms, slow_ms;
    objr__limiter_times(cfg, &la_ms, &fast_ms, &slow_ms);
    l->cfg = *cfg;
    l->nc = cfg->n_channels;
    l->ceil_lin = pow(10.0, (cfg->ceiling_dbtp - cfg->margin_db - sp->extra_margin_db) / 20.0);
    l->la = (size_t)lround(la_ms * cfg->rate_hz / 1000.0);
    l->spread = OBJR_TP_TAPS_PER_PHASE / 2;
    if (objr__tp_create(l->nc, cfg->rate_hz, &l->tp) != OBJR_OK)
        goto fail;
    /* Peaks at or under the detector threshold all require unity gain: the detector need
     * not interpolate chunks that provably stay under it. */
    objr__tp_set_floor(l->tp, l->ceil_lin);
    l->tp_delay = objr__tp_delay_frames(l->tp);
    l->latency = l->tp_delay + l->la + l->spread + 1;
    l->win = l->la + 2 * l->spread + 2 + (size_t)lround(sp->hold_ms * cfg->rate_hz / 1000.0);
    l->dq_cap = l->win + 1;
    l->dq_idx = objr__calloc(l->dq_cap, sizeof(size_t));
    l->dq_val = objr__calloc(l->dq_cap, sizeof(float));
    l->avg_ring = objr__calloc(l->la + 1, sizeof(double));
    l->dlen = l->latency + 1;
    size_t nd;
    if (objr__mul_size(l->dlen, l->nc, &nd))
        l->delay = objr__calloc(nd, sizeof(float));
    if (!l->dq_idx || !l->dq_val || !l->avg_ring || !l->delay)
        goto fail;
    for (size_t i = 0; i <= l->la; i++)
        l->avg_ring[i] = 1.0;
    l->avg_sum = (double)(l->la + 1);
    objr__release_init(&l->rel, cfg, 1.0);
    l->min_gain = 1.0;
    l->active_thresh = pow(10.0, -LIMITER_ACTIVE_DB / 20.0);
    l->over_thresh = pow(10.0, -LIMITER_OVER_DB / 20.0);
    l->hist_width = (size_t)lround(LIMITER_HIST_START_MS * cfg->rate_hz / 1000.0);
    l->hist_cur = 1.0f;
    *out = l;
    return OBJR_OK;
fail:
    objr_limiter_destroy(l);
    return OBJR_ERR_NOMEM;
}

size_t objr_limiter_latency_frames(const objr_limiter *l) {
    return l ? l->latency : 0;
}

/* Push requirement v for input time n; drop values that can no longer be the minimum. */
static void dq_push(objr_limiter *l, size_t n, float v) {
    while (l->dq_len > 0) {
        size_t last = (l->dq_head + l->dq_len - 1) % l->dq_cap;
        if (l->dq_val[last] >= v)
            l->dq_len--;
        else
            break;
    }
    size_t pos = (l->dq_head + l->dq_len) % l->dq_cap;
    l->dq_idx[pos] = n;
    l->dq_val[pos] = v;
    l->dq_len++;
    /* Expire entries older than the window. */
    while (l->dq_len > 0 && l->dq_idx[l->dq_head] + l->win <= n) {
        l->dq_head = (l->dq_head + 1) % l->dq_cap;
        l->dq_len--;
    }
}

/* Statistics and the gain-reduction history of one output frame with gain @p g. */
static void count_output(objr_limiter *l, double g) {
    if (g < l->min_gain)
        l->min_gain = g;
    l->n_active += g < l->active_thresh;
    l->n_over += g < l->over_thresh;
    l->n_out++;
    if ((float)g < l->hist_cur)
        l->hist_cur = (float)g;
    if (++l->hist_fill < l->hist_width)
        return;
    if (l->hist_n == LIMITER_HIST_BINS) { /* full: merge pairs, bins twice as wide */
        for (size_t b = 0; b < LIMITER_HIST_BINS / 2; b++)
            l->hist[b] = fminf(l->hist[2 * b], l->hist[2 * b + 1]);
        l->hist_n = LIMITER_HIST_BINS / 2;
        l->hist_width *= 2;
        /* the bin just completed is half of a new one: keep collecting into it */
        if (l->hist_fill < l->hist_width)
            return;
    }
    l->hist[l->hist_n++] = l->hist_cur;
    l->hist_cur = 1.0f;
    l->hist_fill = 0;
}

/* The smoothed gain of each of the @p nb frames whose linked peaks are in l->lk: the
 * requirement of each peak into the moving minimum, the release, the moving average. */
static void gains_for_chunk(objr_limiter *l, size_t nb, float *gfs) {
    for (size_t i = 0; i < nb; i++) {
        /* requirement of the peak just detected */
        float pk = l->lk[i];
        float t = (double)pk > l->ceil_lin ? (float)(l->ceil_lin / (double)pk) : 1.0f;
        dq_push(l, l->n_in, t);
        /* release: recover towards 1 (program dependent), never above the hold */
        double g = objr__release_step(&l->rel, (double)l->dq_val[l->dq_head]);
        /* moving average over A + 1 released gains */
        l->avg_sum += g - l->avg_ring[l->avg_pos];
        l->avg_ring[l->avg_pos] = g;
        if (++l->avg_pos > l->la) {
            l->avg_pos = 0;
            double s = 0.0; /* exact re-sum once per window: no drift */
            for (size_t k = 0; k <= l->la; k++)
                s += l->avg_ring[k];
            l->avg_sum = s;
        }
        double sg = l->avg_sum / (double)(l->la + 1);
        if (sg > 1.0)
            sg = 1.0;
        gfs[i] = (float)sg;
        if (l->n_in >= l->latency)
            count_output(l, sg);
        l->n_in++;
    }
}

/* The delay line, one channel at a time: frame i of the chunk writes the input at the write
 * position and reads the frame `latency` ago, scaled by its gain. The positions wrap at
 * dlen; between wraps both runs are contiguous. */
static void delay_apply(objr_limiter *l, const float *const *inb, float *const *out, size_t done,
                        size_t nb, const float *gfs) {
    const size_t dlen = l->dlen, w0 = l->dpos;
    for (unsigned c = 0; c < l->nc; c++) {
        float *d = l->delay + (size_t)c * dlen;
        const float *x = inb[c];
        float *y = out[c] + done;
        size_t w = w0, r = (w0 + 1) % dlen;
        for (size_t i = 0; i < nb;) {
            /* frames until either position wraps */
            size_t run = nb - i;
            if (dlen - w < run)
                run = dlen - w;
            if (dlen - r < run)
                run = dlen - r;
            for (size_t k = 0; k < run; k++) {
                float v = d[r + k];
                d[w + k] = x[i + k];
                y[i + k] = v * gfs[i + k];
            }
            i += run;
            w = (w + run) % dlen;
            r = (r + run) % dlen;
        }
    }
    l->dpos = (w0 + nb) % dlen;
}

objr_status objr_limiter_process(objr_limiter *l, const float *const *in, float *const *out,
                                 size_t n_frames, float *gain) {
    if (!l || (n_frames && (!in || !out)))
        return OBJR_ERR_INVALID_ARG;
    const unsigned nc = l->nc;
    const unsigned ftz = objr__ftz_enter();
    size_t done = 0;
    while (done < n_frames) {
        size_t nb = n_frames - done < OBJR_TP_CHUNK ? n_frames - done : OBJR_TP_CHUNK;
        const float *inb[OBJR_LOUDNESS_MAX_CHANNELS];
        for (unsigned c = 0; c < nc; c++)
            inb[c] = in[c] + done;
        objr__tp_process(l->tp, inb, nb, l->lk);
        float gfs[OBJR_TP_CHUNK];
        gains_for_chunk(l, nb, gfs);
        delay_apply(l, inb, out, done, nb, gfs);
        if (gain)
            memcpy(gain + done, gfs, nb * sizeof(float));
        done += nb;
    }
    objr__ftz_leave(ftz);
    return OBJR_OK;
}

objr_status objr_limiter_get_stats(const objr_limiter *l, objr_limiter_stats *out) {
    if (!l || !out)
        return OBJR_ERR_INVALID_ARG;
    out->max_reduction_db = l->min_gain < 1.0 ? -20.0 * log10(l->min_gain) : 0.0;
    out->active_fraction = l->n_out ? (double)l->n_active / (double)l->n_out : 0.0;
    out->n_frames = l->n_out;
    out->over_1db_fraction = l->n_out ? (double)l->n_over / (double)l->n_out : 0.0;
    return OBJR_OK;
}

size_t objr_limiter_gain_history(const objr_limiter *l, float *reduction_db, size_t n_points,
                                 double *seconds_per_point) {
    if (!l || !reduction_db || n_points == 0 || l->n_out == 0)
        return 0;
    /* bins: hist_n complete ones of hist_width frames, then the partial one */
    const size_t n_bins = l->hist_n + (l->hist_fill > 0);
    const size_t n = n_points < n_bins ? n_points : n_bins;
    const double per = (double)l->n_out / (double)n;
    for (size_t p = 0; p < n; p++) {
        size_t a = (size_t)((double)p * per), b = (size_t)((double)(p + 1) * per);
        size_t b0 = a / l->hist_width, b1 = b > a ? (b - 1) / l->hist_width : b0;
        float g = 1.0f;
        for (size_t k = b0; k <= b1 && k < n_bins; k++)
            g = fminf(g, k < l->hist_n ? l->hist[k] : l->hist_cur);
        reduction_db[p] = g < 1.0f ? (float)(-20.0 * log10((double)g)) : 0.0f;
    }
    if (seconds_per_point)
        *seconds_per_point = per / l->cfg.rate_hz;
    return n;
}

/* ---------------------------------------------------------------------------------------- */
/* Gain envelope                                                                             */
/* ---------------------------------------------------------------------------------------- */

/* Runs at least this long of one value are stored as a constant run. */
#define ENV_MIN_CONST_RUN 32
#define ENV_CHUNK 1024

typedef struct env_run {
    size_t start, len;
    int is_const;
    float value;   /* constant runs */
    size_t offset; /* sample runs: index into samples */
} env_run;

struct objr_gain_envelope {
    env_run *runs;
    size_t n_runs, cap_runs;
    float *samples;
    size_t n_samples, cap_samples;
    size_t length;
};

objr_status objr_gain_envelope_create(objr_gain_envelope **out) {
    if (!out)
        return OBJR_ERR_INVALID_ARG;
    *out = objr__calloc(1, sizeof **out);
    return *out ? OBJR_OK : OBJR_ERR_NOMEM;
}

void objr_gain_envelope_destroy(objr_gain_envelope *e) {
    if (!e)
        return;
    objr__freep(&e->runs);
    objr__freep(&e->samples);
    objr__freep(&e);
}

size_t objr_gain_envelope_length(const objr_gain_envelope *e) {
    return e ? e->length : 0;
}

static env_run *env_new_run(objr_gain_envelope *e) {
    if (e->n_runs == e->cap_runs) {
        size_t cap = e->cap_runs ? 2 * e->cap_runs : 16;
        env_run *r = objr__realloc_array(e->runs, cap, sizeof *r);
        if (!r)
            return NULL;
        e->runs = r;
        e->cap_runs = cap;
    }
    env_run *r = &e->runs[e->n_runs++];
    memset(r, 0, sizeof *r);
    r->start = e->length;
    return r;
}

static objr_status env_add_const(objr_gain_envelope *e, float v, size_t n) {
    env_run *last = e->n_runs ? &e->runs[e->n_runs - 1] : NULL;
    if (!(last && last->is_const && last->value == v)) {
        last = env_new_run(e);
        if (!last)
            return OBJR_ERR_NOMEM;
        last->is_const = 1;
        last->value = v;
    }
    last->len += n;
    e->length += n;
    return OBJR_OK;
}

static objr_status env_add_samples(objr_gain_envelope *e, const float *g, size_t n) {
    env_run *last = e->n_runs ? &e->runs[e->n_runs - 1] : NULL;
    if (e->n_samples + n > e->cap_samples) {
        size_t cap = e->cap_samples ? e->cap_samples : 4096;
        while (cap < e->n_samples + n)
            cap *= 2;
        float *s = objr__realloc_array(e->samples, cap, sizeof *s);
        if (!s)
            return OBJR_ERR_NOMEM;
        e->samples = s;
        e->cap_samples = cap;
    }
    if (!(last && !last->is_const)) {
        last = env_new_run(e);
        if (!last)
            return OBJR_ERR_NOMEM;
        last->offset = e->n_samples;
    }
    memcpy(e->samples + e->n_samples, g, n * sizeof *g);
    e->n_samples += n;
    last->len += n;
    e->length += n;
    return OBJR_OK;
}

objr_status objr_gain_envelope_append(objr_gain_envelope *e, const float *gain, size_t n_frames) {
    if (!e || (!gain && n_frames))
        return OBJR_ERR_INVALID_ARG;
    for (size_t i = 0; i < n_frames; i++)
        if (!(gain[i] >= 0.0f) || !isfinite(gain[i]))
            return OBJR_ERR_RANGE;
    size_t i = 0;
    while (i < n_frames) {
        size_t j = i + 1;
        while (j < n_frames && gain[j] == gain[i])
            j++;
        objr_status st;
        env_run *last = e->n_runs ? &e->runs[e->n_runs - 1] : NULL;
        int extends = last && last->is_const && last->value == gain[i];
        if (j - i >= ENV_MIN_CONST_RUN || extends)
            st = env_add_const(e, gain[i], j - i);
        else
            st = env_add_samples(e, gain + i, j - i);
        if (st != OBJR_OK)
            return st;
        i = j;
    }
    return OBJR_OK;
}

/* Gains of frames [start, start + n) into out (1.0 beyond the end). */
static void env_read(const objr_gain_envelope *e, size_t start, size_t n, float *out) {
    size_t lo = 0, hi = e->n_runs;
    while (hi - lo > 1) { /* last run with run.start <= start */
        size_t mid = (lo + hi) / 2;
        if (e->runs[mid].start <= start)
            lo = mid;
        else
            hi = mid;
    }
    size_t r = lo, i = 0;
    while (i < n) {
        size_t f = start + i;
        if (r >= e->n_runs || f >= e->length) {
            out[i++] = 1.0f;
            continue;
        }
        const env_run *run = &e->runs[r];
        if (f >= run->start + run->len) {
            r++;
            continue;
        }
        size_t k = f - run->start;
        size_t m = run->len - k < n - i ? run->len - k : n - i;
        if (run->is_const)
            for (size_t q = 0; q < m; q++)
                out[i + q] = run->value;
        else
            memcpy(out + i, e->samples + run->offset + k, m * sizeof(float));
        i += m;
    }
}

objr_status objr_gain_envelope_min(objr_gain_envelope *e, const objr_gain_envelope *other) {
    if (!e || !other)
        return OBJR_ERR_INVALID_ARG;
    objr_gain_envelope *res = NULL;
    objr_status st = objr_gain_envelope_create(&res);
    if (st != OBJR_OK)
        return st;
    size_t len = e->length > other->length ? e->length : other->length;
    float a[ENV_CHUNK], b[ENV_CHUNK];
    for (size_t f = 0; f < len && st == OBJR_OK; f += ENV_CHUNK) {
        size_t n = len - f < ENV_CHUNK ? len - f : ENV_CHUNK;
        env_read(e, f, n, a);
        env_read(other, f, n, b);
        for (size_t i = 0; i < n; i++)
            a[i] = b[i] < a[i] ? b[i] : a[i];
        st = objr_gain_envelope_append(res, a, n);
    }
    if (st != OBJR_OK) {
        objr_gain_envelope_destroy(res);
        return st;
    }
    /* swap contents */
    objr_gain_envelope tmp = *e;
    *e = *res;
    *res = tmp;
    objr_gain_envelope_destroy(res);
    return OBJR_OK;
}

objr_status objr_gain_envelope_apply(const objr_gain_envelope *e, size_t start_frame,
                                     double static_gain, float *const *tracks, unsigned n_tracks,
                                     size_t n_frames) {
    if (!e || (n_frames && n_tracks && !tracks) || !isfinite(static_gain))
        return OBJR_ERR_INVALID_ARG;
    float g[ENV_CHUNK];
    for (size_t f = 0; f < n_frames; f += ENV_CHUNK) {
        size_t n = n_frames - f < ENV_CHUNK ? n_frames - f : ENV_CHUNK;
        env_read(e, start_frame + f, n, g);
        for (size_t i = 0; i < n; i++)
            g[i] = (float)((double)g[i] * static_gain);
        for (unsigned t = 0; t < n_tracks; t++)
            for (size_t i = 0; i < n; i++)
                tracks[t][f + i] *= g[i];
    }
    return OBJR_OK;
}
