/* SPDX-License-Identifier: BSD-3-Clause */
/* The per-object binaural renderer: each source convolved with the onset-aligned, interpolated
 * HRTF pair for its direction (uniformly partitioned overlap-save, all sources summed in the
 * frequency domain, one inverse FFT per ear), correlation-aware filter cross-fades, beds as
 * virtual loudspeakers, LFE low-passed to both ears, extent, a shared decorrelated diffuse
 * field, and per-object room (shared early reflections + an FDN late reverb) as Dolby's
 * off / near / mid / far render modes do it. */
#include "objrender/objr_binaural.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "renderers/binaural/conv.h"
#include "renderers/binaural/hrtf.h"
#include "renderers/binaural/level.h"
#include "renderers/binaural/room.h"
#include "src/dsp/finite.h"
#include "src/dsp/ftz.h"
#include "src/dsp/mix.h"

#define MAX_SOURCES 4096u
#define MAX_EXTENT_DIRS 7 /* per dimension */
#define EXTENT_STEP_DEG 15.0
#define BETA_MIN (-0.5)
#define BETA_MAX 2.0
/* The cross-fade's level correction is made per octave band (below 500 Hz, 500 Hz - 1 kHz,
 * ... 8 - 16 kHz, above), interpolated between the bands' centres: filters of nearby
 * directions stay alike at low frequencies while the change of their delays decorrelates the
 * highs, so one broadband correction would lift the lows and still dip the highs. A correction
 * that varies smoothly over the bins is a short filter; what it spreads past the frame's edges
 * falls where the fade's 2vw weight is near zero. */
#define MAX_FBANDS 8
#define EQ_TAPS 1024 /* diffuse-field equaliser: 21 ms at 48 kHz, a third octave at 150 Hz */

typedef struct bsrc {
    objr_binaural_source p; /* requested parameters */
    int has_filter;
    double faz, fel, fw, fh; /* parameters the current filter was made for */
    int hint;
    int fading;
    float beta[2][MAX_FBANDS]; /* cross-fade correction per ear and band */
    float *hc, *hp;            /* current / previous filter spectra: 2 ears x (re, im) x S */
    float *prev;               /* previous block of gained input (overlap-save history) */
    float *fifo;               /* input of the block being collected */
    int prev_nz;
    float g_dir, g_off[2], g_room, g_diff, g_lfe; /* gains reached at the last block end */
    int room; /* the mode whose room bus the source feeds (g_room), 0 = none */
} bsrc;

struct objr_binaural {
    objr_binaural_config cfg;
    objr__hrtf *h;
    objr__bfft f;  /* objects: FFT n = 2 P (P the power of two >= flen - 1), hop B = n - L */
    objr__bfft f2; /* shared diffuse / early-reflection convolvers: n2 = 2 B, hop B */
    objr__bconvdsp dsp;
    size_t B, L, S, K, ns, flen; /* L: input history per frame (>= flen - 1) */
    size_t Kc; /* bins computed per source: those up to the HRTF set's own Nyquist frequency
                * (a set measured at 44.1 kHz has nothing above 22.05 kHz); the stored spectra
                * are zero above it, so skipping those bins is exact */
    bsrc *src;
    size_t fill;
    float *out_l, *out_r; /* output FIFO (one block) */
    float *zeros;         /* B zeros: input of sources given a NULL pointer */
    float *frame, *xr, *xi, *xr2, *xi2, *td;
    float *acc;        /* ACC_COUNT accumulators x 2 ears x (re, im) x S */
    float *acc2, *td2; /* shared convolvers: 2 ears x (re, im) x S2; n2 scratch */
    float *flt, *flt2; /* time-domain filter scratch: 2 x flen each */
    float *bus;        /* 6 x B: diffuse, er, rev, lfe, off_l, off_r */
    objr__bconv_fixed *diff, *er;
    objr__bconv_fixed *eq[2]; /* diffuse-field equaliser of the direct sound, per ear */
    int diff_tail, er_tail, eq_tail;
    objr__breverb *rev;
    double lfe_c[2][5], lfe_z[2][2];
    size_t nfb, fb[MAX_FBANDS + 1];             /* cross-fade bands: bins fb[j] .. fb[j+1] - 1 */
    size_t fc[MAX_FBANDS];                      /* their centre bins */
    double send[OBJR_BINAURAL_MODE_DRY + 1][3]; /* per mode: direct, early, reverb gains */
    float lfe_g;                                /* linear LFE gain to each ear */
    float cal; /* level calibration of the direct sound (see calibrate) */
    /* spectra of the onset-aligned responses (n_meas x 2 ears x (re, im) x S, scaled by 1/n),
     * stored as 16-bit integers with one scale per response (ascale: the value of one step):
     * half the memory traffic of floats for the per-block filter mixes, and a quantisation
     * error at least 82 dB below each response's energy for the MIT KEMAR set (measured); their
     * energies (of the stored spectra), and the delay phase ramps e^{-j 2 pi k d / n} for
     * d = 0..max_delay: a point source's filter is made in the frequency domain, without FFT */
    int16_t *aspec;
    float *ascale;
    double *aen;
    double *tri_c; /* n_tri x 2 ears x 3: inner products of the triangle's aligned spectra
                    * (pairs 01, 12, 20), so a mix's energy needs no pass over the bins */
    float *ramp;
};

enum { ACC_S, ACC_O, ACC_N, ACC_B, ACC_COUNT };
/* BUS_ROOM + mode: the sum of the sources sent to the room in that mode (each source ramps
 * into one bus; the early-reflection and reverb inputs are made from them with the modes'
 * send gains once per block) */
enum { BUS_DIFF, BUS_ER, BUS_REV, BUS_LFE, BUS_OFFL, BUS_OFFR, BUS_ROOM };
#define BUS_COUNT (BUS_ROOM + OBJR_BINAURAL_MODE_DRY + 1)

objr_binaural_config objr_binaural_config_default(void) {
    objr_binaural_config c;
    memset(&c, 0, sizeof c);
    c.sample_rate_hz = 48000.0;
    c.max_sources = 64;
    c.block_frames = 512;
    c.default_mode = OBJR_BINAURAL_MODE_MID;
    c.lfe_cutoff_hz = 120.0;
    c.lfe_gain_db = 0.0;
    c.diffuse_eq = 1;
    return c;
}

objr_binaural_source objr_binaural_source_default(void) {
    objr_binaural_source s;
    memset(&s, 0, sizeof s);
    s.active = 1;
    s.gain = 1.0;
    return s;
}

objr_binaural_mode objr_binaural_mode_from_adm(int bypass, int has_drr, double drr_db) {
    if (bypass)
        return OBJR_BINAURAL_MODE_OFF;
    if (!has_drr || !isfinite(drr_db))
        return OBJR_BINAURAL_MODE_DEFAULT;
    if (drr_db >= 20.0)
        return OBJR_BINAURAL_MODE_NEAR;
    if (drr_db >= 10.0)
        return OBJR_BINAURAL_MODE_MID;
    return OBJR_BINAURAL_MODE_FAR;
}

static float *acc_ptr(objr_binaural *b, int which, int ear) {
    return b->acc + ((size_t)which * 2 + (size_t)ear) * 2 * b->S;
}

