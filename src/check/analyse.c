/* SPDX-License-Identifier: BSD-3-Clause */
/* The translation check's measurements of one render (analyse.h): loudness, loudness range
 * and true peak through the BS.1770-4 meter (ITU-R BS.1770-4/-5, EBU Tech 3342), short-term
 * and phase-correlation series over 400 ms windows, mono compatibility (M = (L+R)/2 on both
 * loudspeakers), long-term third-octave spectra (Hann, 50 % overlap) and the LFE's content. */
#include "src/check/analyse.h"

#include <stdlib.h>
#include <string.h>

#include "src/core/fftw_lock.h"
#include "src/core/geom.h"

#define SILENT_MS 1e-10 /* mean square under which a correlation window is silent (-100 dBFS) */

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

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void objr__check_analyser_free(objr__check_analyser *a) {
    objr_loudness_meter_destroy(a->meter);
    objr_loudness_meter_destroy(a->mono);
    objr_loudness_meter_destroy(a->fmeter);
    objr__freep(&a->mbuf);
    objr__freep(&a->st);
    objr__freep(&a->corr);
    objr__freep(&a->spec.ring);
    objr__freep(&a->spec.acc);
    objr__freep(&a->spec.acc_lfe);
}

objr_status objr__check_analyser_init(objr__check_analyser *a, char labels[16][16], size_t n,
                                      uint32_t rate, int full, size_t hop, size_t n_fft) {
    a->n_ch = n;
    a->full = full;
    a->sch[0] = a->ch[0];
    a->sch[1] = n > 1 ? a->ch[1] : a->ch[0];
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
    a->spec.lfe_ch = -1;
    for (size_t c = 0; c < n; c++)
        if (strncmp(labels[c], "LFE", 3) == 0)
            a->spec.lfe_ch = (int)c;
    if (a->spec.lfe_ch >= 0 && !(a->spec.acc_lfe = objr__calloc(n_fft / 2 + 1, sizeof(double))))
        return OBJR_ERR_NOMEM;
    return OBJR_OK;
}

