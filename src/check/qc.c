/* SPDX-License-Identifier: BSD-3-Clause */
/* Stem QC of the translation check (analyse.h): sample peak, DC (mean), clipping (runs of
 * samples at the clip level, or any over full scale), clicks (a second difference standing out
 * of its 1 ms neighbourhood, times grouped into ranges) and leading/trailing silence. */
#include <math.h>
#include <stdlib.h>

#include "src/check/analyse.h"

#define CLICK_FLOOR 1e-3   /* a click's d2 must exceed -60 dBFS */
#define CLICK_DEAD_S 0.010 /* clicks closer than 10 ms count once */
#define CLICK_JOIN_S 1.0   /* clicks within 1 s of a range's last one join it */

/* A click: the second difference at the centre of a ±W window exceeds ratio x the RMS of the
 * second difference over the window without the centre ±2 samples (a one-sample discontinuity
 * puts its d2 energy in three samples; musical onsets spread theirs over milliseconds). */
static void click_push(objr__check_qc *q, double d2, size_t w, uint64_t dead, double ratio,
                       double centre_s) {
    size_t L = 2 * w + 1;
    double old = q->ring[q->ring_pos];
    q->ring[q->ring_pos] = d2;
    q->ring_ss += d2 * d2 - (q->ring_fill == L ? old * old : 0.0);
    if (q->ring_ss < 0)
        q->ring_ss = 0;
    if (++q->ring_pos == L)
        q->ring_pos = 0;
    if (q->ring_fill < L)
        q->ring_fill++;
    if (q->dead)
        q->dead--;
    if (q->ring_fill < L || q->dead)
        return;
    /* the centre is w samples before the newest (no division or square root per sample) */
    size_t c = q->ring_pos + w < L ? q->ring_pos + w : q->ring_pos + w - L;
    double centre = q->ring[c], near = 0;
    if (fabs(centre) <= CLICK_FLOOR)
        return;
    size_t j = c >= 2 ? c - 2 : c + L - 2;
    for (int k = 0; k < 5; k++) {
        near += q->ring[j] * q->ring[j];
        if (++j == L)
            j = 0;
    }
    double excl = q->ring_ss - near;
    if (excl < 0)
        excl = 0;
    if (centre * centre > ratio * ratio * excl / (double)(L - 5)) {
        if (q->clicks++ == 0)
            q->first_click_s = centre_s;
        q->dead = dead;
        size_t r = q->n_click_ranges;
        if (r && (centre_s - q->click_to_s[r - 1] <= CLICK_JOIN_S ||
                  r == OBJR__CHECK_MAX_CLICK_RANGES)) {
            q->click_to_s[r - 1] = centre_s;
            q->click_count[r - 1]++;
        } else {
            q->click_from_s[r] = q->click_to_s[r] = centre_s;
            q->click_count[r] = 1;
            q->n_click_ranges++;
        }
    }
}

void objr__check_qc_block(objr__check_qc *q, const float *x, size_t n, uint64_t pos, uint32_t rate,
                          const objr_check_thresholds *th) {
    size_t w = (size_t)lround(rate * 0.001);
    if (w > OBJR__CHECK_CLICK_MAX_W)
        w = OBJR__CHECK_CLICK_MAX_W;
    if (w < 8)
        w = 8;
    uint64_t dead = (uint64_t)lround(rate * CLICK_DEAD_S);
    double clip = pow(10.0, th->clip_level_dbfs / 20.0);
    double sil = pow(10.0, th->silence_level_dbfs / 20.0);
    for (size_t i = 0; i < n; i++) {
        double v = x[i], a = fabs(v);
        if (a > q->peak)
            q->peak = a;
        q->sum += v;
        if (a > sil) {
            if (!q->any_loud)
                q->first_loud = pos + i;
            q->any_loud = 1;
            q->last_loud = pos + i;
        }
        /* clipping: runs of >= clip_run samples at the clip level, or any over */
        if (a >= clip) {
            q->run++;
            if (q->run == th->clip_run) {
                q->clipped += th->clip_run;
                if (q->first_clip_s < 0)
                    q->first_clip_s = (double)(pos + i + 1 - th->clip_run) / rate;
            } else if (q->run > th->clip_run)
                q->clipped++;
            else if (a > 1.0) {
                q->clipped++;
                if (q->first_clip_s < 0)
                    q->first_clip_s = (double)(pos + i) / rate;
            }
        } else
            q->run = 0;
        if (q->have2)
            click_push(q, v - 2.0 * q->x1 + q->x2, w, dead, th->click_ratio,
                       ((double)(pos + i) - 1.0 - (double)w) / rate);
        q->x2 = q->x1;
        q->x1 = (float)v;
        q->have2 = q->have1;
        q->have1 = 1;
    }
}