void objr_binaural_destroy(objr_binaural *b) {
    if (!b)
        return;
    if (b->src) {
        for (size_t i = 0; i < b->ns; i++) {
            objr__bfft_free_buf(b->src[i].hc);
            objr__bfft_free_buf(b->src[i].hp);
            objr__bfft_free_buf(b->src[i].prev);
            objr__bfft_free_buf(b->src[i].fifo);
        }
        free(b->src);
    }
    objr__bfft_free_buf(b->out_l);
    objr__bfft_free_buf(b->out_r);
    objr__bfft_free_buf(b->zeros);
    objr__bfft_free_buf(b->frame);
    objr__bfft_free_buf(b->xr);
    objr__bfft_free_buf(b->xi);
    objr__bfft_free_buf(b->xr2);
    objr__bfft_free_buf(b->xi2);
    objr__bfft_free_buf(b->td);
    objr__bfft_free_buf(b->acc);
    objr__bfft_free_buf(b->acc2);
    objr__bfft_free_buf(b->td2);
    objr__bfft_free_buf(b->flt);
    objr__bfft_free_buf(b->flt2);
    objr__bfft_free_buf(b->bus);
    objr__bconv_fixed_destroy(b->diff);
    objr__bconv_fixed_destroy(b->er);
    objr__bconv_fixed_destroy(b->eq[0]);
    objr__bconv_fixed_destroy(b->eq[1]);
    objr__breverb_destroy(b->rev);
    free(b->aspec);
    free(b->ascale);
    objr__bfft_free_buf(b->ramp);
    free(b->aen);
    free(b->tri_c);
    objr__bfft_free(&b->f);
    objr__bfft_free(&b->f2);
    objr__hrtf_destroy(b->h);
    free(b);
}

/* (*l, *r) of *len taps convolved with eq (EQ_TAPS): replaced by the longer pair. */
static objr_status equalise(float **l, float **r, size_t *len, const float *eq) {
    size_t n = *len + EQ_TAPS - 1;
    float *o[2] = {objr__calloc(n, sizeof(float)), objr__calloc(n, sizeof(float))};
    if (!o[0] || !o[1]) {
        free(o[0]), free(o[1]);
        return OBJR_ERR_NOMEM;
    }
    for (int e = 0; e < 2; e++) {
        const float *x = e ? *r : *l;
        for (size_t i = 0; i < *len; i++)
            if (x[i] != 0.0f)
                for (size_t j = 0; j < EQ_TAPS; j++)
                    o[e][i + j] += x[i] * eq[j];
    }
    free(*l), free(*r);
    *l = o[0], *r = o[1], *len = n;
    return OBJR_OK;
}

/* RBJ low-pass biquad (Q = 1/sqrt 2): two in cascade make a 4th-order Linkwitz-Riley. */
static void lowpass_coefs(double fc, double fs, double c[5]) {
    double w = 2 * OBJR_PI * fc / fs, cw = cos(w), al = sin(w) / (2 * sqrt(0.5));
    double a0 = 1 + al;
    c[0] = (1 - cw) / 2 / a0;
    c[1] = (1 - cw) / a0;
    c[2] = (1 - cw) / 2 / a0;
    c[3] = -2 * cw / a0;
    c[4] = (1 - al) / a0;
}

static void biquad(const double c[5], double z[2], float *x, size_t n) {
    for (size_t i = 0; i < n; i++) { /* transposed direct form II */
        double in = x[i], y = c[0] * in + z[0];
        z[0] = c[1] * in - c[3] * y + z[1];
        z[1] = c[2] * in - c[4] * y;
        x[i] = (float)y;
    }
}

static void band_power_dir(objr_binaural *b, const double d[3], int *hint, double wt,
                           double pw[2][MAX_FBANDS]);

/* filter pair (left, right; flen each) for a source, including extent; for an extended source
 * @p want gets the mean power of the grid's responses in the fade bands (see extent_balance) */
static void make_filter(objr_binaural *b, bsrc *q, float *l, float *r, double want[2][MAX_FBANDS]) {
    const objr__hrtf *h = b->h;
    size_t fl = b->flen;
    double w = q->p.width_deg, hh = q->p.height_deg;
    memset(want, 0, 2 * MAX_FBANDS * sizeof want[0][0]);
    if (!(w > 0) && !(hh > 0)) {
        double d[3];
        objr__hrtf_dir_from_polar(q->p.azimuth_deg, q->p.elevation_deg, d);
        q->hint = objr__hrtf_filter(h, d, q->hint, l, r, NULL);
        return;
    }
    /* extent: equal-weight mix over a grid spanning width x height around the direction,
     * energy kept at the mean of the grid's responses */
    int na = 1 + 2 * (int)ceil(fmin(w, 360.0) / (2 * EXTENT_STEP_DEG));
    int ne = 1 + 2 * (int)ceil(fmin(hh, 180.0) / (2 * EXTENT_STEP_DEG));
    if (na > MAX_EXTENT_DIRS)
        na = MAX_EXTENT_DIRS;
    if (ne > MAX_EXTENT_DIRS)
        ne = MAX_EXTENT_DIRS;
    memset(l, 0, fl * sizeof *l);
    memset(r, 0, fl * sizeof *r);
    double en_sum[2] = {0, 0};
    float *tl = b->flt2, *tr = b->flt2 + fl;
    int cnt = 0, hint = q->hint;
    for (int i = 0; i < na; i++)
        for (int j = 0; j < ne; j++) {
            double az =
                q->p.azimuth_deg + (na > 1 ? fmin(w, 360.0) * ((double)i / (na - 1) - 0.5) : 0.0);
            double el = q->p.elevation_deg + (ne > 1 ? hh * ((double)j / (ne - 1) - 0.5) : 0.0);
            if (el > 90)
                el = 90;
            if (el < -90)
                el = -90;
            double d[3];
            objr__hrtf_dir_from_polar(az, el, d);
            q->hint = objr__hrtf_filter(h, d, q->hint, tl, tr, NULL);
            band_power_dir(b, d, &hint, 1.0 / (na * ne), want);
            for (size_t k = 0; k < fl; k++) {
                l[k] += tl[k];
                r[k] += tr[k];
                en_sum[0] += (double)tl[k] * tl[k];
                en_sum[1] += (double)tr[k] * tr[k];
            }
            cnt++;
        }
    for (int e = 0; e < 2; e++) {
        float *o = e ? r : l;
        double en = 0;
        for (size_t k = 0; k < fl; k++)
            en += (double)o[k] * o[k];
        if (en > 0) {
            float g = (float)sqrt(en_sum[e] / cnt / en);
            for (size_t k = 0; k < fl; k++)
                o[k] *= g;
        }
    }
}

static void filter_spectra(objr_binaural *b, const float *l, const float *r, float *H) {
    size_t S = b->S;
    float scale = b->cal / (float)b->f.n;
    for (int e = 0; e < 2; e++) {
        const float *src = e ? r : l;
        memset(b->frame, 0, b->f.n * sizeof *b->frame);
        for (size_t i = 0; i < b->flen; i++)
            b->frame[i] = src[i] * scale;
        float *re = H + (size_t)e * 2 * S;
        objr__bfft_forward(&b->f, b->frame, re, re + S);
    }
}

/* The power of direction d's response in the fade bands, from the prepared spectra with the
 * barycentric energy weights (as point_mix keeps the energy), times wt, added to pw. */
static void band_power_dir(objr_binaural *b, const double d[3], int *hint, double wt,
                           double pw[2][MAX_FBANDS]) {
    int idx[3];
    double w[3];
    size_t S = b->S;
    *hint = objr__hrtf_locate(b->h, d, *hint, idx, w);
    for (size_t e = 0; e < 2; e++)
        for (int v = 0; v < 3; v++) {
            size_t i = 2 * (size_t)idx[v] + e;
            const int16_t *a = b->aspec + i * 2 * S;
            double sc = (double)b->ascale[i] * b->ascale[i] * w[v] * wt;
            for (size_t j = 0; j < b->nfb; j++) {
                double acc = 0;
                for (size_t k = b->fb[j]; k < b->fb[j + 1]; k++)
                    acc += (double)a[k] * a[k] + (double)a[S + k] * a[S + k];
                pw[e][j] += sc * acc;
            }
        }
}

