/* SPDX-License-Identifier: BSD-3-Clause */
/* Translation checks across the renders of one mix (REFERENCES.md §5.2): loudness, LRA and
 * true-peak deltas (ITU-R BS.1770-4/-5, EBU Tech 3342), phase correlation over 400 ms windows,
 * mono compatibility, third-octave spectral balance after loudness matching, per-object
 * audibility (each object rendered alone through the same renderer), and QC of the stems. */
#include "src/check/checks.h"

#include <fftw3.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/adm_model.h"
#include "formats/audio_io.h"
#include "objrender/objr.h"
#include "objrender/objr_check.h"
#include "objrender/objr_outfile.h"
#include "renderers/binaural/hrtf.h"
#include "renderers/folddown.h"
#include "src/core/fftw_lock.h"
#include "src/core/geom.h"

#define MAX_LAYOUTS 6   /* 7.1.4 and every direct render: 5.1 2.0 7.1 5.1.4 binaural */
#define SILENT_MS 1e-10 /* mean square under which a correlation window is silent (-100 dBFS) */

/* ---------------------------------------------------------------------------------------- */
/* Thresholds and configuration                                                              */

objr_check_thresholds objr_check_thresholds_default(void) {
    objr_check_thresholds t;
    memset(&t, 0, sizeof t);
    t.loudness_delta_warn_lu = 2.0;
    t.loudness_delta_fail_lu = 4.0;
    t.lra_delta_warn_lu = 3.0;
    t.lra_delta_fail_lu = 6.0;
    t.true_peak_ceiling_dbtp = -1.0;
    t.limiter_fail_db = 3.0;
    t.corr_p5_warn = 0.0;
    t.corr_p5_fail = -0.3;
    t.mono_loss_warn_lu = 3.0;
    t.mono_loss_fail_lu = 6.0;
    t.band_warn_db = 3.0;
    t.band_fail_db = 6.0;
    t.object_drop_warn_db = 4.0;
    t.object_drop_fail_db = 8.0;
    t.object_mono_warn_lu = 4.5;
    t.object_mono_fail_lu = 9.0;
    t.clip_level_dbfs = -0.01;
    t.clip_run = 3;
    t.headroom_warn_dbfs = -3.0;
    t.headroom_fail_dbfs = 0.0;
    t.dc_warn_dbfs = -50.0;
    t.dc_fail_dbfs = -40.0;
    t.click_ratio = 12.0;
    t.silence_level_dbfs = -60.0;
    t.lead_silence_warn_s = 2.0;
    t.trail_silence_warn_s = 5.0;
    return t;
}

objr_status objr_check_thresholds_set(objr_check_thresholds *t, const char *name, double value) {
    if (isnan(value))
        return OBJR_ERR_RANGE;
    static const struct {
        const char *name;
        size_t off;
    } tab[] = {
#define F(n, f) {n, offsetof(objr_check_thresholds, f)}
        F("loudness_delta_warn", loudness_delta_warn_lu),
        F("loudness_delta_fail", loudness_delta_fail_lu),
        F("lra_delta_warn", lra_delta_warn_lu),
        F("lra_delta_fail", lra_delta_fail_lu),
        F("true_peak_ceiling", true_peak_ceiling_dbtp),
        F("limiter_fail", limiter_fail_db),
        F("corr_p5_warn", corr_p5_warn),
        F("corr_p5_fail", corr_p5_fail),
        F("mono_loss_warn", mono_loss_warn_lu),
        F("mono_loss_fail", mono_loss_fail_lu),
        F("band_warn", band_warn_db),
        F("band_fail", band_fail_db),
        F("object_drop_warn", object_drop_warn_db),
        F("object_drop_fail", object_drop_fail_db),
        F("object_mono_warn", object_mono_warn_lu),
        F("object_mono_fail", object_mono_fail_lu),
        F("clip_level", clip_level_dbfs),
        F("headroom_warn", headroom_warn_dbfs),
        F("headroom_fail", headroom_fail_dbfs),
        F("dc_warn", dc_warn_dbfs),
        F("dc_fail", dc_fail_dbfs),
        F("click_ratio", click_ratio),
        F("silence_level", silence_level_dbfs),
        F("lead_silence_warn", lead_silence_warn_s),
        F("trail_silence_warn", trail_silence_warn_s),
#undef F
    };
    if (strcmp(name, "clip_run") == 0) {
        if (!(value >= 1 && value <= 1000))
            return OBJR_ERR_RANGE;
        t->clip_run = (unsigned)value;
        return OBJR_OK;
    }
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strcmp(name, tab[i].name) == 0) {
            double *p = (double *)(void *)((char *)t + tab[i].off);
            *p = value;
            return OBJR_OK;
        }
    return OBJR_ERR_INVALID_ARG;
}

objr_check_config objr_check_config_default(void) {
    objr_check_config c;
    memset(&c, 0, sizeof c);
    c.thresholds = objr_check_thresholds_default();
    c.foldown = objr_foldown_config_default();
    c.per_object = 1;
    c.max_objects = 64;
    c.max_binaural_objects = 16;
    c.binaural_diffuse_eq = 1;
    return c;
}

static const char *const band_names[OBJR__CHECK_N_BANDS] = {
    "31.5 Hz", "40 Hz",  "50 Hz",    "63 Hz",   "80 Hz",  "100 Hz",   "125 Hz",
    "160 Hz",  "200 Hz", "250 Hz",   "315 Hz",  "400 Hz", "500 Hz",   "630 Hz",
    "800 Hz",  "1 kHz",  "1.25 kHz", "1.6 kHz", "2 kHz",  "2.5 kHz",  "3.15 kHz",
    "4 kHz",   "5 kHz",  "6.3 kHz",  "8 kHz",   "10 kHz", "12.5 kHz", "16 kHz"};

const char *objr__check_band_name(int b) {
    return b >= 0 && b < OBJR__CHECK_N_BANDS ? band_names[b] : "";
}

double objr__check_band_centre_hz(int b) {
    return 1000.0 * pow(10.0, (double)(b + OBJR__CHECK_BAND_K0) / 10.0);
}

const char *objr__check_verdict_name(objr_check_verdict v) {
    return v == OBJR_CHECK_FAIL ? "fail" : v == OBJR_CHECK_WARN ? "warn" : "pass";
}

/* ---------------------------------------------------------------------------------------- */
/* Findings                                                                                  */

static objr_status OBJR_PRINTF(7, 8)
    add_finding(objr_check_report *r, const char *check, objr_check_verdict v, const char *render,
                const char *subject, double value, const char *fmt, ...) {
    if (r->n_findings == r->cap_findings) {
        size_t cap = r->cap_findings ? 2 * r->cap_findings : 32;
        objr__check_finding *p = objr__realloc_array(r->findings, cap, sizeof *p);
        if (!p)
            return OBJR_ERR_NOMEM;
        r->findings = p;
        r->cap_findings = cap;
    }
    objr__check_finding *f = &r->findings[r->n_findings++];
    memset(f, 0, sizeof *f);
    snprintf(f->check, sizeof f->check, "%s", check);
    f->verdict = v;
    snprintf(f->render, sizeof f->render, "%s", render ? render : "");
    snprintf(f->subject, sizeof f->subject, "%s", subject ? subject : "");
    f->value = value;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof f->message, fmt, ap);
    va_end(ap);
    return OBJR_OK;
}

static objr_check_verdict above(double v, double warn, double fail) {
    return v > fail ? OBJR_CHECK_FAIL : v > warn ? OBJR_CHECK_WARN : OBJR_CHECK_PASS;
}

static double db_pow(double p) {
    return p > 0 ? 10.0 * log10(p) : -HUGE_VAL;
}

/* ---------------------------------------------------------------------------------------- */
/* Render specifications                                                                     */

typedef struct render_spec {
    const char *key, *name;
    const char *direct; /* layout name for direct renders, NULL for fold-downs */
    int fold;           /* objr_foldown_kind, -1 for direct */
    const char *labels; /* fold target labels */
} render_spec;

static const render_spec specs[] = {
    {"7.1.4", "7.1.4", "7.1.4", -1, NULL},
    {"5.1", "5.1", "5.1", -1, NULL},
    {"2.0", "2.0", "2.0", -1, NULL},
    {"7.1", "7.1", "7.1", -1, NULL},
    {"5.1.4", "5.1.4", "5.1.4", -1, NULL},
    {"5.1-fold", "5.1 fold-down", NULL, OBJR_FOLDOWN_714_TO_51,
     "M+030 M-030 M+000 LFE1 M+110 M-110"},
    {"7.1-fold", "7.1 fold-down", NULL, OBJR_FOLDOWN_714_TO_71,
     "M+030 M-030 M+000 LFE1 M+135 M-135 M+090 M-090"},
    {"5.1.4-fold", "5.1.4 fold-down", NULL, OBJR_FOLDOWN_714_TO_514,
     "M+030 M-030 M+000 LFE1 M+110 M-110 U+030 U-030 U+110 U-110"},
    {"loro", "2.0 Lo/Ro fold-down", NULL, OBJR_FOLDOWN_714_TO_LORO, "M+030 M-030"},
    {"ltrt", "2.0 Lt/Rt fold-down", NULL, OBJR_FOLDOWN_714_TO_LTRT, "M+030 M-030"},
    /* the renderer's "binaural" layout: ear signals L, R (BS.1770 weights 1, 1) */
    {"binaural", "binaural", "binaural", -1, NULL},
};
#define N_SPECS (sizeof specs / sizeof specs[0])

