/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared room for the binaural renderer: diffuse-field decorrelation filters, a fixed pattern
 * of early reflections through the HRTF, and an 8-line FDN late reverb (Jot & Chaigne 1991;
 * Householder feedback matrix, per-line one-pole damping). */
#include "renderers/binaural/room.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DECORR_TAPS 512
#define N_LINES 8
#define REV_RT60_S 0.7
#define REV_DAMP 0.35f /* one-pole low-pass coefficient in each line */
#define REV_PREDELAY_MS 18.0
#define REV_OUT_GAIN 0.35f

/* 7.1.4 loudspeaker directions without the LFE (ADM azimuth, elevation) */
static const double diffuse_dirs[][2] = {{30, 0},   {-30, 0},  {0, 0},    {90, 0},
                                         {-90, 0},  {135, 0},  {-135, 0}, {45, 45},
                                         {-45, 45}, {135, 45}, {-135, 45}};

/* delay (ms after the direct sound), azimuth, elevation, gain (dB): a small room's first-order
 * reflections, then sparser later ones */
static const double reflections[][4] = {
    {3.1, 0, -50, -4},     {5.3, 0, 55, -6},      {7.7, 70, 0, -5},      {9.1, -65, 0, -5},
    {12.9, 180, 5, -7},    {15.2, 120, 20, -9},   {17.6, -115, 25, -9},  {21.3, 40, 35, -11},
    {24.8, -35, -30, -11}, {29.4, 160, -20, -12}, {33.1, -160, 40, -13}, {37.0, 90, 60, -14}};