static void fade_curve(const objr_binaural *b, const float *beta, objr__bcurve *c);

/* Extended source: the grid's responses summed add up in amplitude where they are alike (the
 * low frequencies) and in power where they are not (the highs), so one broadband energy
 * gain leaves the lows several dB above a point source. Each fade band of each ear gets the
 * grid's mean power (want), the gain interpolated between the bands' centres. */
static void extent_balance(objr_binaural *b, float *H, double want[2][MAX_FBANDS]) {
    size_t S = b->S;
    for (size_t e = 0; e < 2; e++) {
        float *re = H + e * 2 * S, *im = re + S, g[MAX_FBANDS];
        for (size_t j = 0; j < b->nfb; j++) {
            double have = 0;
            for (size_t k = b->fb[j]; k < b->fb[j + 1]; k++)
                have += (double)re[k] * re[k] + (double)im[k] * im[k];
            g[j] = have > 0 && want[e][j] > 0 ? (float)sqrt(want[e][j] / have) : 1.0f;
        }
        objr__bcurve c;
        fade_curve(b, g, &c);
        size_t k = 0;
        for (size_t j = 0; j < c.n; j++)
            for (size_t k0 = k; k < c.end[j]; k++) {
                float v = c.v0[j] + c.dv[j] * (float)(k - k0);
                re[k] *= v, im[k] *= v;
            }
    }
}

/* Parseval over a real signal's half spectrum: interior bins count twice */
static double spec_energy(const objr__bconvdsp *dsp, const float *re, const float *im, size_t K) {
    double st[3];
    dsp->stats(re, im, re, im, K, st);
    return 2 * st[0] - ((double)re[0] * re[0] + (double)im[0] * im[0]) -
           ((double)re[K - 1] * re[K - 1] + (double)im[K - 1] * im[K - 1]);
}

/* Point source in the frequency domain: the same filter as objr__hrtf_filter (aligned
 * responses mixed with the barycentric weights, energy kept at the weighted mean, delayed by
 * the weighted mean delay rounded to a sample), made from the prepared spectra. The delayed
 * response still fits the frame's history (n_taps + max_delay <= L + 1), so the phase ramp
 * is an exact linear delay. ear_mix is one ear's recipe: three prepared spectra, their
 * weights (energy gain folded in) and the delay's phase ramp; the spectrum itself is made by
 * the caller (mix3rot, or mix3rot_stats while cross-fading). */
typedef struct ear_mix {
    const int16_t *a[3];
    float w[3];
    const float *rc;
} ear_mix;

static void point_mix(objr_binaural *b, bsrc *q, ear_mix m[2]) {
    const objr__hrtf *h = b->h;
    size_t S = b->S;
    double d[3], w[3];
    int idx[3];
    objr__hrtf_dir_from_polar(q->p.azimuth_deg, q->p.elevation_deg, d);
    int t = objr__hrtf_locate(h, d, q->hint, idx, w);
    q->hint = t;
    for (size_t e = 0; e < 2; e++) {
        double dl = 0, en_t = 0, en = 0;
        for (int k = 0; k < 3; k++) {
            size_t mi = (size_t)idx[k];
            dl += w[k] * h->delay[2 * mi + e];
            en_t += w[k] * b->aen[2 * mi + e];
            en += w[k] * w[k] * b->aen[2 * mi + e];
            m[e].a[k] = b->aspec + (2 * mi + e) * 2 * S;
        }
        const double *c = b->tri_c + ((size_t)t * 2 + e) * 3;
        en += 2 * (w[0] * w[1] * c[0] + w[1] * w[2] * c[1] + w[2] * w[0] * c[2]);
        double g = (en > 1e-30 && en_t > 0) ? sqrt(en_t / en) : 1.0;
        for (int k = 0; k < 3; k++)
            m[e].w[k] = (float)(w[k] * g * b->ascale[2 * (size_t)idx[k] + e]);
        long dd = lround(dl);
        if (dd < 0)
            dd = 0;
        if (dd > h->max_delay)
            dd = h->max_delay;
        m[e].rc = b->ramp + (size_t)dd * 2 * S;
    }
}

/* Level through the cross-fade: with a linear fade (old weight v = 1 - w, new weight w) the
 * middle of the block has gain sqrt((Eo+En+2C)/4) against the wanted sqrt((Eo+En)/2) (white
 * input); beta adds 2vw beta to both weights, lifting the middle to (1 + beta)/2 so partly
 * correlated filters keep their level (the same added term for both filters keeps the level
 * closer to the wanted one off the middle than scaling each weight, and needs one accumulator
 * instead of two). st = {Eo, En, C} (DC and Nyquist weighting is immaterial). */
static float fade_beta(const double st[3]) {
    double eo = st[0], en = st[1], c = st[2];
    double den = eo + en + 2 * c, beta = 0;
    if (den > 1e-30 && eo + en > 0)
        beta = sqrt(2 * (eo + en) / den) - 1.0;
    if (!(beta >= BETA_MIN))
        beta = BETA_MIN;
    if (beta > BETA_MAX)
        beta = BETA_MAX;
    return (float)beta;
}

/* The correction over the bins from the bands' values: linear between the bands' centres,
 * constant beyond the first and the last. */
static void fade_curve(const objr_binaural *b, const float *beta, objr__bcurve *c) {
    size_t nb = b->nfb;
    c->n = 0;
    c->end[c->n] = b->fc[0], c->v0[c->n] = beta[0], c->dv[c->n++] = 0.0f;
    for (size_t j = 0; j + 1 < nb; j++) {
        size_t len = b->fc[j + 1] - b->fc[j];
        c->end[c->n] = b->fc[j + 1], c->v0[c->n] = beta[j];
        c->dv[c->n++] = (beta[j + 1] - beta[j]) / (float)len;
    }
    c->end[c->n] = b->Kc, c->v0[c->n] = beta[nb - 1], c->dv[c->n++] = 0.0f;
}

/* New filter for q (previous one kept in hp; q->fading says whether to cross-fade). Point
 * sources return their mix parameters in m (spectra made later, fused with the fade's
 * statistics); extended sources get their spectra and betas here. Returns 1 for a point
 * source. */
static int update_filter(objr_binaural *b, bsrc *q, ear_mix m[2]) {
    int fade = q->has_filter && q->prev_nz, point = 0;
    float *t = q->hp;
    q->hp = q->hc;
    q->hc = t;
    if (q->p.width_deg > 0 || q->p.height_deg > 0) {
        float *l = b->flt, *r = b->flt + b->flen;
        double want[2][MAX_FBANDS];
        make_filter(b, q, l, r, want);
        filter_spectra(b, l, r, q->hc);
        extent_balance(b, q->hc, want);
    } else {
        point_mix(b, q, m);
        point = 1;
    }
    q->faz = q->p.azimuth_deg, q->fel = q->p.elevation_deg;
    q->fw = q->p.width_deg, q->fh = q->p.height_deg;
    q->has_filter = 1;
    q->fading = fade;
    if (!fade || point)
        return point;
    size_t S = b->S, K = b->Kc;
    for (int e = 0; e < 2; e++) {
        const float *o = q->hp + (size_t)e * 2 * S, *n = q->hc + (size_t)e * 2 * S;
        for (size_t j = 0; j < b->nfb; j++) {
            double st[3] = {0, 0, 0};
            for (size_t k = b->fb[j]; k < b->fb[j + 1] && k < K; k++) { /* as mix3rot_stats */
                const float *or_ = o, *oi = o + S, *nr = n, *ni = n + S;
                st[0] += (double)or_[k] * or_[k] + (double)oi[k] * oi[k];
                st[1] += (double)nr[k] * nr[k] + (double)ni[k] * ni[k];
                st[2] += (double)or_[k] * nr[k] + (double)oi[k] * ni[k];
            }
            q->beta[e][j] = fade_beta(st);
        }
    }
    return point;
}