static objr_status push_series(objr__check_analyser *a, double st, double corr) {
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

static void spectrum_analyse(objr__check_spectrum *s, objr__check_fft *f) {
    size_t n = s->n_fft, wp = (size_t)(s->total % n);
    for (size_t c = 0; c < s->n_ch; c++) {
        const float *ring = s->ring + c * n;
        for (size_t i = 0; i < n; i++)
            f->in[i] = ring[(wp + i) % n] * f->win[i];
        fftwf_execute_dft_r2c(f->plan, f->in, f->out);
        for (size_t k = 0; k <= n / 2; k++) {
            double re = f->out[k][0], im = f->out[k][1];
            s->acc[k] += s->w[c] * (re * re + im * im);
            if ((int)c == s->lfe_ch)
                s->acc_lfe[k] += re * re + im * im;
        }
    }
    s->n_frames_analysed++;
    s->since = 0;
}

/* Long-term third-octave band levels (dB) of @p s: a last (zero-padded) frame first when the
 * signal was short or a tail is left. */
void objr__check_band_levels(objr__check_spectrum *s, objr__check_fft *fft, uint32_t rate,
                             double *band_db) {
    if (s->total > 0 && (s->n_frames_analysed == 0 || s->since >= s->n_fft / 4))
        spectrum_analyse(s, fft);
    double df = (double)rate / (double)s->n_fft;
    for (int b = 0; b < OBJR__CHECK_N_BANDS; b++) {
        double fc = objr__check_band_centre_hz(b), lo = fc * pow(10.0, -0.05),
               hi = fc * pow(10.0, 0.05), e = 0;
        for (size_t kk = (size_t)ceil(lo / df); kk <= s->n_fft / 2 && (double)kk * df < hi; kk++)
            e += s->acc[kk];
        band_db[b] =
            objr__check_db_pow(s->n_frames_analysed ? e / (double)s->n_frames_analysed : 0);
    }
}

objr_status objr__check_analyser_feed(objr__check_analyser *a, size_t n, uint64_t pos,
                                      double silence_lin, objr__check_fft *fft) {
    objr_status st = objr_loudness_meter_add_f32(a->meter, a->ch, n);
    if (st != OBJR_OK)
        return st;
    if (!a->full) {
        if (a->n_ch != 2)
            return OBJR_OK;
        for (size_t i = 0; i < n; i++)
            a->mbuf[i] = 0.5f * (a->sch[0][i] + a->sch[1][i]);
        const float *mm[2] = {a->mbuf, a->mbuf};
        return objr_loudness_meter_add_f32(a->mono, mm, n);
    }
    double mom, stl;
    objr_loudness_meter_get_current(a->meter, &mom, &stl);
    double corr = NAN;
    if (a->n_ch == 2) {
        const float *L = a->sch[0], *R = a->sch[1];
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
        if ((st = objr_loudness_meter_add_f32(a->mono, mm, n)) != OBJR_OK ||
            (a->fmeter && (st = objr_loudness_meter_add_f32(a->fmeter, a->sch, n)) != OBJR_OK))
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
        if (m > a->peak) {
            a->peak = m;
            a->peak_pos = pos + i;
        }
        if (m > silence_lin) {
            if (!a->any_loud)
                a->first_loud = pos + i;
            a->any_loud = 1;
            a->last_loud = pos + i;
        }
    }
    a->frames = pos + n;
    /* spectrum ring */
    objr__check_spectrum *s = &a->spec;
    if (s->lfe_ch >= 0)
        for (size_t i = 0; i < n; i++)
            s->lfe_ss += (double)a->ch[s->lfe_ch][i] * a->ch[s->lfe_ch][i];
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

void objr__check_fft_free(objr__check_fft *f) {
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

objr_status objr__check_fft_init(objr__check_fft *f, size_t n) {
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

/* The sorted series' p-th fraction (p in [0, 1]); NAN when empty. */
void objr__check_corr_stats(objr__check_render *R, uint32_t rate, size_t hop) {
    R->corr_p5 = R->corr_min = R->corr_min_t_s = NAN;
    double *v = objr__calloc(R->n_corr ? R->n_corr : 1, sizeof *v);
    size_t nv = 0;
    if (!v)
        return;
    for (size_t i = 0; i < R->n_corr; i++)
        if (!isnan(R->corr[i])) {
            if (nv == 0 || R->corr[i] < R->corr_min) {
                R->corr_min = R->corr[i];
                R->corr_min_t_s = (double)((i + 1) * hop) / rate;
            }
            v[nv++] = R->corr[i];
        }
    if (nv) {
        qsort(v, nv, sizeof *v, cmp_double);
        R->corr_p5 = v[(size_t)floor(0.05 * (double)(nv - 1) + 0.5)];
    }
    objr__freep(&v);
}

/* The LFE channel's level and its content above 120 Hz (after band_levels flushed the last
 * spectrum frame). */
void objr__check_lfe_figures(objr_check_report *rep, const objr__check_spectrum *s, uint32_t rate,
                             uint64_t frames) {
    rep->lfe_rms_dbfs = -HUGE_VAL;
    rep->lfe_above_120_db = HUGE_VAL;
    if (s->lfe_ch < 0 || !frames || !(s->lfe_ss > 0))
        return;
    rep->lfe_rms_dbfs = objr__check_db_pow(s->lfe_ss / (double)frames);
    double all = 0, hi = 0, df = (double)rate / (double)s->n_fft;
    for (size_t k = 0; k <= s->n_fft / 2; k++) {
        all += s->acc_lfe[k];
        if ((double)k * df > 120.0)
            hi += s->acc_lfe[k];
    }
    rep->lfe_above_120_db = hi > 0 && all > 0 ? objr__check_db_pow(all / hi) : HUGE_VAL;
}