static uint64_t rng_next(uint64_t *s) {
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

/* random-phase, flat-magnitude FIR of unit energy (a decorrelator); -1: out of memory */
static int decorrelator(float *x, size_t n, uint64_t seed) {
    size_t nb = n / 2;
    double *ph = objr__calloc(nb + 1, sizeof *ph);
    if (!ph)
        return -1;
    for (size_t k = 0; k <= nb; k++)
        ph[k] = 2 * OBJR_PI * (double)(rng_next(&seed) >> 11) / 9007199254740992.0;
    double en = 0;
    for (size_t i = 0; i < n; i++) {
        double v = 1.0 + ((i & 1) ? -1.0 : 1.0); /* DC and Nyquist, real */
        for (size_t k = 1; k < nb; k++)
            v += 2 * cos(2 * OBJR_PI * (double)k * (double)i / (double)n + ph[k]);
        x[i] = (float)v;
        en += v * v;
    }
    free(ph);
    float g = (float)(1.0 / sqrt(en));
    for (size_t i = 0; i < n; i++)
        x[i] *= g;
    return 0;
}

objr_status objr__broom_diffuse_filter(const objr__hrtf *h, float **left, float **right,
                                       size_t *len) {
    size_t fl = objr__hrtf_filter_len(h), n = fl + DECORR_TAPS - 1;
    size_t nd = sizeof diffuse_dirs / sizeof diffuse_dirs[0];
    float *l = objr__calloc(n, sizeof *l), *r = objr__calloc(n, sizeof *r);
    float *hl = objr__calloc(fl, sizeof *hl), *hr = objr__calloc(fl, sizeof *hr);
    float *dc = objr__calloc(DECORR_TAPS, sizeof *dc);
    if (!l || !r || !hl || !hr || !dc) {
        free(l), free(r), free(hl), free(hr), free(dc);
        return OBJR_ERR_NOMEM;
    }
    float g = (float)(1.0 / sqrt((double)nd));
    for (size_t v = 0; v < nd; v++) {
        double d[3];
        objr__hrtf_dir_from_polar(diffuse_dirs[v][0], diffuse_dirs[v][1], d);
        objr__hrtf_filter(h, d, -1, hl, hr, NULL);
        if (decorrelator(dc, DECORR_TAPS, 0x9E3779B97F4A7C15ULL * (v + 1))) {
            free(l), free(r), free(hl), free(hr), free(dc);
            return OBJR_ERR_NOMEM;
        }
        for (size_t i = 0; i < DECORR_TAPS; i++) {
            float c = dc[i] * g;
            for (size_t k = 0; k < fl; k++) {
                l[i + k] += c * hl[k];
                r[i + k] += c * hr[k];
            }
        }
    }
    free(hl), free(hr), free(dc);
    *left = l, *right = r, *len = n;
    return OBJR_OK;
}

objr_status objr__broom_er_filter(const objr__hrtf *h, float **left, float **right, size_t *len) {
    size_t fl = objr__hrtf_filter_len(h), nr = sizeof reflections / sizeof reflections[0];
    size_t maxd = (size_t)ceil(reflections[nr - 1][0] * 1e-3 * h->rate_hz) + 1;
    size_t n = maxd + fl;
    float *l = objr__calloc(n, sizeof *l), *r = objr__calloc(n, sizeof *r);
    float *hl = objr__calloc(fl, sizeof *hl), *hr = objr__calloc(fl, sizeof *hr);
    if (!l || !r || !hl || !hr) {
        free(l), free(r), free(hl), free(hr);
        return OBJR_ERR_NOMEM;
    }
    for (size_t k = 0; k < nr; k++) {
        double d[3];
        objr__hrtf_dir_from_polar(reflections[k][1], reflections[k][2], d);
        objr__hrtf_filter(h, d, -1, hl, hr, NULL);
        size_t off = (size_t)lround(reflections[k][0] * 1e-3 * h->rate_hz);
        float g = (float)pow(10.0, reflections[k][3] / 20.0);
        for (size_t i = 0; i < fl; i++) {
            l[off + i] += g * hl[i];
            r[off + i] += g * hr[i];
        }
    }
    free(hl), free(hr);
    *left = l, *right = r, *len = n;
    return OBJR_OK;
}

/* ---- FDN late reverb ---- */

static const double line_ms[N_LINES] = {31.7, 37.9, 41.3, 45.1, 53.3, 59.9, 67.3, 73.7};

struct objr__breverb {
    float *buf[N_LINES];
    size_t len[N_LINES], pos[N_LINES];
    float g[N_LINES], lp[N_LINES];
    float *pre;
    size_t pre_len, pre_pos;
};

void objr__breverb_destroy(objr__breverb *r) {
    if (!r)
        return;
    for (int i = 0; i < N_LINES; i++)
        free(r->buf[i]);
    free(r->pre);
    free(r);
}

void objr__breverb_reset(objr__breverb *r) {
    for (int i = 0; i < N_LINES; i++) {
        memset(r->buf[i], 0, r->len[i] * sizeof(float));
        r->lp[i] = 0;
    }
    memset(r->pre, 0, r->pre_len * sizeof(float));
}

objr_status objr__breverb_create(double rate_hz, objr__breverb **out) {
    *out = NULL;
    objr__breverb *r = objr__calloc(1, sizeof *r);
    if (!r)
        return OBJR_ERR_NOMEM;
    for (int i = 0; i < N_LINES; i++) {
        r->len[i] = (size_t)lround(line_ms[i] * 1e-3 * rate_hz);
        if (r->len[i] < 1)
            r->len[i] = 1;
        r->buf[i] = objr__calloc(r->len[i], sizeof(float));
        /* decay so that the loop loses 60 dB in RT60 */
        r->g[i] = (float)pow(10.0, -3.0 * (double)r->len[i] / (rate_hz * REV_RT60_S));
        if (!r->buf[i])
            goto nomem;
    }
    r->pre_len = (size_t)lround(REV_PREDELAY_MS * 1e-3 * rate_hz) + 1;
    r->pre = objr__calloc(r->pre_len, sizeof(float));
    if (!r->pre)
        goto nomem;
    *out = r;
    return OBJR_OK;
nomem:
    objr__breverb_destroy(r);
    return OBJR_ERR_NOMEM;
}

void objr__breverb_process(objr__breverb *r, const float *in, float *out_l, float *out_r,
                           size_t n) {
    static const float sl[N_LINES] = {1, -1, 1, -1, 1, -1, 1, -1};
    static const float sr[N_LINES] = {1, 1, -1, -1, 1, 1, -1, -1};
    static const float si[N_LINES] = {1, 1, 1, 1, -1, -1, -1, -1};
    for (size_t t = 0; t < n; t++) {
        float x = r->pre[r->pre_pos];
        r->pre[r->pre_pos] = in[t];
        if (++r->pre_pos == r->pre_len) /* no division per sample */
            r->pre_pos = 0;
        float y[N_LINES], s = 0, ol = 0, orr = 0;
        for (int i = 0; i < N_LINES; i++) {
            float v = r->buf[i][r->pos[i]];
            ol += sl[i] * v;
            orr += sr[i] * v;
            r->lp[i] = (1.0f - REV_DAMP) * v + REV_DAMP * r->lp[i];
            y[i] = r->lp[i] * r->g[i];
            s += y[i];
        }
        s *= 2.0f / (float)N_LINES; /* Householder: y - 2/N * sum */
        for (int i = 0; i < N_LINES; i++) {
            r->buf[i][r->pos[i]] = y[i] - s + 0.5f * si[i] * x;
            if (++r->pos[i] == r->len[i])
                r->pos[i] = 0;
        }
        out_l[t] += REV_OUT_GAIN * ol;
        out_r[t] += REV_OUT_GAIN * orr;
    }
}

double objr__breverb_ir_energy(objr__breverb *r, double rate_hz) {
    enum { CHUNK = 256 };
    float in[CHUNK], l[CHUNK], rr[CHUNK];
    size_t total = (size_t)ceil(4.0 * REV_RT60_S * rate_hz);
    double e = 0;
    objr__breverb_reset(r);
    for (size_t done = 0; done < total; done += CHUNK) {
        memset(in, 0, sizeof in);
        memset(l, 0, sizeof l);
        memset(rr, 0, sizeof rr);
        in[0] = done == 0 ? 1.0f : 0.0f;
        objr__breverb_process(r, in, l, rr, CHUNK);
        for (size_t i = 0; i < CHUNK; i++)
            e += 0.5 * ((double)l[i] * l[i] + (double)rr[i] * rr[i]);
    }
    objr__breverb_reset(r);
    return e;
}