/* x * linear ramp g0 -> g1 over the block (sample n gets g0 + (g1 - g0)(n+1)/B), added to y */
static void ramp_add(const objr__bconvdsp *dsp, float *y, const float *x, float g0, float g1,
                     size_t B) {
    if (g0 == 0.0f && g1 == 0.0f)
        return;
    dsp->ramp(y, x, g0, (g1 - g0) / (float)B, B, 1);
}

static void send_gains(const objr_binaural *b, objr_binaural_mode m, double *dir, double *er,
                       double *rev) {
    int room = b->cfg.default_mode != OBJR_BINAURAL_MODE_DRY;
    *dir = 1.0, *er = 0.0, *rev = 0.0;
    if (!room || m == OBJR_BINAURAL_MODE_DRY)
        return;
    switch (m) {
    case OBJR_BINAURAL_MODE_NEAR:
        *er = pow(10.0, OBJR__BROOM_NEAR_ER_DB / 20.0);
        *rev = pow(10.0, OBJR__BROOM_NEAR_REV_DB / 20.0);
        break;
    case OBJR_BINAURAL_MODE_FAR:
        *dir = pow(10.0, OBJR__BROOM_FAR_DIRECT_DB / 20.0);
        *er = pow(10.0, OBJR__BROOM_FAR_ER_DB / 20.0);
        *rev = pow(10.0, OBJR__BROOM_FAR_REV_DB / 20.0);
        break;
    default: /* MID */
        *er = pow(10.0, OBJR__BROOM_MID_ER_DB / 20.0);
        *rev = pow(10.0, OBJR__BROOM_MID_REV_DB / 20.0);
        break;
    }
}

/* A source waiting for its input spectrum (sources are transformed two at a time). */
typedef struct pending {
    bsrc *q;
    int point;    /* point source with a new filter: its spectra are made in convolve() */
    ear_mix m[2]; /* and their recipe */
} pending;

/* Accumulate a source's contribution, given its input spectrum (xr, xi). */
static void convolve(objr_binaural *b, pending *pd, const float *xr, const float *xi) {
    bsrc *q = pd->q;
    size_t S = b->S, K = b->Kc;
    /* per ear: make the new spectrum (point sources), then accumulate, so the ear's spectra are
     * still in cache for the multiply-accumulate */
    for (int e = 0; e < 2; e++) {
        float *hc = q->hc + (size_t)e * 2 * S;
        const ear_mix *m = &pd->m[e];
        if (q->fading) {
            const float *hp = q->hp + (size_t)e * 2 * S;
            if (pd->point) { /* the new spectrum, with each band's statistics */
                double st[MAX_FBANDS][3];
                b->dsp.mix3rot_stats(hc, hc + S, m->a, m->w, S, m->rc, m->rc + S, hp, hp + S, b->fb,
                                     b->nfb, st);
                for (size_t j = 0; j < b->nfb; j++)
                    q->beta[e][j] = fade_beta(st[j]);
            }
            objr__bcurve bc;
            fade_curve(b, q->beta[e], &bc);
            float *const y[3] = {acc_ptr(b, ACC_O, e), acc_ptr(b, ACC_N, e), acc_ptr(b, ACC_B, e)};
            b->dsp.cmacfade(y, S, &bc, xr, xi, hp, hp + S, hc, hc + S, K);
        } else {
            if (pd->point)
                b->dsp.mix3rot(hc, hc + S, m->a, m->w, S, m->rc, m->rc + S, K);
            float *ys = acc_ptr(b, ACC_S, e);
            b->dsp.cmac(ys, ys + S, xr, xi, hc, hc + S, K);
        }
    }
    q->fading = 0;
}

/* A source's gains for this block (each bus ramps from the previous block's to these). */
typedef struct targets {
    float dir, off[2], room, diff, lfe;
    int room_bus; /* the room bus (rendering mode) the source feeds */
} targets;

/* The target gains of source @p q from its parameters: LFE, headphone-virtualise off (a
 * constant-power stereo pan), or direct + diffuse + room sends of its rendering mode. */
static targets source_targets(const objr_binaural *b, const bsrc *q) {
    targets t = {0, {0, 0}, 0, 0, 0, q->room};
    if (!q->p.active)
        return t;
    double g = q->p.gain;
    if (q->p.lfe) {
        t.lfe = (float)g;
        return t;
    }
    objr_binaural_mode m = q->p.mode ? q->p.mode : b->cfg.default_mode;
    if (m == OBJR_BINAURAL_MODE_OFF) {
        double az = q->p.azimuth_deg * OBJR_PI / 180.0;
        double el = q->p.elevation_deg * OBJR_PI / 180.0;
        double th = (1.0 - cos(el) * sin(az)) * OBJR_PI / 4.0;
        t.off[0] = (float)(g * cos(th));
        t.off[1] = (float)(g * sin(th));
    } else {
        const double *sg = b->send[m];
        double d = sg[0], er = sg[1], rev = sg[2];
        double dif = q->p.diffuse;
        t.dir = (float)(g * d * sqrt(1.0 - dif));
        t.diff = (float)(g * d * sqrt(dif)); /* diffuseness splits the direct */
        if (er > 0 || rev > 0) {
            t.room = (float)g;
            t.room_bus = (int)m;
        }
    }
    return t;
}

/* The block's input of source @p s: its FIFO, or the caller's buffer at @p off when @p in is not
 * NULL. NaN or infinity is replaced by silence, so no history, bus, reverb or filter state ever
 * holds a non-finite value (the FIFO is free then: the block is taken). */
static const float *source_input(objr_binaural *b, const float *const *in, size_t off, size_t s) {
    bsrc *q = &b->src[s];
    const float *x = !in ? q->fifo : in[s] ? in[s] + off : b->zeros;
    if (x != b->zeros && !objr__finite_all_f32(x, b->B)) {
        (void)objr__finite_copy_f32(q->fifo, x, b->B);
        x = q->fifo;
    }
    return x;
}

/* Ramp source @p q's input @p x into the diffuse, room, LFE and "off" buses, from its previous
 * gains to @p t; returns the room buses it used (bit per mode). */
static unsigned source_to_buses(objr_binaural *b, float *const *bus, const bsrc *q, const float *x,
                                const targets *t) {
    size_t B = b->B;
    int room = t->room_bus;
    ramp_add(&b->dsp, bus[BUS_DIFF], x, q->g_diff, t->diff, B);
    if (room == q->room) {
        ramp_add(&b->dsp, bus[BUS_ROOM + room], x, q->g_room, t->room, B);
    } else { /* mode changed: out of the old bus, into the new one */
        ramp_add(&b->dsp, bus[BUS_ROOM + q->room], x, q->g_room, 0.0f, B);
        ramp_add(&b->dsp, bus[BUS_ROOM + room], x, 0.0f, t->room, B);
    }
    ramp_add(&b->dsp, bus[BUS_LFE], x, q->g_lfe, t->lfe, B);
    ramp_add(&b->dsp, bus[BUS_OFFL], x, q->g_off[0], t->off[0], B);
    ramp_add(&b->dsp, bus[BUS_OFFR], x, q->g_off[1], t->off[1], B);
    return (unsigned)(q->g_room != 0.0f) << q->room | (unsigned)(t->room != 0.0f) << room;
}