static int cmp_range(const void *a, const void *b) {
    const double *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* A stem's click ranges: its channels' ranges merged in time order (ranges closer than
 * CLICK_JOIN_S join; past the table's size, the last range extends). */
static void stem_click_ranges(objr__check_stem *S, const objr__check_qc *qc, size_t n_ch) {
    double r[16 * OBJR__CHECK_MAX_CLICK_RANGES][3];
    size_t n = 0;
    for (size_t c = 0; c < n_ch && c < 16; c++)
        for (size_t i = 0; i < qc[c].n_click_ranges; i++) {
            r[n][0] = qc[c].click_from_s[i];
            r[n][1] = qc[c].click_to_s[i];
            r[n][2] = (double)qc[c].click_count[i];
            n++;
        }
    qsort(r, n, sizeof r[0], cmp_range);
    for (size_t i = 0; i < n; i++) {
        size_t m = S->n_click_ranges;
        if (m &&
            (r[i][0] - S->click_to_s[m - 1] <= CLICK_JOIN_S || m == OBJR__CHECK_MAX_CLICK_RANGES)) {
            if (r[i][1] > S->click_to_s[m - 1])
                S->click_to_s[m - 1] = r[i][1];
            S->click_count[m - 1] += (uint64_t)r[i][2];
            continue;
        }
        S->click_from_s[m] = r[i][0];
        S->click_to_s[m] = r[i][1];
        S->click_count[m] = (uint64_t)r[i][2];
        S->n_click_ranges++;
    }
}

void objr__check_qc_collect(objr__check_stem *S, const objr__check_qc *qc, size_t n_ch,
                            uint64_t total, uint32_t rate, double duration_s) {
    double peak = 0, dc = 0;
    uint64_t first = UINT64_MAX, lastl = 0;
    int any = 0;
    S->first_clip_s = -1;
    for (size_t c = 0; c < n_ch; c++) {
        const objr__check_qc *q = &qc[c];
        if (q->peak > peak)
            peak = q->peak;
        double mean = total ? fabs(q->sum / (double)total) : 0;
        if (mean > dc)
            dc = mean;
        S->n_clipped += q->clipped;
        if (q->clicks && (S->n_clicks == 0 || q->first_click_s < S->first_click_s))
            S->first_click_s = q->first_click_s;
        S->n_clicks += q->clicks;
        if (q->first_clip_s >= 0 && (S->first_clip_s < 0 || q->first_clip_s < S->first_clip_s))
            S->first_clip_s = q->first_clip_s;
        if (q->any_loud) {
            any = 1;
            if (q->first_loud < first)
                first = q->first_loud;
            if (q->last_loud > lastl)
                lastl = q->last_loud;
        }
    }
    stem_click_ranges(S, qc, n_ch);
    S->peak_dbfs = peak > 0 ? 20.0 * log10(peak) : -HUGE_VAL;
    S->dc_dbfs = dc > 0 ? 20.0 * log10(dc) : -HUGE_VAL;
    S->lead_silence_s = any ? (double)first / rate : duration_s;
    S->trail_silence_s = any ? (double)(total - 1 - lastl) / rate : duration_s;
}