static int is_binaural_spec(const render_spec *sp) {
    return sp->direct && strcmp(sp->direct, "binaural") == 0;
}

static const render_spec *find_spec(const char *key) {
    for (size_t i = 0; i < N_SPECS; i++)
        if (strcmp(specs[i].key, key) == 0)
            return &specs[i];
    return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Analysers                                                                                 */

typedef struct spectrum {
    size_t n_fft, n_ch;
    float *ring; /* n_ch x n_fft */
    double *acc; /* n_fft/2+1, weighted power summed over channels and frames */
    double w[16];
    uint64_t total, since;
    size_t n_frames_analysed;
} spectrum;

typedef struct fft_ctx {
    size_t n;
    float *in, *win;
    fftwf_complex *out;
    fftwf_plan plan;
} fft_ctx;

typedef struct analyser {
    const render_spec *rspec;
    size_t n_ch;
    const float *ch[16];
    objr_loudness_meter *meter;
    int full;
    /* full only */
    objr_loudness_meter *mono;
    float *mbuf;
    double *st, *corr;
    size_t n_st, n_corr, cap;
    double hop_lr[OBJR__CHECK_CORR_HOPS], hop_ll[OBJR__CHECK_CORR_HOPS],
        hop_rr[OBJR__CHECK_CORR_HOPS];
    size_t n_hops;
    double g_lr, g_ll, g_rr, e_m, e_s;
    spectrum spec;
    /* silence of the reference */
    uint64_t first_loud, last_loud, frames;
    int any_loud;
    double peak;
} analyser;

typedef struct chain {
    objr_renderer *rend;
    size_t n_out;
    float **out;
    const float **in;
    size_t first714; /* first output channel of the 7.1.4 layout */
    objr_foldown *fold[OBJR_CHECK_MAX_RENDERS];
    float *fold_out[OBJR_CHECK_MAX_RENDERS][12];
    analyser an[OBJR_CHECK_MAX_RENDERS];
    size_t n_an;
    /* Full chain with a binaural render: the 7.1.4 reference heard at the ears, i.e. its 12
     * loudspeaker feeds as virtual loudspeakers through the same HRTF set and room mode. */
    objr_binaural *vls;
    float *vls_out[2];
    analyser ear;
} chain;

static void analyser_free(analyser *a) {
    objr_loudness_meter_destroy(a->meter);
    objr_loudness_meter_destroy(a->mono);
    objr__freep(&a->mbuf);
    objr__freep(&a->st);
    objr__freep(&a->corr);
    objr__freep(&a->spec.ring);
    objr__freep(&a->spec.acc);
}

static void chain_free(chain *c) {
    if (!c)
        return;
    objr_renderer_destroy(c->rend);
    if (c->out)
        for (size_t i = 0; i < c->n_out; i++)
            objr__freep(&c->out[i]);
    objr__freep(&c->out);
    objr__freep(&c->in);
    for (size_t k = 0; k < OBJR_CHECK_MAX_RENDERS; k++) {
        objr_foldown_destroy(c->fold[k]);
        for (size_t i = 0; i < 12; i++)
            objr__freep(&c->fold_out[k][i]);
    }
    for (size_t k = 0; k < c->n_an; k++)
        analyser_free(&c->an[k]);
    objr_binaural_destroy(c->vls);
    objr__freep(&c->vls_out[0]);
    objr__freep(&c->vls_out[1]);
    analyser_free(&c->ear);
}

static size_t split_labels(const char *s, char out[16][16]) {
    size_t n = 0;
    while (*s && n < 16) {
        while (*s == ' ')
            s++;
        size_t k = 0;
        while (*s && *s != ' ') {
            if (k < 15)
                out[n][k++] = *s;
            s++;
        }
        out[n][k] = 0;
        if (k)
            n++;
    }
    return n;
}

static objr_status analyser_init(analyser *a, const render_spec *sp, char labels[16][16], size_t n,
                                 uint32_t rate, int full, size_t hop, size_t n_fft) {
    a->rspec = sp;
    a->n_ch = n;
    a->full = full;
    double w[16];
    const char *lp[16];
    for (size_t c = 0; c < n; c++)
        lp[c] = labels[c];
    if (objr_loudness_weights_from_labels(lp, (unsigned)n, w) != OBJR_OK)
        objr_loudness_weights_default((unsigned)n, w);
    objr_loudness_config lc = objr_loudness_config_default();
    lc.rate_hz = rate;
    lc.n_channels = (unsigned)n;
    lc.weights = w;
    lc.true_peak = full;
    objr_status st = objr_loudness_meter_create(&lc, &a->meter);
    if (st != OBJR_OK)
        return st;
    if (n == 2) { /* mono compatibility: M = (L+R)/2 played on both speakers */
        objr_loudness_config mc = lc;
        mc.weights = NULL;
        mc.true_peak = 0;
        if ((st = objr_loudness_meter_create(&mc, &a->mono)) != OBJR_OK)
            return st;
        if (!(a->mbuf = objr__calloc(hop, sizeof *a->mbuf)))
            return OBJR_ERR_NOMEM;
    }
    if (!full)
        return OBJR_OK;
    a->spec.n_fft = n_fft;
    a->spec.n_ch = n;
    for (size_t c = 0; c < n; c++) /* spectra count the LFE (lost bass is the point) */
        a->spec.w[c] = w[c] > 0 ? w[c] : 1.0;
    size_t sz;
    if (!objr__mul_size(n, n_fft, &sz) || !(a->spec.ring = objr__calloc(sz, sizeof(float))) ||
        !(a->spec.acc = objr__calloc(n_fft / 2 + 1, sizeof(double))))
        return OBJR_ERR_NOMEM;
    return OBJR_OK;
}

static objr_status push_series(analyser *a, double st, double corr) {
    if (a->n_st == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 256;
        double *s = objr__realloc_array(a->st, cap, sizeof *s);
        if (!s)
            return OBJR_ERR_NOMEM;
        a->st = s;
        double *c = objr__realloc_array(a->corr, cap, sizeof *c);
        if (!c)
            return OBJR_ERR_NOMEM;
        a->corr = c;
        a->cap = cap;
    }
    a->st[a->n_st++] = st;
    if (a->n_ch == 2)
        a->corr[a->n_corr++] = corr;
    return OBJR_OK;
}

static void spectrum_analyse(spectrum *s, fft_ctx *f) {
    size_t n = s->n_fft, wp = (size_t)(s->total % n);
    for (size_t c = 0; c < s->n_ch; c++) {
        const float *ring = s->ring + c * n;
        for (size_t i = 0; i < n; i++)
            f->in[i] = ring[(wp + i) % n] * f->win[i];
        fftwf_execute_dft_r2c(f->plan, f->in, f->out);
        for (size_t k = 0; k <= n / 2; k++) {
            double re = f->out[k][0], im = f->out[k][1];
            s->acc[k] += s->w[c] * (re * re + im * im);
        }
    }
    s->n_frames_analysed++;
    s->since = 0;
}

/* Long-term third-octave band levels (dB) of @p s: a last (zero-padded) frame first when the
 * signal was short or a tail is left. */
static void band_levels(spectrum *s, fft_ctx *fft, uint32_t rate, double *band_db) {
    if (s->total > 0 && (s->n_frames_analysed == 0 || s->since >= s->n_fft / 4))
        spectrum_analyse(s, fft);
    double df = (double)rate / (double)s->n_fft;
    for (int b = 0; b < OBJR__CHECK_N_BANDS; b++) {
        double fc = objr__check_band_centre_hz(b), lo = fc * pow(10.0, -0.05),
               hi = fc * pow(10.0, 0.05), e = 0;
        for (size_t kk = (size_t)ceil(lo / df); kk <= s->n_fft / 2 && (double)kk * df < hi; kk++)
            e += s->acc[kk];
        band_db[b] = db_pow(s->n_frames_analysed ? e / (double)s->n_frames_analysed : 0);
    }
}

static objr_status analyser_feed(analyser *a, size_t n, uint64_t pos, double silence_lin,
                                 fft_ctx *fft) {
    objr_status st = objr_loudness_meter_add_f32(a->meter, a->ch, n);
    if (st != OBJR_OK)
        return st;
    if (!a->full) {
        if (a->n_ch != 2)
            return OBJR_OK;
        for (size_t i = 0; i < n; i++)
            a->mbuf[i] = 0.5f * (a->ch[0][i] + a->ch[1][i]);
        const float *mm[2] = {a->mbuf, a->mbuf};
        return objr_loudness_meter_add_f32(a->mono, mm, n);
    }
    double mom, stl;
    objr_loudness_meter_get_current(a->meter, &mom, &stl);
    double corr = NAN;
    if (a->n_ch == 2) {
        const float *L = a->ch[0], *R = a->ch[1];
        double lr = 0, ll = 0, rr = 0, em = 0, es = 0;
        for (size_t i = 0; i < n; i++) {
            double l = L[i], r = R[i];
            lr += l * r;
            ll += l * l;
            rr += r * r;
            double m = 0.5 * (l + r), s = 0.5 * (l - r);
            em += m * m;
            es += s * s;
            a->mbuf[i] = (float)m;
        }
        size_t h = a->n_hops % OBJR__CHECK_CORR_HOPS;
        a->hop_lr[h] = lr;
        a->hop_ll[h] = ll;
        a->hop_rr[h] = rr;
        a->n_hops++;
        a->g_lr += lr;
        a->g_ll += ll;
        a->g_rr += rr;
        a->e_m += em;
        a->e_s += es;
        if (a->n_hops >= OBJR__CHECK_CORR_HOPS) {
            double wlr = 0, wll = 0, wrr = 0;
            for (int k = 0; k < OBJR__CHECK_CORR_HOPS; k++) {
                wlr += a->hop_lr[k];
                wll += a->hop_ll[k];
                wrr += a->hop_rr[k];
            }
            double nn = (double)n * OBJR__CHECK_CORR_HOPS;
            if (wll / nn > SILENT_MS && wrr / nn > SILENT_MS)
                corr = wlr / sqrt(wll * wrr);
        }
        const float *mm[2] = {a->mbuf, a->mbuf};
        if ((st = objr_loudness_meter_add_f32(a->mono, mm, n)) != OBJR_OK)
            return st;
    }
    if ((st = push_series(a, stl, corr)) != OBJR_OK)
        return st;
    /* silence and peak over all channels */
    for (size_t i = 0; i < n; i++) {
        double m = 0;
        for (size_t c = 0; c < a->n_ch; c++) {
            double v = fabs(a->ch[c][i]);
            if (v > m)
                m = v;
        }
        if (m > a->peak)
            a->peak = m;
        if (m > silence_lin) {
            if (!a->any_loud)
                a->first_loud = pos + i;
            a->any_loud = 1;
            a->last_loud = pos + i;
        }
    }
    a->frames = pos + n;
    /* spectrum ring */
    spectrum *s = &a->spec;
    for (size_t i = 0; i < n; i++) {
        size_t wp = (size_t)(s->total % s->n_fft);
        for (size_t c = 0; c < s->n_ch; c++)
            s->ring[c * s->n_fft + wp] = a->ch[c][i];
        s->total++;
        s->since++;
        if (s->total >= s->n_fft && s->since >= s->n_fft / 2)
            spectrum_analyse(s, fft);
    }
    return OBJR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Stems and QC                                                                              */

#define CLICK_MAX_W 192    /* 1 ms at 192 kHz */
#define CLICK_FLOOR 1e-3   /* a click's d2 must exceed -60 dBFS */
#define CLICK_DEAD_S 0.010 /* clicks closer than 10 ms count once */

typedef struct qc_ch {
    float x1, x2;
    int have1, have2;
    unsigned run;
    uint64_t clipped;
    double sum;
    uint64_t first_loud, last_loud;
    int any_loud;
    /* clicks: the second difference d2 over a ring of 2W+1 samples (W = 1 ms) */
    double ring[2 * CLICK_MAX_W + 1];
    double ring_ss; /* sum of squares in the ring */
    size_t ring_pos, ring_fill;
    uint64_t dead; /* samples left in the dead time after a click */
    uint64_t clicks;
    double first_click_s;
    double peak;
    double first_clip_s;
} qc_ch;

typedef struct stem {
    const char *path;
    const char *file; /* as written in mix.xml (the renderer reports this when it has no base) */
    objr__audio_reader *reader;
    objr__audio_info info;
    float **buf;
    qc_ch *qc;
} stem;

/* A click: the second difference at the centre of a ±W window exceeds ratio x the RMS of the
 * second difference over the window without the centre ±2 samples (a one-sample discontinuity
 * puts its d2 energy in three samples; musical onsets spread theirs over milliseconds). */
static void click_push(qc_ch *q, double d2, size_t w, uint64_t dead, double ratio,
                       double centre_s) {
    size_t L = 2 * w + 1;
    double old = q->ring[q->ring_pos];
    q->ring[q->ring_pos] = d2;
    q->ring_ss += d2 * d2 - (q->ring_fill == L ? old * old : 0.0);
    if (q->ring_ss < 0)
        q->ring_ss = 0;
    q->ring_pos = (q->ring_pos + 1) % L;
    if (q->ring_fill < L)
        q->ring_fill++;
    if (q->dead)
        q->dead--;
    if (q->ring_fill < L)
        return;
    /* the centre is w samples before the newest */
    size_t c = (q->ring_pos + w) % L;
    double centre = fabs(q->ring[c]), near = 0;
    for (int k = -2; k <= 2; k++) {
        double v = q->ring[(c + L + (size_t)(k + 2) - 2) % L];
        near += v * v;
    }
    double excl = q->ring_ss - near;
    double rms = excl > 0 ? sqrt(excl / (double)(L - 5)) : 0.0;
    if (!q->dead && centre > CLICK_FLOOR && centre > ratio * rms) {
        if (q->clicks++ == 0)
            q->first_click_s = centre_s;
        q->dead = dead;
    }
}

static void qc_block(qc_ch *q, const float *x, size_t n, uint64_t pos, uint32_t rate,
                     const objr_check_thresholds *th, int last) {
    size_t w = (size_t)lround(rate * 0.001);
    if (w > CLICK_MAX_W)
        w = CLICK_MAX_W;
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
    (void)last;
}

static const char *base_name(const char *p) {
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int looks_like_xml(const char *path) {
    size_t n = strlen(path);
    if (n >= 4 && (strcmp(path + n - 4, ".xml") == 0 || strcmp(path + n - 4, ".XML") == 0))
        return 1;
    if (objr_input_check(path, NULL) != OBJR_OK)
        return 0; /* never open a FIFO to peek: the reader reports it */
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    int c;
    do
        c = fgetc(f);
    while (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xEF || c == 0xBB || c == 0xBF);
    fclose(f);
    return c == '<';
}

/* ---------------------------------------------------------------------------------------- */
/* Objects                                                                                   */

static void pos_add(objr__check_object *o, double x, double y, double z) {
    if (o->n_pos < OBJR__CHECK_MAX_POS) {
        o->pos[o->n_pos][0] = x;
        o->pos[o->n_pos][1] = y;
        o->pos[o->n_pos][2] = z;
        o->n_pos++;
    }
}

static void polar_xyz(double az, double el, double d, double *x, double *y, double *z) {
    double v[3];
    objr__geom_cart(az, el, d, v);
    *x = v[0];
    *y = v[1];
    *z = v[2];
}

static void object_positions(const objr__adm_model *m, const objr__adm_object *ob,
                             objr__check_object *o) {
    for (size_t u = 0; u < ob->track_uids.n; u++) {
        int32_t ui = ob->track_uids.items[u].idx;
        if (ui < 0 || (size_t)ui >= m->n_uids)
            continue;
        int32_t ci = m->uids[ui].resolved_channel;
        if (ci < 0 || (size_t)ci >= m->n_channels)
            continue;
        const objr__adm_channel *ch = &m->channels[ci];
        size_t nb = ch->n_blocks, step = nb > 60 ? nb / 60 : 1;
        for (size_t b = 0; b < nb; b += step) {
            double x = 0, y = 0, z = 0;
            if (ch->objects) {
                const objr__adm_position *p = &ch->objects[b].pos;
                if (p->cartesian) {
                    x = p->x;
                    y = p->y;
                    z = p->z;
                } else
                    polar_xyz(p->azimuth_deg, p->elevation_deg, p->distance, &x, &y, &z);
            } else if (ch->direct_speakers) {
                const objr__adm_block_direct_speakers *d = &ch->direct_speakers[b];
                if (d->cartesian) {
                    x = d->coord[0].value;
                    y = d->coord[1].value;
                    z = d->coord[2].value;
                } else
                    polar_xyz(d->coord[0].value, d->coord[1].value, 1.0, &x, &y, &z);
            } else
                continue;
            pos_add(o, x, y, z);
        }
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The run                                                                                   */

typedef struct run_ctx {
    objr_check_report *rep;
    const objr_check_config *cfg;
    objr_adm *scene;
    objr__audio_reader *main;
    objr__audio_info main_info;
    float **main_buf;
    stem *stems;
    size_t n_stems;
    const render_spec *rs[OBJR_CHECK_MAX_RENDERS];
    size_t n_rs;
    const char *layouts[MAX_LAYOUTS];
    size_t n_layouts;
    chain full;
    chain *objs;
    size_t n_objs;
    size_t **obj_inputs;
    size_t *obj_n_inputs;
    float *zeros;
    size_t hop;
    fft_ctx fft;
    uint32_t rate;
    uint32_t n_tracks;
} run_ctx;

/* One renderer and its analysers. @p with_binaural 0 leaves the binaural layout out of the
 * renderer (objects past max_binaural_objects): its analyser stays empty (meter NULL). */
static objr_status chain_init(run_ctx *x, chain *c, int full, int with_binaural, objr_diag *diag) {
    objr_renderer_config rc = objr_renderer_config_default();
    rc.programme_id = x->cfg->programme_id;
    rc.max_block_frames = x->hop;
    rc.hrtf_path = x->cfg->hrtf_path;
    rc.binaural_mode = x->cfg->binaural_mode;
    rc.binaural_diffuse_eq = x->cfg->binaural_diffuse_eq;
    const char *lays[MAX_LAYOUTS];
    size_t n_lays = 0;
    for (size_t l = 0; l < x->n_layouts; l++)
        if (with_binaural || strcmp(x->layouts[l], "binaural") != 0)
            lays[n_lays++] = x->layouts[l];
    objr_status st =
        objr_renderer_create_adm(&rc, x->scene, x->n_tracks, x->rate, lays, n_lays, diag, &c->rend);
    if (st != OBJR_OK)
        return st;
    c->n_out = objr_renderer_output_count(c->rend);
    size_t n_in = objr_renderer_input_count(c->rend);
    c->out = objr__calloc(c->n_out, sizeof *c->out);
    c->in = objr__calloc(n_in ? n_in : 1, sizeof *c->in);
    if (!c->out || !c->in)
        return OBJR_ERR_NOMEM;
    for (size_t i = 0; i < c->n_out; i++)
        if (!(c->out[i] = objr__calloc(x->hop, sizeof(float))))
            return OBJR_ERR_NOMEM;
    {
        const char *name;
        size_t first, n;
        uint32_t mask;
        if (objr_renderer_layout_info(c->rend, 0, &name, &first, &n, &mask) != OBJR_OK)
            return OBJR_ERR_INTERNAL;
        c->first714 = first;
    }
    for (size_t k = 0; k < x->n_rs; k++) {
        const render_spec *sp = x->rs[k];
        char labels[16][16];
        size_t n = 0;
        analyser *a = &c->an[k];
        if (is_binaural_spec(sp) && !with_binaural) {
            c->n_an = k + 1; /* not measured in this chain */
            continue;
        }
        if (sp->direct) {
            size_t l = 0;
            while (l < n_lays && strcmp(lays[l], sp->direct) != 0)
                l++;
            const char *name;
            size_t first;
            uint32_t mask;
            if (l == n_lays ||
                objr_renderer_layout_info(c->rend, l, &name, &first, &n, &mask) != OBJR_OK ||
                n > 16)
                return OBJR_ERR_INTERNAL;
            for (size_t ch = 0; ch < n; ch++) {
                snprintf(labels[ch], 16, "%s", objr_renderer_channel_label(c->rend, first + ch));
                a->ch[ch] = c->out[first + ch];
            }
        } else {
            n = split_labels(sp->labels, labels);
            if ((st = objr_foldown_create((objr_foldown_kind)sp->fold, &x->cfg->foldown, x->hop,
                                          &c->fold[k])) != OBJR_OK)
                return st;
            for (size_t ch = 0; ch < n; ch++) {
                if (!(c->fold_out[k][ch] = objr__calloc(x->hop, sizeof(float))))
                    return OBJR_ERR_NOMEM;
                a->ch[ch] = c->fold_out[k][ch];
            }
        }
        c->n_an = k + 1;
        if ((st = analyser_init(a, sp, labels, n, x->rate, full, x->hop, x->fft.n)) != OBJR_OK)
            return st;
        if (full) {
            objr__check_render *R = &x->rep->renders[k];
            snprintf(R->key, sizeof R->key, "%s", sp->key);
            snprintf(R->name, sizeof R->name, "%s", sp->name);
            R->is_reference = k == 0;
            R->is_foldown = sp->direct == NULL;
            R->is_binaural = is_binaural_spec(sp);
            R->n_channels = n;
            /* ear signals are not loudspeaker stereo: no correlation or mono checks */
            R->is_stereo = n == 2 && !R->is_binaural;
            for (size_t ch = 0; ch < n; ch++)
                snprintf(R->labels[ch], 16, "%s", labels[ch]);
        }
    }
    return OBJR_OK;
}

/* The 7.1.4 reference as a listener in that room hears it, to compare the binaural render
 * with like for like: the reference's loudspeaker feeds (file order) as sources of a binaural
 * renderer at the loudspeakers' directions (LFE as the LFE), with the same HRTF set and room
 * mode as the binaural render. Both then carry the set's colouring (ear canal, pinna, its
 * measurement chain) and the room; what differs is what the binaural render does differently
 * (objects at their own directions instead of phantom images between loudspeakers). */
static objr_status vls_init(run_ctx *x, chain *c, const objr__check_render *ref, objr_diag *diag) {
    objr_binaural_config bc = objr_binaural_config_default();
    bc.hrtf_path = x->cfg->hrtf_path;
    bc.diffuse_eq = x->cfg->binaural_diffuse_eq;
    bc.sample_rate_hz = (double)x->rate;
    bc.max_sources = ref->n_channels;
    if (x->cfg->binaural_mode)
        bc.default_mode = (objr_binaural_mode)x->cfg->binaural_mode;
    objr_status st = objr_binaural_create(&bc, diag, &c->vls);
    if (st != OBJR_OK)
        return st;
    objr_layout *lay = NULL;
    if ((st = objr_layout_from_name("7.1.4", &lay)) != OBJR_OK)
        return st;
    for (size_t ch = 0; ch < ref->n_channels && st == OBJR_OK; ch++) {
        objr_speaker_info si;
        int found = 0;
        for (size_t k = 0; k < objr_layout_n_channels(lay) && !found; k++)
            found = objr_layout_channel_info(lay, k, &si) == OBJR_OK &&
                    strcmp(si.label, ref->labels[ch]) == 0;
        if (!found) {
            st = OBJR_ERR_INTERNAL;
            break;
        }
        objr_binaural_source src = objr_binaural_source_default();
        src.azimuth_deg = si.azimuth_deg;
        src.elevation_deg = si.elevation_deg;
        src.lfe = si.is_lfe;
        st = objr_binaural_set_source(c->vls, ch, &src);
    }
    objr_layout_destroy(lay);
    if (st != OBJR_OK)
        return st;
    for (int e = 0; e < 2; e++)
        if (!(c->vls_out[e] = objr__calloc(x->hop, sizeof(float))))
            return OBJR_ERR_NOMEM;
    char labels[16][16] = {"M+030", "M-030"}; /* two ears, BS.1770 weights 1 and 1 */
    c->ear.ch[0] = c->vls_out[0];
    c->ear.ch[1] = c->vls_out[1];
    return analyser_init(&c->ear, &specs[0], labels, 2, x->rate, 1, x->hop, x->fft.n);
}

static objr_status chain_process(run_ctx *x, chain *c, size_t n, uint64_t pos) {
    objr_status st = objr_renderer_process(c->rend, c->in, c->out, n);
    if (st != OBJR_OK)
        return st;
    const float *in714[12];
    for (size_t i = 0; i < 12; i++)
        in714[i] = c->out[c->first714 + i];
    double sil = pow(10.0, x->cfg->thresholds.silence_level_dbfs / 20.0);
    for (size_t k = 0; k < c->n_an; k++) {
        if (c->fold[k] &&
            (st = objr_foldown_process(c->fold[k], in714, c->fold_out[k], n)) != OBJR_OK)
            return st;
        if (c->an[k].meter && (st = analyser_feed(&c->an[k], n, pos, sil, &x->fft)) != OBJR_OK)
            return st;
    }
    if (c->vls) {
        if ((st = objr_binaural_process(c->vls, in714, c->vls_out[0], c->vls_out[1], n)) !=
                OBJR_OK ||
            (st = analyser_feed(&c->ear, n, pos, sil, &x->fft)) != OBJR_OK)
            return st;
    }
    return OBJR_OK;
}

static void fft_free(fft_ctx *f) {
    if (f->plan) {
        objr__fftw_lock();
        fftwf_destroy_plan(f->plan);
        objr__fftw_unlock();
    }
    if (f->in)
        fftwf_free(f->in);
    if (f->out)
        fftwf_free(f->out);
    objr__freep(&f->win);
}

static objr_status fft_init(fft_ctx *f, size_t n) {
    f->n = n;
    f->in = fftwf_alloc_real(n);
    f->out = fftwf_alloc_complex(n / 2 + 1);
    f->win = objr__calloc(n, sizeof *f->win);
    if (!f->in || !f->out || !f->win)
        return OBJR_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) /* periodic Hann */
        f->win[i] = (float)(0.5 - 0.5 * cos(2.0 * OBJR_PI * (double)i / (double)n));
    objr__fftw_lock();
    f->plan = fftwf_plan_dft_r2c_1d((int)n, f->in, f->out, FFTW_ESTIMATE);
    objr__fftw_unlock();
    return f->plan ? OBJR_OK : OBJR_ERR_NOMEM;
}

static void free_planar(float **p, size_t n) {
    if (!p)
        return;
    for (size_t i = 0; i < n; i++)
        objr__freep(&p[i]);
    objr__freep(&p);
}

static float **alloc_planar(size_t n, size_t frames) {
    float **p = objr__calloc(n ? n : 1, sizeof *p);
    if (!p)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!(p[i] = objr__calloc(frames, sizeof(float)))) {
            free_planar(p, n);
            return NULL;
        }
    return p;
}

static void ctx_free(run_ctx *x) {
    chain_free(&x->full);
    for (size_t k = 0; k < x->n_objs; k++)
        chain_free(&x->objs[k]);
    objr__freep(&x->objs);
    if (x->obj_inputs)
        for (size_t k = 0; k < x->n_objs; k++)
            objr__freep(&x->obj_inputs[k]);
    objr__freep(&x->obj_inputs);
    objr__freep(&x->obj_n_inputs);
    for (size_t s = 0; s < x->n_stems; s++) {
        objr__audio_reader_close(x->stems[s].reader);
        free_planar(x->stems[s].buf, x->stems[s].info.n_channels);
        objr__freep(&x->stems[s].qc);
    }
    objr__freep(&x->stems);
    objr__audio_reader_close(x->main);
    objr__freep(&x->zeros);
    fft_free(&x->fft);
    objr_adm_destroy(x->scene);
}

void objr_check_report_destroy(objr_check_report *r) {
    if (!r)
        return;
    for (size_t k = 0; k < r->n_renders; k++) {
        objr__freep(&r->renders[k].st);
        objr__freep(&r->renders[k].corr);
    }
    objr__freep(&r->objects);
    objr__freep(&r->stems);
    objr__freep(&r->findings);
    objr__freep(&r);
}

static objr_status open_input(run_ctx *x, const char *path, objr_diag *diag) {
    objr_status st;
    if (looks_like_xml(path)) {
        objr_adm_config ac = objr_adm_config_default();
        if ((st = objr_adm_load_file(path, &ac, &x->scene, diag)) != OBJR_OK)
            return st;
        const objr__adm_model *m = objr__adm_get_model(x->scene);
        x->stems = objr__calloc(m->n_uids ? m->n_uids : 1, sizeof *x->stems);
        if (!x->stems)
            return OBJR_ERR_NOMEM;
        for (size_t u = 0; u < m->n_uids; u++) {
            const char *p = m->uids[u].stem_path;
            if (!p)
                continue;
            int seen = 0;
            for (size_t k = 0; k < x->n_stems; k++)
                seen |= strcmp(x->stems[k].path, p) == 0;
            if (seen)
                continue;
            stem *s = &x->stems[x->n_stems];
            s->path = p;
            s->file = m->uids[u].stem_file;
            if ((st = objr__audio_reader_open(p, diag, &s->reader)) != OBJR_OK)
                return st;
            x->n_stems++;
            objr__audio_reader_get_info(s->reader, &s->info);
        }
        if (x->n_stems == 0)
            return objr__diag_set(diag, OBJR_ERR_REFERENCE, "", 0, (size_t)-1,
                                  "%s: the scene points at no stem files", path);
        x->n_tracks = 0;
    } else {
        if ((st = objr__audio_reader_open(path, diag, &x->main)) != OBJR_OK)
            return st;
        objr__audio_reader_get_info(x->main, &x->main_info);
        const objr_bwf *bwf = objr__audio_reader_bwf(x->main);
        const uint8_t *axml = NULL;
        size_t axml_len = 0;
        if (!bwf || objr_bwf_get_axml(bwf, &axml, &axml_len) != OBJR_OK || !axml)
            return objr__diag_set(diag, OBJR_ERR_UNSUPPORTED, "axml", 0, (size_t)-1,
                                  "%s: the check needs an axml chunk (chna-only files: not yet)",
                                  path);
        if ((st = objr_adm_parse_mem((const char *)axml, axml_len, NULL, &x->scene, diag)) !=
            OBJR_OK)
            return st;
        size_t n = objr_bwf_chna_count(bwf);
        objr_adm_chna_entry *e = objr__calloc(n ? n : 1, sizeof *e);
        objr_bwf_chna_entry *raw = objr__calloc(n ? n : 1, sizeof *raw);
        if (!e || !raw) {
            objr__freep(&e);
            objr__freep(&raw);
            return OBJR_ERR_NOMEM;
        }
        for (size_t i = 0; i < n; i++) {
            (void)objr_bwf_get_chna_entry(bwf, i, &raw[i]);
            e[i].track_index = raw[i].track_index;
            e[i].uid = raw[i].uid;
            e[i].track_ref = raw[i].track_ref;
            e[i].pack_ref = raw[i].pack_ref;
        }
        st = n ? objr_adm_apply_chna(x->scene, e, n, diag) : OBJR_OK;
        objr__freep(&e);
        objr__freep(&raw);
        if (st != OBJR_OK)
            return st;
        x->stems = objr__calloc(1, sizeof *x->stems);
        if (!x->stems)
            return OBJR_ERR_NOMEM;
        x->stems[0].path = path;
        x->stems[0].info = x->main_info;
        x->n_stems = 1;
        x->n_tracks = x->main_info.n_channels;
    }
    return OBJR_OK;
}

static void make_findings(run_ctx *x);

objr_status objr_check_run(const char *input_path, const objr_check_config *cfg,
                           objr_check_report **out, objr_diag *diag) {
    *out = NULL;
    objr_check_config defcfg = objr_check_config_default();
    if (!cfg)
        cfg = &defcfg;
    static const char *const default_renders[] = {"5.1",  "2.0",  "5.1-fold",
                                                  "loro", "ltrt", "binaural"};
    const char *const *rn = cfg->renders ? cfg->renders : default_renders;
    size_t n_rn =
        cfg->renders ? cfg->n_renders : sizeof default_renders / sizeof default_renders[0];
    if (cfg->binaural_mode < OBJR_BINAURAL_MODE_DEFAULT ||
        cfg->binaural_mode > OBJR_BINAURAL_MODE_DRY)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1,
                              "binaural mode %d is not an objr_binaural_mode", cfg->binaural_mode);
    if (n_rn + 1 > OBJR_CHECK_MAX_RENDERS)
        return OBJR_ERR_INVALID_ARG;
    run_ctx x;
    memset(&x, 0, sizeof x);
    x.cfg = cfg;
    x.rs[x.n_rs++] = &specs[0];
    x.layouts[x.n_layouts++] = "7.1.4";
    for (size_t i = 0; i < n_rn; i++) {
        const render_spec *sp = rn[i] ? find_spec(rn[i]) : NULL;
        if (!sp || sp == &specs[0])
            return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1,
                                  "unknown render '%s' (known: 5.1 2.0 7.1 5.1.4 5.1-fold "
                                  "7.1-fold 5.1.4-fold loro ltrt binaural)",
                                  rn[i] ? rn[i] : "(null)");
        for (size_t k = 0; k < x.n_rs; k++)
            if (x.rs[k] == sp)
                sp = NULL;
        if (!sp)
            continue;
        x.rs[x.n_rs++] = sp;
        if (sp->direct && x.n_layouts < MAX_LAYOUTS)
            x.layouts[x.n_layouts++] = sp->direct;
    }
    {
        objr_foldown *probe = NULL;
        objr_status fs = objr_foldown_create(OBJR_FOLDOWN_714_TO_LORO, &cfg->foldown, 1, &probe);
        objr_foldown_destroy(probe);
        if (fs != OBJR_OK)
            return objr__diag_set(diag, fs, "", 0, (size_t)-1, "invalid fold-down trims");
    }
    objr_check_report *rep = objr__calloc(1, sizeof *rep);
    if (!rep)
        return OBJR_ERR_NOMEM;
    x.rep = rep;
    snprintf(rep->input, sizeof rep->input, "%s", input_path);
    rep->th = cfg->thresholds;
    rep->fold = cfg->foldown;
    for (size_t k = 0; k < x.n_rs; k++)
        if (is_binaural_spec(x.rs[k]))
            rep->has_binaural = 1;
    if (rep->has_binaural) {
        const char *hp = cfg->hrtf_path ? cfg->hrtf_path : objr__hrtf_default_path();
        if (strlen(hp) < sizeof rep->hrtf_path)
            memcpy(rep->hrtf_path, hp, strlen(hp) + 1);
        rep->binaural_mode = cfg->binaural_mode ? cfg->binaural_mode : OBJR_BINAURAL_MODE_MID;
    }
    rep->mix_peak_dbfs = -HUGE_VAL;
    objr_status st = open_input(&x, input_path, diag);
    if (st != OBJR_OK)
        goto fail;

    /* Stem formats: one sample rate (else nothing can be rendered), one bit depth. */
    rep->stems = objr__calloc(x.n_stems, sizeof *rep->stems);
    if (!rep->stems) {
        st = OBJR_ERR_NOMEM;
        goto fail;
    }
    rep->n_stems = x.n_stems;
    uint64_t total = 0;
    int rate_mismatch = 0, bits_mismatch = 0;
    for (size_t s = 0; s < x.n_stems; s++) {
        objr__check_stem *S = &rep->stems[s];
        const objr__audio_info *in = &x.stems[s].info;
        snprintf(S->name, sizeof S->name, "%s", base_name(x.stems[s].path));
        S->n_channels = in->n_channels;
        S->sample_rate_hz = in->sample_rate_hz;
        S->bits = in->bits_per_sample;
        S->is_float = in->is_float;
        if (in->sample_rate_hz != x.stems[0].info.sample_rate_hz)
            rate_mismatch = 1;
        if (in->bits_per_sample != x.stems[0].info.bits_per_sample ||
            in->is_float != x.stems[0].info.is_float)
            bits_mismatch = 1;
        if (in->n_frames > total)
            total = in->n_frames;
    }
    if (rate_mismatch || bits_mismatch) {
        char list[300] = "";
        for (size_t s = 0; s < x.n_stems; s++) {
            size_t l = strlen(list);
            snprintf(list + l, sizeof list - l, "%s%s %u Hz/%u-bit%s", s ? ", " : "",
                     rep->stems[s].name, (unsigned)rep->stems[s].sample_rate_hz,
                     (unsigned)rep->stems[s].bits, rep->stems[s].is_float ? " float" : "");
        }
        if ((st = add_finding(rep, "qc_format", rate_mismatch ? OBJR_CHECK_FAIL : OBJR_CHECK_WARN,
                              "", "", rate_mismatch ? 1.0 : 0.0, "stems differ in %s: %s",
                              rate_mismatch ? "sample rate (nothing rendered)" : "bit depth",
                              list)) != OBJR_OK)
            goto fail;
        if (rate_mismatch) {
            ctx_free(&x);
            *out = rep;
            return OBJR_OK;
        }
    } else if ((st = add_finding(rep, "qc_format", OBJR_CHECK_PASS, "", "", 0.0,
                                 "%zu stem file(s), %u Hz, %u-bit%s", x.n_stems,
                                 (unsigned)x.stems[0].info.sample_rate_hz,
                                 (unsigned)x.stems[0].info.bits_per_sample,
                                 x.stems[0].info.is_float ? " float" : "")) != OBJR_OK)
        goto fail;
    x.rate = x.stems[0].info.sample_rate_hz;
    rep->sample_rate_hz = x.rate;

    rep->duration_s = (double)total / x.rate;
    x.hop = (size_t)lround(x.rate * OBJR__CHECK_HOP_S);
    if (x.hop == 0)
        x.hop = 1;
    if ((st = fft_init(&x.fft, x.rate <= 50000 ? 65536 : 131072)) != OBJR_OK)
        goto fail;
    if (!(x.zeros = objr__calloc(x.hop, sizeof(float)))) {
        st = OBJR_ERR_NOMEM;
        goto fail;
    }
    for (size_t s = 0; s < x.n_stems; s++) {
        stem *S = &x.stems[s];
        if (x.main)
            S->reader = NULL;
        if (!(S->buf = alloc_planar(S->info.n_channels, x.hop)) ||
            !(S->qc = objr__calloc(S->info.n_channels, sizeof *S->qc))) {
            st = OBJR_ERR_NOMEM;
            goto fail;
        }
        for (size_t c = 0; c < S->info.n_channels; c++)
            S->qc[c].first_clip_s = -1;
    }

    /* The full render and the input map. */
    if ((st = chain_init(&x, &x.full, 1, 1, diag)) != OBJR_OK ||
        (rep->has_binaural && (st = vls_init(&x, &x.full, &rep->renders[0], diag)) != OBJR_OK))
        goto fail;
    rep->n_renders = x.n_rs;
    const size_t n_in = objr_renderer_input_count(x.full.rend);
    const float **inmap = objr__calloc(n_in ? n_in : 1, sizeof *inmap);
    if (!inmap) {
        st = OBJR_ERR_NOMEM;
        goto fail;
    }
    for (size_t i = 0; i < n_in; i++) {
        uint32_t ti, sc;
        const char *sp;
        (void)objr_renderer_input_source(x.full.rend, i, &ti, &sp, &sc);
        inmap[i] = x.zeros;
        if (ti && ti <= x.stems[0].info.n_channels && x.main)
            inmap[i] = x.stems[0].buf[ti - 1];
        else if (sp)
            for (size_t k = 0; k < x.n_stems; k++)
                if ((strcmp(x.stems[k].path, sp) == 0 ||
                     (x.stems[k].file && strcmp(x.stems[k].file, sp) == 0)) &&
                    sc >= 1 && sc <= x.stems[k].info.n_channels)
                    inmap[i] = x.stems[k].buf[sc - 1];
        x.full.in[i] = inmap[i];
    }
    /* Speakers of the reference layout (for the plots). */
    rep->n_speakers = 12;
    for (size_t ch = 0; ch < 12; ch++) {
        objr_layout *L = NULL;
        if (objr_layout_from_name("7.1.4", &L) == OBJR_OK) {
            objr_speaker_info si;
            if (objr_layout_channel_info(L, ch, &si) == OBJR_OK) {
                snprintf(rep->speaker_labels[ch], 16, "%s", si.label);
                polar_xyz(si.azimuth_deg, si.elevation_deg, 1.0, &rep->speakers[ch][0],
                          &rep->speakers[ch][1], &rep->speakers[ch][2]);
            }
            objr_layout_destroy(L);
        }
    }

    /* Objects: every object with audio of its own, rendered alone (its inputs only). */
    const objr__adm_model *m = objr__adm_get_model(x.scene);
    rep->objects = objr__calloc(m->n_objects ? m->n_objects : 1, sizeof *rep->objects);
    x.objs = objr__calloc(m->n_objects ? m->n_objects : 1, sizeof *x.objs);
    x.obj_inputs = objr__calloc(m->n_objects ? m->n_objects : 1, sizeof *x.obj_inputs);
    x.obj_n_inputs = objr__calloc(m->n_objects ? m->n_objects : 1, sizeof *x.obj_n_inputs);
    if (!rep->objects || !x.objs || !x.obj_inputs || !x.obj_n_inputs) {
        objr__freep(&inmap);
        st = OBJR_ERR_NOMEM;
        goto fail;
    }
    for (size_t o = 0; o < m->n_objects; o++) {
        const objr__adm_object *ob = &m->objects[o];
        if (ob->track_uids.n == 0 || (ob->has_mute && ob->mute))
            continue;
        size_t *ins = objr__calloc(n_in ? n_in : 1, sizeof *ins);
        if (!ins) {
            st = OBJR_ERR_NOMEM;
            break;
        }
        size_t ni = 0;
        for (size_t i = 0; i < n_in; i++) {
            uint32_t ti, sc;
            const char *sp;
            (void)objr_renderer_input_source(x.full.rend, i, &ti, &sp, &sc);
            for (size_t u = 0; u < ob->track_uids.n; u++) {
                int32_t ui = ob->track_uids.items[u].idx;
                if (ui < 0 || (size_t)ui >= m->n_uids)
                    continue;
                const objr__adm_uid *U = &m->uids[ui];
                if ((ti && U->track_index == ti) ||
                    (!ti && sp && U->stem_channel == sc &&
                     ((U->stem_path && strcmp(U->stem_path, sp) == 0) ||
                      (U->stem_file && strcmp(U->stem_file, sp) == 0)))) {
                    ins[ni++] = i;
                    break;
                }
            }
        }
        if (ni == 0) {
            objr__freep(&ins);
            continue;
        }
        if (!cfg->per_object || x.n_objs >= cfg->max_objects) {
            rep->n_objects_not_measured++;
            objr__freep(&ins);
            continue;
        }
        objr__check_object *R = &rep->objects[x.n_objs];
        snprintf(R->id, sizeof R->id, "%s", ob->id);
        snprintf(R->name, sizeof R->name, "%s", ob->name ? ob->name : "");
        if (ob->packs.n && ob->packs.items[0].idx >= 0)
            R->type = m->packs[ob->packs.items[0].idx].type;
        object_positions(m, ob, R);
        R->multi_channel = ob->track_uids.n > 1;
        x.obj_inputs[x.n_objs] = ins;
        x.obj_n_inputs[x.n_objs] = ni;
        x.n_objs++;
    }
    rep->n_objects = x.n_objs;
    if (rep->has_binaural)
        rep->n_objects_binaural =
            x.n_objs < cfg->max_binaural_objects ? x.n_objs : cfg->max_binaural_objects;
    for (size_t k = 0; k < x.n_objs && st == OBJR_OK; k++) {
        int with_bin = rep->has_binaural && k < cfg->max_binaural_objects;
        if ((st = chain_init(&x, &x.objs[k], 0, with_bin, diag)) != OBJR_OK)
            break;
        for (size_t i = 0; i < n_in; i++)
            x.objs[k].in[i] = x.zeros;
        for (size_t j = 0; j < x.obj_n_inputs[k]; j++)
            x.objs[k].in[x.obj_inputs[k][j]] = inmap[x.obj_inputs[k][j]];
    }
    objr__freep(&inmap);
    if (st != OBJR_OK)
        goto fail;

    /* One streaming pass. */
    for (uint64_t pos = 0; pos < total;) {
        size_t n = x.hop;
        if (total - pos < n)
            n = (size_t)(total - pos);
        int last = pos + n >= total;
        for (size_t s = 0; s < x.n_stems; s++) {
            stem *S = &x.stems[s];
            objr__audio_reader *rd = x.main ? x.main : S->reader;
            size_t got = 0;
            if (pos < S->info.n_frames) {
                if ((st = objr__audio_reader_read_f32(rd, S->buf, n, &got)) != OBJR_OK) {
                    objr__diag_set(diag, st, "", 0, (size_t)-1, "%s: %s", S->path,
                                   objr__audio_reader_last_error(rd));
                    goto fail;
                }
            }
            for (size_t c = 0; c < S->info.n_channels; c++) {
                if (got < n)
                    memset(S->buf[c] + got, 0, (n - got) * sizeof(float));
                qc_block(&S->qc[c], S->buf[c], n, pos, x.rate, &cfg->thresholds, last);
            }
        }
        if ((st = chain_process(&x, &x.full, n, pos)) != OBJR_OK)
            goto fail;
        for (size_t k = 0; k < x.n_objs; k++)
            if ((st = chain_process(&x, &x.objs[k], n, pos)) != OBJR_OK)
                goto fail;
        pos += n;
        if (cfg->on_progress) {
            objr_progress pr = {"checking", (double)pos / (double)total, (double)pos / x.rate,
                                (double)total / x.rate};
            cfg->on_progress(cfg->on_progress_user, &pr);
        }
    }

    /* Collect. */
    for (size_t k = 0; k < x.n_rs; k++) {
        analyser *a = &x.full.an[k];
        objr__check_render *R = &rep->renders[k];
        objr_loudness_result lr;
        objr_loudness_meter_get(a->meter, &lr);
        R->integrated_lufs = lr.integrated_lufs;
        R->lra_lu = lr.range_lu;
        R->true_peak_dbtp = lr.true_peak_dbtp;
        R->sample_peak_dbfs = lr.sample_peak_dbfs;
        R->limiter_db =
            isfinite(lr.true_peak_dbtp) && lr.true_peak_dbtp > rep->th.true_peak_ceiling_dbtp
                ? lr.true_peak_dbtp - rep->th.true_peak_ceiling_dbtp
                : 0.0;
        R->st = a->st;
        R->n_st = a->n_st;
        a->st = NULL;
        if (R->is_stereo) {
            R->corr = a->corr;
            R->n_corr = a->n_corr;
            a->corr = NULL;
            R->corr_global = a->g_ll > 0 && a->g_rr > 0 ? a->g_lr / sqrt(a->g_ll * a->g_rr) : NAN;
            double *v = objr__calloc(R->n_corr ? R->n_corr : 1, sizeof *v);
            size_t nv = 0;
            if (!v) {
                st = OBJR_ERR_NOMEM;
                goto fail;
            }
            for (size_t i = 0; i < R->n_corr; i++)
                if (!isnan(R->corr[i]))
                    v[nv++] = R->corr[i];
            R->corr_p5 = R->corr_min = NAN;
            if (nv) {
                for (size_t i = 1; i < nv; i++) /* insertion sort: series are short */
                    for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
                        double t = v[j];
                        v[j] = v[j - 1];
                        v[j - 1] = t;
                    }
                R->corr_min = v[0];
                R->corr_p5 = v[(size_t)floor(0.05 * (double)(nv - 1) + 0.5)];
            }
            objr__freep(&v);
            objr_loudness_result mr;
            objr_loudness_meter_get(a->mono, &mr);
            R->mono_loss_lu = mr.integrated_lufs - lr.integrated_lufs;
            if (!isfinite(lr.integrated_lufs))
                R->mono_loss_lu = 0.0;
            R->s_over_m_db = a->e_m > 0 ? db_pow(a->e_s / a->e_m) : (a->e_s > 0 ? HUGE_VAL : NAN);
        }
        band_levels(&a->spec, &x.fft, x.rate, R->band_db);
        if (k == 0) {
            rep->mix_peak_dbfs = a->peak > 0 ? 20.0 * log10(a->peak) : -HUGE_VAL;
            rep->lead_silence_s = a->any_loud ? (double)a->first_loud / x.rate : rep->duration_s;
            rep->trail_silence_s =
                a->any_loud ? (double)(a->frames - 1 - a->last_loud) / x.rate : rep->duration_s;
        }
    }
    if (x.full.vls) { /* the reference at the ears */
        objr_loudness_result lr;
        objr_loudness_meter_get(x.full.ear.meter, &lr);
        rep->ear_ref_lufs = lr.integrated_lufs;
        band_levels(&x.full.ear.spec, &x.fft, x.rate, rep->ear_ref_db);
    }
    for (size_t o = 0; o < x.n_objs; o++)
        for (size_t k = 0; k < x.n_rs; k++) {
            objr_loudness_result lr;
            rep->objects[o].mono_lufs[k] = -HUGE_VAL;
            if (!x.objs[o].an[k].meter) { /* not rendered alone here (binaural cap) */
                rep->objects[o].level_lufs[k] = NAN;
                continue;
            }
            objr_loudness_meter_get(x.objs[o].an[k].meter, &lr);
            rep->objects[o].level_lufs[k] = lr.integrated_lufs;
            if (x.objs[o].an[k].mono) {
                objr_loudness_meter_get(x.objs[o].an[k].mono, &lr);
                rep->objects[o].mono_lufs[k] = lr.integrated_lufs;
            }
        }
    for (size_t s = 0; s < x.n_stems; s++) {
        objr__check_stem *S = &rep->stems[s];
        stem *T = &x.stems[s];
        double peak = 0, dc = 0;
        uint64_t first = UINT64_MAX, lastl = 0;
        int any = 0;
        S->first_clip_s = -1;
        for (size_t c = 0; c < T->info.n_channels; c++) {
            qc_ch *q = &T->qc[c];
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
        S->peak_dbfs = peak > 0 ? 20.0 * log10(peak) : -HUGE_VAL;
        S->dc_dbfs = dc > 0 ? 20.0 * log10(dc) : -HUGE_VAL;
        S->lead_silence_s = any ? (double)first / x.rate : rep->duration_s;
        S->trail_silence_s = any ? (double)(total - 1 - lastl) / x.rate : rep->duration_s;
    }
    make_findings(&x);
    ctx_free(&x);
    *out = rep;
    return OBJR_OK;
fail:
    ctx_free(&x);
    objr_check_report_destroy(rep);
    return st;
}

/* ---------------------------------------------------------------------------------------- */
/* Verdicts                                                                                  */

static void object_label(const objr__check_object *o, char *buf, size_t n) {
    if (o->name[0])
        snprintf(buf, n, "%s '%s'", o->id, o->name);
    else
        snprintf(buf, n, "%s", o->id);
}

static void make_findings(run_ctx *x) {
    objr_check_report *r = x->rep;
    const objr_check_thresholds *t = &r->th;
    const objr__check_render *A = &r->renders[0];
    /* QC of the stems */
    int any_clip = 0, any_dc = 0, any_click = 0;
    for (size_t s = 0; s < r->n_stems; s++) {
        const objr__check_stem *S = &r->stems[s];
        if (S->n_clipped) {
            any_clip = 1;
            add_finding(r, "qc_clipping", OBJR_CHECK_FAIL, "", S->name, (double)S->n_clipped,
                        "stem %s has %llu clipped samples (runs of %u at %.2f dBFS or overs), "
                        "first at %.3f s",
                        S->name, (unsigned long long)S->n_clipped, t->clip_run, t->clip_level_dbfs,
                        S->first_clip_s);
        }
        objr_check_verdict v = above(S->dc_dbfs, t->dc_warn_dbfs, t->dc_fail_dbfs);
        if (v != OBJR_CHECK_PASS) {
            any_dc = 1;
            add_finding(r, "qc_dc", v, "", S->name, S->dc_dbfs,
                        "stem %s has a DC offset of %.1f dBFS", S->name, S->dc_dbfs);
        }
        if (S->n_clicks) {
            any_click = 1;
            add_finding(r, "qc_clicks", OBJR_CHECK_WARN, "", S->name, (double)S->n_clicks,
                        "stem %s: %llu click(s), first at %.3f s (second difference > %.0fx its "
                        "RMS over 1 ms around it)",
                        S->name, (unsigned long long)S->n_clicks, S->first_click_s, t->click_ratio);
        }
    }
    if (!any_clip)
        add_finding(r, "qc_clipping", OBJR_CHECK_PASS, "", "", 0,
                    "no clipped samples in %zu stem(s)", r->n_stems);
    if (!any_dc)
        add_finding(r, "qc_dc", OBJR_CHECK_PASS, "", "", 0, "no DC offset above %.0f dBFS",
                    t->dc_warn_dbfs);
    if (!any_click)
        add_finding(r, "qc_clicks", OBJR_CHECK_PASS, "", "", 0, "no clicks found");
    add_finding(r, "qc_headroom",
                above(r->mix_peak_dbfs, t->headroom_warn_dbfs, t->headroom_fail_dbfs), A->name, "",
                r->mix_peak_dbfs,
                "the %s render peaks at %.1f dBFS (a mix should peak around -6 dBFS before "
                "mastering)",
                A->name, r->mix_peak_dbfs);
    objr_check_verdict vs =
        r->lead_silence_s > t->lead_silence_warn_s || r->trail_silence_s > t->trail_silence_warn_s
            ? OBJR_CHECK_WARN
            : OBJR_CHECK_PASS;
    add_finding(r, "qc_silence", vs, A->name, "", r->lead_silence_s,
                "leading silence %.2f s, trailing silence %.2f s (below %.0f dBFS)",
                r->lead_silence_s, r->trail_silence_s, t->silence_level_dbfs);

    /* Renders */
    for (size_t k = 0; k < r->n_renders; k++) {
        objr__check_render *B = &r->renders[k];
        if (k > 0) {
            if (isfinite(B->integrated_lufs) && isfinite(A->integrated_lufs))
                B->delta_lu = B->integrated_lufs - A->integrated_lufs;
            else
                B->delta_lu = isfinite(A->integrated_lufs) ? -HUGE_VAL : 0.0;
            add_finding(
                r, "loudness_delta",
                above(fabs(B->delta_lu), t->loudness_delta_warn_lu, t->loudness_delta_fail_lu),
                B->name, "", B->delta_lu, "%s: %.1f LUFS, %+.1f LU from the %s reference", B->name,
                B->integrated_lufs, B->delta_lu, A->name);
            B->delta_lra_lu = B->lra_lu - A->lra_lu;
            if (isfinite(B->delta_lra_lu))
                add_finding(
                    r, "lra_delta",
                    above(fabs(B->delta_lra_lu), t->lra_delta_warn_lu, t->lra_delta_fail_lu),
                    B->name, "", B->delta_lra_lu, "%s: LRA %.1f LU (%+.1f LU)", B->name, B->lra_lu,
                    B->delta_lra_lu);
        } else {
            add_finding(r, "loudness_delta", OBJR_CHECK_PASS, B->name, "", 0.0,
                        "%s reference: %.1f LUFS, LRA %.1f LU", B->name, B->integrated_lufs,
                        B->lra_lu);
        }
        objr_check_verdict v = B->limiter_db <= 0                   ? OBJR_CHECK_PASS
                               : B->limiter_db > t->limiter_fail_db ? OBJR_CHECK_FAIL
                                                                    : OBJR_CHECK_WARN;
        add_finding(r, "true_peak", v, B->name, "", B->true_peak_dbtp,
                    "%s: true peak %.1f dBTP before limiting; a %.1f dBTP limiter takes %.1f dB",
                    B->name, B->true_peak_dbtp, t->true_peak_ceiling_dbtp, B->limiter_db);
        if (B->is_stereo) {
            objr_check_verdict vc = isnan(B->corr_p5)              ? OBJR_CHECK_PASS
                                    : B->corr_p5 < t->corr_p5_fail ? OBJR_CHECK_FAIL
                                    : B->corr_p5 < t->corr_p5_warn ? OBJR_CHECK_WARN
                                                                   : OBJR_CHECK_PASS;
            add_finding(r, "correlation", vc, B->name, "", B->corr_p5,
                        "%s: correlation %.2f overall, 5th percentile %.2f, minimum %.2f (400 ms)",
                        B->name, B->corr_global, B->corr_p5, B->corr_min);
            add_finding(
                r, "mono", above(-B->mono_loss_lu, t->mono_loss_warn_lu, t->mono_loss_fail_lu),
                B->name, "", B->mono_loss_lu, "%s: summed to mono it loses %.1f LU (S/M %.1f dB)",
                B->name, -B->mono_loss_lu, B->s_over_m_db);
        }
        if (k == 0)
            continue;
        /* Spectral balance: d_b = 10 log10(E_b(B)/E_b(A)) - dL, bands within 50 dB of the
         * strongest band of either render. Binaural: against the 7.1.4 heard at the ears
         * (ear_ref_db: its loudspeakers as virtual loudspeakers through the same HRTF set and
         * room), dL the loudness difference of the two at the ears. */
        const double *ref_db = B->is_binaural ? r->ear_ref_db : A->band_db;
        double maxA = -HUGE_VAL, maxB = -HUGE_VAL;
        for (int b = 0; b < OBJR__CHECK_N_BANDS; b++) {
            if (ref_db[b] > maxA)
                maxA = ref_db[b];
            if (B->band_db[b] > maxB)
                maxB = B->band_db[b];
        }
        double dl = isfinite(B->delta_lu) ? B->delta_lu : 0.0;
        if (B->is_binaural)
            dl = isfinite(B->integrated_lufs) && isfinite(r->ear_ref_lufs)
                     ? B->integrated_lufs - r->ear_ref_lufs
                     : 0.0;
        double sx = 0, sy = 0, sxx = 0, sxy = 0, nb = 0;
        int flagged = 0;
        B->max_abs_band_db = 0;
        for (int b = 0; b < OBJR__CHECK_N_BANDS; b++) {
            int valid = (isfinite(ref_db[b]) && ref_db[b] > maxA - 50.0) ||
                        (isfinite(B->band_db[b]) && B->band_db[b] > maxB - 50.0);
            B->band_valid[b] = valid;
            if (!valid) {
                B->band_delta_db[b] = 0;
                continue;
            }
            double a = isfinite(ref_db[b]) ? ref_db[b] : maxA - 100.0;
            double bb = isfinite(B->band_db[b]) ? B->band_db[b] : maxB - 100.0;
            double d = bb - a - dl;
            if (d < -99)
                d = -99;
            if (d > 99)
                d = 99;
            B->band_delta_db[b] = d;
            if (fabs(d) > B->max_abs_band_db)
                B->max_abs_band_db = fabs(d);
            double fc = objr__check_band_centre_hz(b);
            if (fc >= 49.0) {
                double lx = log2(fc / 1000.0);
                sx += lx;
                sy += d;
                sxx += lx * lx;
                sxy += lx * d;
                nb += 1;
            }
            objr_check_verdict vb = above(fabs(d), t->band_warn_db, t->band_fail_db);
            if (vb != OBJR_CHECK_PASS) {
                flagged = 1;
                add_finding(r, "spectral_balance", vb, B->name, objr__check_band_name(b), d,
                            "%s: the %s band is %+.1f dB against %s after %s%s", B->name,
                            objr__check_band_name(b), d, A->name,
                            B->is_binaural ? "loudness matching, both heard at the ears"
                                           : "loudness matching",
                            d <= -40 ? " (lost)" : "");
            }
        }
        B->tilt_db_per_oct =
            nb >= 2 && (nb * sxx - sx * sx) > 0 ? (nb * sxy - sx * sy) / (nb * sxx - sx * sx) : 0.0;
        if (!flagged)
            add_finding(r, "spectral_balance", OBJR_CHECK_PASS, B->name, "", B->max_abs_band_db,
                        "%s: every third-octave band within %.1f dB of %s (largest %.1f dB, tilt "
                        "%+.2f dB/oct)",
                        B->name, t->band_warn_db, A->name, B->max_abs_band_db, B->tilt_db_per_oct);
        /* Per-object audibility */
        int oflag = 0;
        for (size_t o = 0; o < r->n_objects; o++) {
            objr__check_object *O = &r->objects[o];
            double la = O->level_lufs[0], lb = O->level_lufs[k];
            if (isnan(lb)) { /* not measured alone in this render */
                O->delta_db[k] = NAN;
                continue;
            }
            if (!isfinite(la)) {
                O->delta_db[k] = 0;
                continue;
            }
            double d = isfinite(lb) ? lb - la : -HUGE_VAL;
            O->delta_db[k] = d;
            objr_check_verdict vo = above(-d, t->object_drop_warn_db, t->object_drop_fail_db);
            if (vo == OBJR_CHECK_PASS)
                continue;
            oflag = 1;
            char lab[200];
            object_label(O, lab, sizeof lab);
            if (isfinite(d))
                add_finding(r, "object_audibility", vo, B->name, lab, d, "%s falls %.1f dB in %s",
                            lab, -d, B->name);
            else
                add_finding(r, "object_audibility", vo, B->name, lab, -HUGE_VAL,
                            "%s vanishes from %s", lab, B->name);
        }
        /* Per-object mono compatibility in stereo renders: the object's level when L and R are
         * summed, against its level in that render (a hard-panned object loses 3 dB). */
        int mflag = 0;
        for (size_t o = 0; B->is_stereo && o < r->n_objects; o++) {
            objr__check_object *O = &r->objects[o];
            if (!isfinite(O->level_lufs[k]))
                continue;
            double d = isfinite(O->mono_lufs[k]) ? O->mono_lufs[k] - O->level_lufs[k] : -HUGE_VAL;
            objr_check_verdict vm = above(-d, t->object_mono_warn_lu, t->object_mono_fail_lu);
            if (vm == OBJR_CHECK_PASS)
                continue;
            mflag = 1;
            char lab[200];
            object_label(O, lab, sizeof lab);
            if (isfinite(d))
                add_finding(r, "object_mono", vm, B->name, lab, d,
                            "%s loses %.1f dB when %s is summed to mono", lab, -d, B->name);
            else
                add_finding(r, "object_mono", vm, B->name, lab, -HUGE_VAL,
                            "%s cancels when %s is summed to mono", lab, B->name);
        }
        if (B->is_stereo && !mflag && r->n_objects)
            add_finding(r, "object_mono", OBJR_CHECK_PASS, B->name, "", 0.0,
                        "%s: no object loses more than %.1f dB in mono", B->name,
                        t->object_mono_warn_lu);
        size_t n_meas = B->is_binaural ? r->n_objects_binaural : r->n_objects;
        if (!oflag && n_meas)
            add_finding(r, "object_audibility", OBJR_CHECK_PASS, B->name, "", 0.0,
                        "%s: no object falls more than %.1f dB", B->name, t->object_drop_warn_db);
        if (n_meas < r->n_objects)
            add_finding(r, "object_audibility", OBJR_CHECK_PASS, B->name, "",
                        (double)(r->n_objects - n_meas),
                        "%s: %zu object(s) past the first %zu not measured alone (binaural "
                        "renders per object are costly: max_binaural_objects)",
                        B->name, r->n_objects - n_meas, n_meas);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Accessors                                                                                 */

objr_check_verdict objr_check_report_verdict(const objr_check_report *r) {
    objr_check_verdict v = OBJR_CHECK_PASS;
    for (size_t i = 0; i < r->n_findings; i++)
        if (r->findings[i].verdict > v)
            v = r->findings[i].verdict;
    return v;
}

size_t objr_check_report_finding_count(const objr_check_report *r) {
    return r->n_findings;
}

objr_status objr_check_report_get_finding(const objr_check_report *r, size_t i,
                                          objr_check_finding *out) {
    if (i >= r->n_findings)
        return OBJR_ERR_INVALID_ARG;
    const objr__check_finding *f = &r->findings[i];
    out->check = f->check;
    out->verdict = f->verdict;
    out->render = f->render;
    out->subject = f->subject;
    out->value = f->value;
    out->message = f->message;
    return OBJR_OK;
}

objr_status objr_check_report_binaural(const objr_check_report *r, const char **hrtf_path,
                                       int *binaural_mode) {
    if (!r->has_binaural)
        return OBJR_ERR_INVALID_ARG;
    *hrtf_path = r->hrtf_path;
    *binaural_mode = r->binaural_mode;
    return OBJR_OK;
}

objr_status objr_check_report_render_loudness(const objr_check_report *r, const char *name,
                                              double *integrated_lufs, double *range_lu,
                                              double *true_peak_dbtp) {
    for (size_t k = 0; k < r->n_renders; k++)
        if (strcmp(r->renders[k].key, name) == 0 || strcmp(r->renders[k].name, name) == 0) {
            *integrated_lufs = r->renders[k].integrated_lufs;
            *range_lu = r->renders[k].lra_lu;
            *true_peak_dbtp = r->renders[k].true_peak_dbtp;
            return OBJR_OK;
        }
    return OBJR_ERR_INVALID_ARG;
}