/* Queue source @p q's direct path as pending slot @p pd: update its filter if it moved, and
 * write its frame (L samples of history, then this block's input ramped to @p t_dir) into the
 * transform input slot @p slot. */
static void queue_direct(objr_binaural *b, pending *pd, size_t slot, bsrc *q, const float *x,
                         float t_dir, int cur_nz) {
    size_t B = b->B, L = b->L;
    pd->q = q;
    pd->point = 0;
    if (!q->has_filter || q->p.azimuth_deg != q->faz || q->p.elevation_deg != q->fel ||
        q->p.width_deg != q->fw || q->p.height_deg != q->fh)
        pd->point = update_filter(b, q, pd->m);
    float *fr = b->f.pin + slot * b->f.n;
    memcpy(fr, q->prev, L * sizeof *fr);
    if (cur_nz)
        b->dsp.ramp(fr + L, x, q->g_dir, (t_dir - q->g_dir) / (float)B, B, 0);
    else
        memset(fr + L, 0, B * sizeof *fr);
    memcpy(q->prev, fr + B, L * sizeof *fr); /* the frame's last L samples */
}

/* Every source into the buses and the direct accumulators (sources transformed two at a
 * time); returns whether any direct filter is cross-fading, and the room buses used. */
static int sources_block(objr_binaural *b, const float *const *in, size_t off, float *const *bus,
                         unsigned *room_used) {
    int any_fade = 0, npend = 0;
    pending pend[2];
    for (size_t s = 0; s < b->ns; s++) {
        bsrc *q = &b->src[s];
        targets t = source_targets(b, q);
        const float *x = source_input(b, in, off, s);
        *room_used |= source_to_buses(b, bus, q, x, &t);
        int cur_nz = q->g_dir != 0.0f || t.dir != 0.0f;
        if (cur_nz || q->prev_nz) {
            queue_direct(b, &pend[npend], (size_t)npend, q, x, t.dir, cur_nz);
            any_fade |= q->fading;
            if (++npend == 2) { /* two sources, one complex transform */
                objr__bfft_pair_forward(&b->f);
                b->dsp.split2(b->f.pout, b->f.n, b->xr, b->xi, b->xr2, b->xi2, b->K);
                convolve(b, &pend[0], b->xr, b->xi);
                convolve(b, &pend[1], b->xr2, b->xi2);
                npend = 0;
            }
        }
        q->prev_nz = cur_nz;
        q->g_dir = t.dir, q->g_off[0] = t.off[0], q->g_off[1] = t.off[1];
        q->g_room = t.room, q->room = t.room_bus, q->g_diff = t.diff, q->g_lfe = t.lfe;
    }
    if (npend) { /* an odd one out: a real transform */
        objr__bfft_forward(&b->f, b->f.pin, b->xr, b->xi);
        convolve(b, &pend[0], b->xr, b->xi);
    }
    return any_fade;
}

/* The direct accumulators back to time: both ears through one complex inverse per accumulator;
 * with cross-fading filters, old, new and cross terms are blended over the block. */
static void direct_to_output(objr_binaural *b, int any_fade) {
    size_t B = b->B, L = b->L, S = b->S;
    const float *o[2];
    float *yl = acc_ptr(b, ACC_S, 0), *yr = acc_ptr(b, ACC_S, 1);
    objr__bfft_pair_inverse(&b->f, yl, yl + S, yr, yr + S, o);
    memcpy(b->out_l, o[0] + L, B * sizeof *b->out_l);
    memcpy(b->out_r, o[1] + L, B * sizeof *b->out_r);
    if (!any_fade)
        return;
    static const int which[3] = {ACC_O, ACC_N, ACC_B};
    float *tt[2][3];
    for (int k = 0; k < 3; k++) {
        float *a = acc_ptr(b, which[k], 0), *c = acc_ptr(b, which[k], 1);
        objr__bfft_pair_inverse(&b->f, a, a + S, c, c + S, o);
        /* the accumulators are consumed: they hold the outputs now */
        memcpy(a, o[0] + L, B * sizeof *a);
        memcpy(c, o[1] + L, B * sizeof *c);
        tt[0][k] = a, tt[1][k] = c;
    }
    for (int e = 0; e < 2; e++) {
        float *out = e ? b->out_r : b->out_l;
        float *const *t = tt[e];
        for (size_t i = 0; i < B; i++) {
            float w = (float)(i + 1) / (float)B, v = 1.0f - w;
            out[i] += v * t[0][i] + w * t[1][i] + 2.0f * v * w * t[2][i];
        }
    }
}

/* The shared paths (direct-sound equaliser, diffuse, early reflections): one convolution each,
 * whose cost does not grow with the number of sources; each runs on while its tail lasts. */
static void shared_paths(objr_binaural *b, float *const *bus) {
    size_t B = b->B, S2 = b->f2.stride;
    float *ys[2] = {b->acc2, b->acc2 + 2 * S2};
    float *ysi[2] = {ys[0] + S2, ys[1] + S2};
    int nz_d = 0, nz_e = 0, shared;
    for (size_t i = 0; i < B && !nz_d; i++)
        nz_d = bus[BUS_DIFF][i] != 0.0f;
    for (size_t i = 0; i < B && !nz_e && b->er; i++)
        nz_e = bus[BUS_ER][i] != 0.0f;
    if (nz_d)
        b->diff_tail = 3;
    if (nz_e)
        b->er_tail = 8;
    int nz_o = 0; /* direct sound to equalise */
    for (size_t i = 0; i < B && !nz_o && b->eq[0]; i++)
        nz_o = b->out_l[i] != 0.0f || b->out_r[i] != 0.0f;
    if (nz_o)
        b->eq_tail = 2;
    shared = b->diff_tail > 0 || (b->er && b->er_tail > 0) || (b->eq[0] && b->eq_tail > 0);
    if (shared)
        memset(b->acc2, 0, 4 * S2 * sizeof *b->acc2);
    if (b->eq[0] && b->eq_tail > 0) { /* the direct sound continues through the equaliser */
        objr__bconv_fixed_block(b->eq[0], &b->dsp, b->out_l, ys, ysi, b->td2);
        objr__bconv_fixed_block(b->eq[1], &b->dsp, b->out_r, ys, ysi, b->td2);
        memset(b->out_l, 0, B * sizeof *b->out_l);
        memset(b->out_r, 0, B * sizeof *b->out_r);
        b->eq_tail -= !nz_o;
    }
    if (b->diff_tail > 0) {
        objr__bconv_fixed_block(b->diff, &b->dsp, bus[BUS_DIFF], ys, ysi, b->td2);
        b->diff_tail -= !nz_d;
    }
    if (b->er && b->er_tail > 0) {
        objr__bconv_fixed_block(b->er, &b->dsp, bus[BUS_ER], ys, ysi, b->td2);
        b->er_tail -= !nz_e;
    }
    if (shared) {
        for (int e = 0; e < 2; e++) {
            float *out = e ? b->out_r : b->out_l;
            objr__bfft_inverse(&b->f2, ys[e], ysi[e], b->td2);
            for (size_t i = 0; i < B; i++)
                out[i] += b->td2[B + i];
        }
    }
}

/* One block. Inputs from the sources' FIFOs, or straight from the caller's buffers at offset
 * @p off when @p in is not NULL (a whole block arrived at a block boundary: no copy). */
static void process_block(objr_binaural *b, const float *const *in, size_t off) {
    size_t B = b->B, S = b->S;
    memset(b->acc, 0, (size_t)ACC_COUNT * 4 * S * sizeof *b->acc);
    memset(b->bus, 0, (size_t)BUS_COUNT * B * sizeof *b->bus);
    float *bus[BUS_COUNT];
    for (int i = 0; i < BUS_COUNT; i++)
        bus[i] = b->bus + (size_t)i * B;
    unsigned room_used = 0;
    int any_fade = sources_block(b, in, off, bus, &room_used);
    for (int m = 1; m <= OBJR_BINAURAL_MODE_DRY; m++) { /* room buses -> reflections, reverb */
        if (!(room_used & (1u << m)))
            continue;
        b->dsp.ramp(bus[BUS_ER], bus[BUS_ROOM + m], (float)b->send[m][1], 0.0f, B, 1);
        b->dsp.ramp(bus[BUS_REV], bus[BUS_ROOM + m], (float)b->send[m][2], 0.0f, B, 1);
    }
    direct_to_output(b, any_fade);
    shared_paths(b, bus);
    if (b->rev)
        objr__breverb_process(b->rev, bus[BUS_REV], b->out_l, b->out_r, B);
    biquad(b->lfe_c[0], b->lfe_z[0], bus[BUS_LFE], B);
    biquad(b->lfe_c[1], b->lfe_z[1], bus[BUS_LFE], B);
    float lg = b->lfe_g;
    for (size_t i = 0; i < B; i++) {
        b->out_l[i] += bus[BUS_OFFL][i] + lg * bus[BUS_LFE][i];
        b->out_r[i] += bus[BUS_OFFR][i] + lg * bus[BUS_LFE][i];
    }
    if (!objr__finite_all_f32(b->out_l, B) || !objr__finite_all_f32(b->out_r, B)) {
        /* finite inputs so large that a sum overflowed: this block is silenced and every
         * state restarts from silence (the sources fade back in over the next block) */
        objr_binaural_reset(b);
    }
}

objr_status objr_binaural_process(objr_binaural *b, const float *const *in, float *out_l,
                                  float *out_r, size_t n_frames) {
    if (!b || (!in && n_frames) || ((!out_l || !out_r) && n_frames))
        return OBJR_ERR_INVALID_ARG;
    size_t done = 0, B = b->B;
    unsigned fpu = objr__ftz_enter(); /* the reverb's decaying tail must not go denormal */
    while (done < n_frames) {
        size_t chunk = n_frames - done;
        if (chunk > B - b->fill)
            chunk = B - b->fill;
        if (chunk == B) { /* a whole block at a boundary: render from the caller's buffers */
            memcpy(out_l + done, b->out_l, B * sizeof *out_l);
            memcpy(out_r + done, b->out_r, B * sizeof *out_r);
            process_block(b, in, done);
            done += B;
            continue;
        }
        for (size_t s = 0; s < b->ns; s++) {
            float *d = b->src[s].fifo + b->fill;
            if (in[s])
                memcpy(d, in[s] + done, chunk * sizeof *d);
            else
                memset(d, 0, chunk * sizeof *d);
        }
        memcpy(out_l + done, b->out_l + b->fill, chunk * sizeof *out_l);
        memcpy(out_r + done, b->out_r + b->fill, chunk * sizeof *out_r);
        b->fill += chunk;
        done += chunk;
        if (b->fill == B) {
            process_block(b, NULL, 0);
            b->fill = 0;
        }
    }
    objr__ftz_leave(fpu);
    return OBJR_OK;
}

void objr__binaural_calibration(const objr_binaural *b, double *direct, double *lfe) {
    *direct = b->cal;
    *lfe = b->lfe_g;
}

size_t objr_binaural_latency_frames(const objr_binaural *b) {
    return b ? b->B : 0;
}

size_t objr_binaural_block_frames(const objr_binaural *b) {
    return b ? b->B : 0;
}

objr_status objr_binaural_set_source(objr_binaural *b, size_t index,
                                     const objr_binaural_source *src) {
    if (!b || !src || index >= b->ns)
        return OBJR_ERR_INVALID_ARG;
    if (!isfinite(src->azimuth_deg) || !isfinite(src->elevation_deg) || !isfinite(src->gain) ||
        !(src->gain >= 0) || !(src->width_deg >= 0) || !(src->height_deg >= 0) ||
        !isfinite(src->width_deg) || !isfinite(src->height_deg) || !(src->diffuse >= 0) ||
        !(src->diffuse <= 1) || (int)src->mode < 0 || (int)src->mode > OBJR_BINAURAL_MODE_DRY)
        return OBJR_ERR_RANGE;
    b->src[index].p = *src;
    return OBJR_OK;
}

void objr_binaural_reset(objr_binaural *b) {
    if (!b)
        return;
    for (size_t s = 0; s < b->ns; s++) {
        bsrc *q = &b->src[s];
        memset(q->prev, 0, b->L * sizeof *q->prev);
        q->prev_nz = 0, q->fading = 0;
        q->g_dir = q->g_off[0] = q->g_off[1] = q->g_room = q->g_diff = q->g_lfe = 0;
        q->room = 0;
    }
    memset(b->out_l, 0, b->B * sizeof *b->out_l);
    memset(b->out_r, 0, b->B * sizeof *b->out_r);
    b->fill = 0;
    memset(b->lfe_z, 0, sizeof b->lfe_z);
    if (b->rev)
        objr__breverb_reset(b->rev);
    objr__bconv_fixed_reset(b->diff);
    objr__bconv_fixed_reset(b->er);
    objr__bconv_fixed_reset(b->eq[0]);
    objr__bconv_fixed_reset(b->eq[1]);
    b->diff_tail = b->er_tail = b->eq_tail = 0;
}

/* Spectra of the aligned responses (16-bit, one scale each, the calibration gain folded in),
 * their energies, the triangles' inner products and the delay ramps. */
static objr_status prepare_spectra(objr_binaural *b) {
    size_t S = b->S, n = b->f.n;
    const objr__hrtf *h = b->h;
    size_t nm = h->n_meas, tot, K = b->K;
    if (!objr__mul_size(nm, 4 * S, &tot))
        return OBJR_ERR_NOMEM;
    /* float spectra first (scratch), then each response rounded to 16 bits with its own
     * step (its largest component at 32767); energies and inner products are those of the
     * rounded spectra, so the energy normalisation stays exact */
    float *fs = objr__bfft_alloc(tot);
    b->aspec = objr__calloc(tot, sizeof *b->aspec);
    b->ascale = objr__calloc(nm * 2, sizeof *b->ascale);
    b->aen = objr__calloc(nm * 2, sizeof *b->aen);
    b->ramp = objr__bfft_alloc(((size_t)h->max_delay + 1) * 2 * S);
    b->tri_c = objr__calloc(h->n_tri * 6, sizeof *b->tri_c);
    if (!fs || !b->aspec || !b->ascale || !b->aen || !b->ramp || !b->tri_c) {
        objr__bfft_free_buf(fs);
        return OBJR_ERR_NOMEM;
    }
    float scale = b->cal / (float)n; /* the level calibration folded in */
    b->Kc = K;
    if (h->sofa_rate_hz < b->cfg.sample_rate_hz) {
        /* a set measured at a lower rate has no information above its Nyquist frequency:
         * what the resampler leaves there is its own leakage, not the HRTF */
        double kn = 0.5 * h->sofa_rate_hz / b->cfg.sample_rate_hz * (double)n;
        size_t kc = ((size_t)ceil(kn) + 1 + 15) & ~(size_t)15; /* whole SIMD vectors */
        if (kc < K)
            b->Kc = kc;
    }
    for (size_t i = 0; i < nm * 2; i++) {
        memset(b->frame, 0, n * sizeof *b->frame);
        for (size_t k = 0; k < h->n_taps; k++)
            b->frame[k] = h->ir[i * h->n_taps + k] * scale;
        float *re = fs + i * 2 * S, amax = 0;
        objr__bfft_forward(&b->f, b->frame, re, re + S);
        for (size_t k = 0; k < K; k++)
            amax = fmaxf(amax, fmaxf(fabsf(re[k]), fabsf(re[S + k])));
        float step = amax > 0 ? amax / 32767.0f : 1.0f;
        int16_t *q = b->aspec + i * 2 * S;
        for (size_t k = 0; k < 2 * S; k++) {
            long v = lrintf(re[k] / step); /* |v| <= 32767 (padding bins are 0) */
            q[k] = (int16_t)(v > 32767 ? 32767 : v < -32767 ? -32767 : v);
            if (k % S >= b->Kc)
                q[k] = 0;               /* above the set's own band */
            re[k] = (float)q[k] * step; /* the stored value */
        }
        b->ascale[i] = step;
        b->aen[i] = spec_energy(&b->dsp, re, re + S, K);
    }
    for (size_t t = 0; t < h->n_tri; t++)
        for (size_t e = 0; e < 2; e++)
            for (size_t k = 0; k < 3; k++) {
                const float *x = fs + (2 * (size_t)h->tri[3 * t + k] + e) * 2 * S;
                const float *y = fs + (2 * (size_t)h->tri[3 * t + (k + 1) % 3] + e) * 2 * S;
                double cs[3];
                b->dsp.stats(x, x + S, y, y + S, K, cs);
                /* Parseval weights: interior bins twice */
                size_t L = K - 1;
                b->tri_c[(t * 2 + e) * 3 + k] = 2 * cs[2] -
                                                ((double)x[0] * y[0] + (double)x[S] * y[S]) -
                                                ((double)x[L] * y[L] + (double)x[S + L] * y[S + L]);
            }
    objr__bfft_free_buf(fs);
    for (size_t d = 0; d <= (size_t)h->max_delay; d++) {
        float *rc = b->ramp + d * 2 * S;
        for (size_t k = 0; k < b->K; k++) {
            double ph = -2.0 * OBJR_PI * (double)((k * d) % n) / (double)n;
            rc[k] = (float)cos(ph);
            rc[S + k] = (float)sin(ph);
        }
    }
    return OBJR_OK;
}

/* The level calibration (README "Binaural levels"), against the library's own 2.0 render
 * with BS.1770 loudness weighting (level.h: K-weighting over a pink spectrum). The two
 * reference cases are a source straight ahead and the diffuse field: the 2.0 render gives them
 * the power gains F2 (1) and D2 (below 1: BS.2127 lowers rear sources by up to 3 dB), the
 * set the powers Fb and Db (both ears, through the equaliser when it is on). One gain cannot
 * match both, as the set's frontal-to-diffuse ratio is not the panner's, so the direct sound
 * gets cal = (F2 D2 / (Fb Db))^(1/4), which leaves the two cases equally far from the 2.0
 * render in opposite directions (for MIT KEMAR, about 0.5 dB each). Every other path is
 * referred to the calibrated direct sound's per-ear diffuse-field power t = cal^2 Db / 2: the
 * shared diffuse field is scaled to t on its own (its 11 virtual directions are not the
 * sphere); the early reflections take cal; each room mode's sends are scaled so that direct
 * + reflections + reverb carry the power of the direct sound alone (a mode changes the
 * direct-to-reverberant ratio, not the level); the LFE reaches each ear with power t, as a
 * loudspeaker's feed does. */
static objr_status calibrate(objr_binaural *b, const float *eqf, float *const dif[2], size_t len_d,
                             float *const er[2], size_t len_e) {
    const objr__hrtf *h = b->h;
    size_t max_len = b->flen > EQ_TAPS ? b->flen : EQ_TAPS;
    max_len = len_d > max_len ? len_d : max_len;
    max_len = len_e > max_len ? len_e : max_len;
    double f2 = 1, d2 = 1;
    objr_status st = objr__blevel_stereo(h, &f2, &d2);
    objr__blevel *lv = NULL;
    if (st == OBJR_OK)
        st = objr__blevel_create(b->cfg.sample_rate_hz, max_len, &lv);
    if (st != OBJR_OK)
        return st;
    objr__blevel_shape(lv, eqf, EQ_TAPS);
    double db = 2 * objr__blevel_diffuse(lv, h), d0[3];
    objr__hrtf_dir_from_polar(0.0, 0.0, d0);
    objr__hrtf_filter(h, d0, -1, b->flt, b->flt + b->flen, NULL);
    double fb = 2 * objr__blevel_pair(lv, b->flt, b->flt + b->flen, b->flen);
    objr__blevel_shape(lv, NULL, 0); /* the shared filters below include the equaliser */
    b->cal = fb > 0 && db > 0 ? (float)pow(f2 * d2 / (fb * db), 0.25) : 1.0f;
    double t = (double)b->cal * b->cal * db / 2;
    double p_dif = objr__blevel_pair(lv, dif[0], dif[1], len_d);
    float g_dif = p_dif > 0 ? (float)sqrt(t / p_dif) : 1.0f;
    for (size_t i = 0; i < len_d; i++)
        dif[0][i] *= g_dif, dif[1][i] *= g_dif;
    double rel_er = 0, rel_rev = 0;
    if (er[0]) {
        for (size_t i = 0; i < len_e; i++)
            er[0][i] *= b->cal, er[1][i] *= b->cal;
        rel_er = objr__blevel_pair(lv, er[0], er[1], len_e) / t;
    }
    objr__blevel_destroy(lv);
    if (b->rev)
        rel_rev = objr__breverb_ir_energy(b->rev, b->cfg.sample_rate_hz) / t;
    for (int m = OBJR_BINAURAL_MODE_OFF; m <= OBJR_BINAURAL_MODE_DRY; m++) {
        double *sg = b->send[m];
        send_gains(b, (objr_binaural_mode)m, &sg[0], &sg[1], &sg[2]);
        double k = 1.0 / sqrt(sg[0] * sg[0] + sg[1] * sg[1] * rel_er + sg[2] * sg[2] * rel_rev);
        sg[0] *= k, sg[1] *= k, sg[2] *= k;
    }
    b->lfe_g = (float)(pow(10.0, b->cfg.lfe_gain_db / 20.0) * sqrt(t));
    return OBJR_OK;
}

/* The diffuse-field equaliser (*eqf, NULL when off; the caller frees it) and its direct-sound
 * convolvers, the shared diffuse-field and early-reflection convolvers (the equaliser folded
 * into their filters), the reverb, the LFE low-pass and the calibration of them all. */
static objr_status build_paths(objr_binaural *b, float **eqf_out) {
    const objr_binaural_config *cfg = &b->cfg;
    float *eqf = NULL, *dif[2] = {NULL, NULL}, *er[2] = {NULL, NULL};
    size_t len_d = 0, len_e = 0;
    objr_status st = OBJR_OK;
    lowpass_coefs(cfg->lfe_cutoff_hz, cfg->sample_rate_hz, b->lfe_c[0]);
    memcpy(b->lfe_c[1], b->lfe_c[0], sizeof b->lfe_c[0]);
    if (cfg->diffuse_eq) {
        eqf = objr__calloc(EQ_TAPS, sizeof *eqf);
        float *zero = objr__calloc(EQ_TAPS, sizeof *zero);
        st = eqf && zero ? objr__hrtf_diffuse_eq(b->h, EQ_TAPS, eqf) : OBJR_ERR_NOMEM;
        if (st == OBJR_OK)
            st = objr__bconv_fixed_create(&b->f2, eqf, zero, EQ_TAPS, &b->eq[0]);
        if (st == OBJR_OK)
            st = objr__bconv_fixed_create(&b->f2, zero, eqf, EQ_TAPS, &b->eq[1]);
        free(zero);
    }
    *eqf_out = eqf;
    if (st == OBJR_OK)
        st = objr__broom_diffuse_filter(b->h, &dif[0], &dif[1], &len_d);
    if (st == OBJR_OK && eqf)
        st = equalise(&dif[0], &dif[1], &len_d, eqf);
    if (st == OBJR_OK && cfg->default_mode != OBJR_BINAURAL_MODE_DRY) {
        st = objr__broom_er_filter(b->h, &er[0], &er[1], &len_e);
        if (st == OBJR_OK && eqf)
            st = equalise(&er[0], &er[1], &len_e, eqf);
        if (st == OBJR_OK)
            st = objr__breverb_create(cfg->sample_rate_hz, &b->rev);
    }
    if (st == OBJR_OK)
        st = calibrate(b, eqf, dif, len_d, er, len_e);
    if (st == OBJR_OK)
        st = objr__bconv_fixed_create(&b->f2, dif[0], dif[1], len_d, &b->diff);
    if (st == OBJR_OK && er[0])
        st = objr__bconv_fixed_create(&b->f2, er[0], er[1], len_e, &b->er);
    free(dif[0]), free(dif[1]), free(er[0]), free(er[1]);
    return st;
}

static size_t next_pow2(size_t n) {
    size_t p = 16;
    while (p < n)
        p <<= 1;
    return p;
}

/* The renderer's buffers and each source slot's (filters, history, FIFO); returns 0 on out of
 * memory. */
static int alloc_buffers(objr_binaural *b) {
    size_t B = b->B, S = b->S, n = b->f.n;
    b->src = objr__calloc(b->ns, sizeof *b->src);
    b->out_l = objr__bfft_alloc(B);
    b->out_r = objr__bfft_alloc(B);
    b->zeros = objr__bfft_alloc(B);
    b->frame = objr__bfft_alloc(n);
    b->xr = objr__bfft_alloc(S);
    b->xi = objr__bfft_alloc(S);
    b->xr2 = objr__bfft_alloc(S);
    b->xi2 = objr__bfft_alloc(S);
    b->td = objr__bfft_alloc(n);
    b->acc = objr__bfft_alloc((size_t)ACC_COUNT * 4 * S);
    b->acc2 = objr__bfft_alloc(4 * b->f2.stride);
    b->td2 = objr__bfft_alloc(b->f2.n);
    b->flt = objr__bfft_alloc(2 * b->flen);
    b->flt2 = objr__bfft_alloc(2 * b->flen);
    b->bus = objr__bfft_alloc((size_t)BUS_COUNT * B);
    if (!b->src || !b->out_l || !b->out_r || !b->zeros || !b->frame || !b->xr || !b->xi ||
        !b->xr2 || !b->xi2 || !b->td || !b->acc || !b->acc2 || !b->td2 || !b->flt || !b->flt2 ||
        !b->bus)
        return 0;
    for (size_t i = 0; i < b->ns; i++) {
        bsrc *q = &b->src[i];
        q->p = objr_binaural_source_default();
        q->p.active = 0;
        q->hint = -1;
        q->hc = objr__bfft_alloc(4 * S);
        q->hp = objr__bfft_alloc(4 * S);
        q->prev = objr__bfft_alloc(b->L);
        q->fifo = objr__bfft_alloc(B);
        if (!q->hc || !q->hp || !q->prev || !q->fifo)
            return 0;
    }
    return 1;
}

/* The bands (from 500 Hz, octaves, 16-bin aligned) over which a moving source's filter
 * cross-fade is shaped. */
static void fade_bands(objr_binaural *b) {
    b->fb[0] = 0, b->nfb = 0;
    for (double f = 500.0; b->nfb + 1 < MAX_FBANDS; f *= 2) {
        size_t k = ((size_t)lround(f / b->cfg.sample_rate_hz * (double)b->f.n) + 8) & ~(size_t)15;
        if (k <= b->fb[b->nfb] || k + 16 > b->Kc)
            break;
        b->fb[++b->nfb] = k;
    }
    b->fb[++b->nfb] = b->Kc;
    for (size_t j = 0; j < b->nfb; j++)
        b->fc[j] = (b->fb[j] + b->fb[j + 1]) / 2;
}

objr_status objr_binaural_create(const objr_binaural_config *cfg, objr_diag *diag,
                                 objr_binaural **out) {
    if (!out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    if (!cfg || !(cfg->sample_rate_hz >= 8000 && cfg->sample_rate_hz <= 384000) ||
        cfg->max_sources == 0 || cfg->max_sources > MAX_SOURCES || cfg->block_frames > 65536 ||
        (int)cfg->default_mode < 1 || (int)cfg->default_mode > OBJR_BINAURAL_MODE_DRY ||
        !(cfg->lfe_cutoff_hz > 10 && cfg->lfe_cutoff_hz < cfg->sample_rate_hz / 2) ||
        !isfinite(cfg->lfe_gain_db))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "binaural: invalid configuration");
    objr_binaural *b = objr__calloc(1, sizeof *b);
    if (!b)
        return OBJR_ERR_NOMEM;
    b->cfg = *cfg;
    b->cfg.hrtf_path = NULL, b->cfg.hrtf_data = NULL; /* borrowed for this call only */
    objr_status st;
    if (cfg->hrtf_data)
        st = objr__hrtf_load_mem(cfg->hrtf_data, cfg->hrtf_size, "<HRTF data>", cfg->sample_rate_hz,
                                 diag, &b->h);
    else
        st = objr__hrtf_load_file(cfg->hrtf_path, cfg->sample_rate_hz, diag, &b->h);
    if (st != OBJR_OK)
        goto fail;
    b->flen = objr__hrtf_filter_len(b->h);
    /* Overlap-save frames of n = 2P: each frame keeps the L >= flen - 1 samples of history the
     * filters need and renders the other B = n - L (a multiple of 16, >= P). Hop sizes over
     * n/2 give up to n - flen + 1 outputs per transform instead of n/2 (1456 instead of 1024
     * for 48 kHz KEMAR), for a latency of B. The shared multi-partition convolvers need
     * partitions of the hop's length, so they use their own transform of 2B. */
    {
        size_t P = next_pow2(cfg->block_frames > b->flen - 1 ? cfg->block_frames : b->flen - 1);
        st = objr__bfft_init(&b->f, P, cfg->fft_measure);
        if (st != OBJR_OK)
            goto fail;
        b->B = (b->f.n - (b->flen - 1)) & ~(size_t)15;
        b->L = b->f.n - b->B;
        st = objr__bfft_init(&b->f2, b->B, cfg->fft_measure);
        if (st != OBJR_OK)
            goto fail;
    }
    objr__bconvdsp_init(&b->dsp, objr__cpu_flags());
    b->S = b->f.stride, b->K = b->f.k, b->ns = cfg->max_sources;
    if (!alloc_buffers(b))
        goto nomem;
    float *eqf = NULL;
    st = build_paths(b, &eqf);
    if (st == OBJR_OK)
        st = prepare_spectra(b);
    free(eqf);
    if (st != OBJR_OK)
        goto fail;
    fade_bands(b);
    *out = b;
    return OBJR_OK;
nomem:
    st = OBJR_ERR_NOMEM;
fail:
    objr_binaural_destroy(b);
    return st;
}
