/* SPDX-License-Identifier: BSD-3-Clause */
/* Per-object figures from one pass over the stems, through the renderer's own gains (see
 * objects.h): loudness per ITU-R BS.1770-4 (K-weighting as magnitude responses of its two
 * biquads, 400 ms blocks with 75 % overlap, absolute and relative gates), mono-sum loudness,
 * a masking margin per octave band and channel, and the sources that cancel in mono. */
#include "src/check/objects.h"

#include <fftw3.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "formats/adm_model.h"
#include "src/core/fftw_lock.h"
#include "src/core/geom.h"
#include "src/dsp/kweight.h"
#include "src/dsp/mix.h"
#include "src/render/render_internal.h"

#define N_KIND 3      /* level, mono sum, front paths (Lt/Rt) */
#define HIST_BINS 800 /* 0.1 LU from -70 LUFS */
#define HIST_FLOOR_LUFS -70.0
#define BLOCK_HOPS 4       /* 400 ms gating blocks of 100 ms hops */
#define TOP_CANCEL 6       /* sources examined pairwise per hop and render */
#define PAIR_TABLE 32      /* pairs tracked per render */
#define PAIR_MIN_SHARE 0.1 /* a pair counts when it cancels 10 % of its power (0.46 dB) */
#define FLOOR_POW 1e-10    /* -100 dB: contributions under it are not judged */
/* Spreading of the masking estimate between octave bands (the rest of the mix one octave
 * below masks at -10 dB, one above at -15 dB: upward spread of masking is the stronger). */
#define SPREAD_DOWN 0.1
#define SPREAD_UP 0.0316

typedef struct hist {
    uint32_t n[HIST_BINS];
    double p[HIST_BINS];
} hist;

typedef struct pair_entry {
    size_t a, b;
    double energy, worst_db, t_first, t_last, t_worst;
} pair_entry;

struct objr__objpass {
    objr__objpass_render *r;
    size_t n_r;
    objr__objpass_source *src;
    size_t n_src, n_obj, n_in, n_out, hop, n_hops;
    uint32_t rate;
    double silence_ms;    /* mean square of the silence level */
    float *g_dir, *g_dif; /* n_in x n_out */
    /* spectra */
    size_t n_fft;
    float *fin, *win;
    fftwf_complex *fout;
    fftwf_plan plan;
    double *kw2;   /* per bin: 2|K|^2 / (N sum w^2) */
    double *bw2;   /* per bin: 2 / (N sum w^2) */
    int *bin_band; /* octave band of each bin */
    /* per source, this hop */
    double *e, *ek, *eb; /* plain mean square, K-weighted, bands (n_src x N_OCT) */
    int *active;
    double *gch;  /* n_src x 16: power gain per channel of the render in hand */
    double *gm;   /* n_src: mono power gain */
    double *fch;  /* n_src x 16: front-path power gain */
    double *mamp; /* n_src x n_r: mono amplitude gain (direct paths) */
    /* per object */
    double *pcb;           /* n_obj x 16 x N_OCT: contribution of the render in hand */
    double *mix;           /* 16 x N_OCT */
    double *ring;          /* n_obj x n_r x N_KIND x BLOCK_HOPS */
    hist *h;               /* n_obj x n_r x N_KIND */
    double *best, *best_t; /* n_obj x n_r: best masking margin */
    int *reached;          /* n_obj x n_r: any power reached the render */
    double *obj_e, *obj_active_s;
    double *opw; /* n_obj x N_KIND: this hop's powers into the render in hand */
    int *oact;   /* n_obj: any of its sources active this hop */
    /* stereo renders: mono sums and pairs */
    float **msum;      /* per render (NULL when not stereo): hop samples */
    pair_entry *pairs; /* n_r x PAIR_TABLE */
    size_t *n_pairs;
    objr__mixdsp dsp;
};

void objr__objpass_destroy(objr__objpass *p) {
    if (!p)
        return;
    if (p->plan) {
        objr__fftw_lock();
        fftwf_destroy_plan(p->plan);
        objr__fftw_unlock();
    }
    if (p->fin)
        fftwf_free(p->fin);
    if (p->fout)
        fftwf_free(p->fout);
    if (p->msum)
        for (size_t k = 0; k < p->n_r; k++)
            objr__freep(&p->msum[k]);
    void *bufs[] = {p->r,        p->src,     p->g_dir, p->g_dif,        p->win,    p->kw2,  p->bw2,
                    p->bin_band, p->e,       p->ek,    p->eb,           p->active, p->gch,  p->gm,
                    p->fch,      p->mamp,    p->pcb,   p->mix,          p->ring,   p->h,    p->best,
                    p->best_t,   p->reached, p->obj_e, p->obj_active_s, p->opw,    p->oact, p->msum,
                    p->pairs,    p->n_pairs};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        objr__freep(&bufs[i]);
    objr__freep(&p);
}

static int octave_of(double f) {
    /* centres 31.25 * 2^b, edges at the geometric means */
    if (f <= 0)
        return 0;
    int b = (int)floor(log2(f / 31.25) + 0.5);
    return b < 0 ? 0 : b >= OBJR__CHECK_N_OCT ? OBJR__CHECK_N_OCT - 1 : b;
}

static objr_status spectra_init(objr__objpass *p) {
    size_t n = p->hop;
    p->n_fft = n;
    p->fin = fftwf_alloc_real(n);
    p->fout = fftwf_alloc_complex(n / 2 + 1);
    p->win = objr__calloc(n, sizeof *p->win);
    p->kw2 = objr__calloc(n / 2 + 1, sizeof *p->kw2);
    p->bw2 = objr__calloc(n / 2 + 1, sizeof *p->bw2);
    p->bin_band = objr__calloc(n / 2 + 1, sizeof *p->bin_band);
    if (!p->fin || !p->fout || !p->win || !p->kw2 || !p->bw2 || !p->bin_band)
        return OBJR_ERR_NOMEM;
    double sw2 = 0;
    for (size_t i = 0; i < n; i++) { /* periodic Hann */
        double w = 0.5 - 0.5 * cos(2.0 * OBJR_PI * (double)i / (double)n);
        p->win[i] = (float)w;
        sw2 += w * w;
    }
    for (size_t k = 0; k <= n / 2; k++) {
        double f = (double)k * p->rate / (double)n;
        double one = (k == 0 || 2 * k == n ? 1.0 : 2.0) / ((double)n * sw2);
        p->bw2[k] = one;
        p->kw2[k] = one * objr__kweight_power(f, p->rate);
        p->bin_band[k] = octave_of(f);
    }
    objr__fftw_lock();
    p->plan = fftwf_plan_dft_r2c_1d((int)n, p->fin, p->fout, FFTW_ESTIMATE);
    objr__fftw_unlock();
    return p->plan ? OBJR_OK : OBJR_ERR_NOMEM;
}

objr_status objr__objpass_create(const objr__objpass_render *renders, size_t n_renders,
                                 const objr__objpass_source *sources, size_t n_sources,
                                 size_t n_objects, size_t n_inputs, size_t n_outputs,
                                 uint32_t rate_hz, size_t hop, double silence_dbfs,
                                 objr__objpass **out) {
    *out = NULL;
    objr__objpass *p = objr__calloc(1, sizeof *p);
    if (!p)
        return OBJR_ERR_NOMEM;
    p->n_r = n_renders;
    p->n_src = n_sources;
    p->n_obj = n_objects;
    p->n_in = n_inputs;
    p->n_out = n_outputs;
    p->rate = rate_hz;
    p->hop = hop;
    p->silence_ms = pow(10.0, silence_dbfs / 10.0);
    objr__mixdsp_init(&p->dsp, objr__cpu_flags());
    size_t ns = n_sources ? n_sources : 1, no = n_objects ? n_objects : 1, nr = n_renders;
    size_t gsz = 0, onr = 0;
    int ok = objr__mul_size(n_inputs ? n_inputs : 1, n_outputs ? n_outputs : 1, &gsz) &&
             objr__mul_size(no, nr ? nr : 1, &onr);
    if (!ok)
        goto nomem;
    p->r = objr__calloc(nr ? nr : 1, sizeof *p->r);
    p->src = objr__calloc(ns, sizeof *p->src);
    p->g_dir = objr__calloc(gsz, sizeof *p->g_dir);
    p->g_dif = objr__calloc(gsz, sizeof *p->g_dif);
    p->e = objr__calloc(ns, sizeof *p->e);
    p->ek = objr__calloc(ns, sizeof *p->ek);
    p->eb = objr__calloc(ns * OBJR__CHECK_N_OCT, sizeof *p->eb);
    p->active = objr__calloc(ns, sizeof *p->active);
    p->gch = objr__calloc(ns * 16, sizeof *p->gch);
    p->gm = objr__calloc(ns, sizeof *p->gm);
    p->fch = objr__calloc(ns * 16, sizeof *p->fch);
    p->mamp = objr__calloc(ns * (nr ? nr : 1), sizeof *p->mamp);
    p->pcb = objr__calloc(no * 16 * OBJR__CHECK_N_OCT, sizeof *p->pcb);
    p->mix = objr__calloc(16 * OBJR__CHECK_N_OCT, sizeof *p->mix);
    p->ring = objr__calloc(onr * N_KIND * BLOCK_HOPS, sizeof *p->ring);
    p->h = objr__calloc(onr * N_KIND, sizeof *p->h);
    p->best = objr__calloc(onr, sizeof *p->best);
    p->best_t = objr__calloc(onr, sizeof *p->best_t);
    p->reached = objr__calloc(onr, sizeof *p->reached);
    p->obj_e = objr__calloc(no, sizeof *p->obj_e);
    p->obj_active_s = objr__calloc(no, sizeof *p->obj_active_s);
    p->opw = objr__calloc(no * N_KIND, sizeof *p->opw);
    p->oact = objr__calloc(no, sizeof *p->oact);
    p->msum = objr__calloc(nr ? nr : 1, sizeof *p->msum);
    p->pairs = objr__calloc((nr ? nr : 1) * PAIR_TABLE, sizeof *p->pairs);
    p->n_pairs = objr__calloc(nr ? nr : 1, sizeof *p->n_pairs);
    if (!p->r || !p->src || !p->g_dir || !p->g_dif || !p->e || !p->ek || !p->eb || !p->active ||
        !p->gch || !p->gm || !p->fch || !p->mamp || !p->pcb || !p->mix || !p->ring || !p->h ||
        !p->best || !p->best_t || !p->reached || !p->obj_e || !p->obj_active_s || !p->opw ||
        !p->oact || !p->msum || !p->pairs || !p->n_pairs)
        goto nomem;
    if (nr)
        memcpy(p->r, renders, nr * sizeof *p->r);
    if (n_sources)
        memcpy(p->src, sources, n_sources * sizeof *p->src);
    for (size_t i = 0; i < onr; i++)
        p->best[i] = -HUGE_VAL;
    for (size_t k = 0; k < nr; k++)
        if (p->r[k].from_gains && p->r[k].stereo &&
            !(p->msum[k] = objr__calloc(hop, sizeof(float))))
            goto nomem;
    if (spectra_init(p) != OBJR_OK)
        goto nomem;
    *out = p;
    return OBJR_OK;
nomem:
    objr__objpass_destroy(p);
    return OBJR_ERR_NOMEM;
}

/* ---- one hop ----------------------------------------------------------------------------- */

static void source_spectra(objr__objpass *p, size_t n) {
    for (size_t i = 0; i < p->n_src; i++) {
        const float *x = p->src[i].x;
        double *eb = p->eb + i * OBJR__CHECK_N_OCT;
        memset(eb, 0, OBJR__CHECK_N_OCT * sizeof *eb);
        double e = 0;
        for (size_t j = 0; j < n; j++)
            e += (double)x[j] * x[j];
        e /= (double)n;
        p->e[i] = e;
        p->ek[i] = 0;
        p->active[i] = e > p->silence_ms;
        if (!p->active[i])
            continue;
        for (size_t j = 0; j < p->n_fft; j++)
            p->fin[j] = j < n ? x[j] * p->win[j] : 0.0f;
        fftwf_execute_dft_r2c(p->plan, p->fin, p->fout);
        double ek = 0;
        for (size_t k = 0; k <= p->n_fft / 2; k++) {
            double re = p->fout[k][0], im = p->fout[k][1], m2 = re * re + im * im;
            ek += m2 * p->kw2[k];
            eb[p->bin_band[k]] += m2 * p->bw2[k];
        }
        p->ek[i] = ek;
    }
}

/* Power gains of every source into render k's channels (gch: direct² + Hilbert² + diffuse²,
 * fch: without the Hilbert paths), the mono power gain gm and the mono amplitude mamp. */
static void render_gains(objr__objpass *p, size_t k) {
    const objr__objpass_render *R = &p->r[k];
    for (size_t i = 0; i < p->n_src; i++) {
        double *gc = p->gch + i * 16, *fc = p->fch + i * 16;
        double a[16] = {0}, hh[16] = {0}, dp[16] = {0};
        size_t in = p->src[i].input;
        if (in != SIZE_MAX) {
            const float *gd = p->g_dir + in * p->n_out, *gf = p->g_dif + in * p->n_out;
            for (size_t c = 0; c < R->n_ch; c++) {
                if (!R->fold) {
                    a[c] = gd[R->first + c];
                    dp[c] = (double)gf[R->first + c] * gf[R->first + c];
                    continue;
                }
                for (size_t s = 0; s < 12; s++) {
                    double gs = gd[R->first + s], ds = gf[R->first + s];
                    double mm = R->m[c * 12 + s], hv = R->h[c * 12 + s];
                    a[c] += mm * gs;
                    hh[c] += hv * gs;
                    dp[c] += (mm * mm + hv * hv) * ds * ds;
                }
            }
        }
        for (size_t c = 0; c < R->n_ch; c++) {
            gc[c] = a[c] * a[c] + hh[c] * hh[c] + dp[c];
            fc[c] = a[c] * a[c] + dp[c];
        }
        if (R->n_ch == 2) {
            double m = 0.5 * (a[0] + a[1]), mh = 0.5 * (hh[0] + hh[1]);
            p->gm[i] = m * m + mh * mh + 0.25 * (dp[0] + dp[1]);
            p->mamp[i * p->n_r + k] = m;
        } else {
            p->gm[i] = 0;
            p->mamp[i * p->n_r + k] = 0;
        }
    }
}

static void hist_add(hist *h, double pw) {
    if (!(pw > 0))
        return;
    double l = -0.691 + 10.0 * log10(pw);
    if (l < HIST_FLOOR_LUFS)
        return;
    long b = lround(floor((l - HIST_FLOOR_LUFS) * 10.0));
    if (b >= HIST_BINS)
        b = HIST_BINS - 1;
    h->n[b]++;
    h->p[b] += pw;
}

/* BS.1770-4 gated loudness from the block histogram. */
static double hist_lufs(const hist *h) {
    double s = 0;
    uint64_t n = 0;
    for (size_t b = 0; b < HIST_BINS; b++) {
        s += h->p[b];
        n += h->n[b];
    }
    if (!n)
        return -HUGE_VAL;
    double gate = -0.691 + 10.0 * log10(s / (double)n) - 10.0;
    s = 0;
    n = 0;
    for (size_t b = 0; b < HIST_BINS; b++)
        if (HIST_FLOOR_LUFS + ((double)b + 0.5) * 0.1 >= gate) {
            s += h->p[b];
            n += h->n[b];
        }
    return n ? -0.691 + 10.0 * log10(s / (double)n) : -HUGE_VAL;
}

/* The hop's K-weighted powers of each object into render k: level, mono sum, front paths;
 * into the 400 ms block rings and, once a block is complete, the histograms. */
static void object_loudness(objr__objpass *p, size_t k) {
    const objr__objpass_render *R = &p->r[k];
    size_t slot = p->n_hops % BLOCK_HOPS;
    memset(p->opw, 0, p->n_obj * N_KIND * sizeof *p->opw);
    for (size_t i = 0; i < p->n_src; i++) {
        if (!p->active[i])
            continue;
        double *pw = p->opw + p->src[i].object * N_KIND;
        for (size_t c = 0; c < R->n_ch; c++) {
            pw[0] += R->w[c] * p->gch[i * 16 + c] * p->ek[i];
            pw[2] += R->w[c] * p->fch[i * 16 + c] * p->ek[i];
        }
        pw[1] += 2.0 * p->gm[i] * p->ek[i];
    }
    for (size_t o = 0; o < p->n_obj; o++) {
        const double *pw = p->opw + o * N_KIND;
        size_t ok = o * p->n_r + k;
        if (pw[0] > 0)
            p->reached[ok] = 1;
        for (size_t q = 0; q < N_KIND; q++) {
            double *ring = p->ring + (ok * N_KIND + q) * BLOCK_HOPS;
            ring[slot] = pw[q];
            if (p->n_hops + 1 >= BLOCK_HOPS)
                hist_add(&p->h[ok * N_KIND + q],
                         (ring[0] + ring[1] + ring[2] + ring[3]) / BLOCK_HOPS);
        }
    }
}

/* Masking estimate: per channel and octave band, each active object's contribution against
 * the rest of the render (the mix minus the object, spread one octave each way). */
static void object_masking(objr__objpass *p, size_t k, double t_s) {
    const objr__objpass_render *R = &p->r[k];
    const size_t nb = OBJR__CHECK_N_OCT, stride = 16 * nb;
    memset(p->pcb, 0, p->n_obj * stride * sizeof *p->pcb);
    memset(p->mix, 0, stride * sizeof *p->mix);
    for (size_t i = 0; i < p->n_src; i++) {
        if (!p->active[i])
            continue;
        double *pc = p->pcb + p->src[i].object * stride;
        const double *eb = p->eb + i * nb;
        for (size_t c = 0; c < R->n_ch; c++)
            for (size_t b = 0; b < nb; b++) {
                double v = p->gch[i * 16 + c] * eb[b];
                pc[c * nb + b] += v;
                p->mix[c * nb + b] += v;
            }
    }
    for (size_t o = 0; o < p->n_obj; o++) {
        const double *pc = p->pcb + o * stride;
        double best = -HUGE_VAL;
        if (!p->oact[o])
            continue;
        for (size_t c = 0; c < R->n_ch; c++)
            for (size_t b = 0; b < nb; b++) {
                double v = pc[c * nb + b];
                if (v <= FLOOR_POW)
                    continue;
                double rest = p->mix[c * nb + b] - v, mask = rest > 0 ? rest : 0;
                if (b > 0) {
                    double r1 = p->mix[c * nb + b - 1] - pc[c * nb + b - 1];
                    mask += SPREAD_UP * (r1 > 0 ? r1 : 0);
                }
                if (b + 1 < nb) {
                    double r1 = p->mix[c * nb + b + 1] - pc[c * nb + b + 1];
                    mask += SPREAD_DOWN * (r1 > 0 ? r1 : 0);
                }
                double m = 10.0 * log10(v / (mask + FLOOR_POW));
                if (m > best)
                    best = m;
            }
        size_t ok = o * p->n_r + k;
        if (best > p->best[ok]) {
            p->best[ok] = best;
            p->best_t[ok] = t_s;
        }
    }
}

static double dot_f32(const float *a, const float *b, size_t n) {
    float acc[8] = {0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++)
            acc[j] += a[i + (size_t)j] * b[i + (size_t)j];
    double s = 0;
    for (int j = 0; j < 8; j++)
        s += acc[j];
    for (; i < n; i++)
        s += (double)a[i] * b[i];
    return s;
}

static void pair_record(objr__objpass *p, size_t k, size_t a, size_t b, double cancelled,
                        double loss_db, double t_s) {
    pair_entry *tab = p->pairs + k * PAIR_TABLE;
    size_t n = p->n_pairs[k], at = n;
    if (a > b) {
        size_t t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++)
        if (tab[i].a == a && tab[i].b == b)
            at = i;
    if (at == n) {
        if (n == PAIR_TABLE) { /* replace the weakest when this one is stronger */
            at = 0;
            for (size_t i = 1; i < n; i++)
                if (tab[i].energy < tab[at].energy)
                    at = i;
            if (tab[at].energy >= cancelled)
                return;
        } else
            p->n_pairs[k]++;
        tab[at] = (pair_entry){a, b, 0.0, -HUGE_VAL, t_s, t_s, t_s};
    }
    pair_entry *e = &tab[at];
    e->energy += cancelled;
    e->t_last = t_s;
    if (loss_db > e->worst_db) {
        e->worst_db = loss_db;
        e->t_worst = t_s;
    }
}

/* Stereo render k: the mono sum rebuilt from the sources (direct paths: the decorrelated and
 * Hilbert paths do not interact coherently), each source's share of it, and the pairs among
 * the most cancelling sources. */
static void mono_pairs(objr__objpass *p, size_t k, size_t n, double t_s) {
    float *ms = p->msum[k];
    memset(ms, 0, n * sizeof *ms);
    for (size_t i = 0; i < p->n_src; i++) {
        float g = (float)p->mamp[i * p->n_r + k];
        if (p->active[i] && g != 0.0f)
            p->dsp.gain_f32(&ms, 1, p->src[i].x, n, &g);
    }
    size_t top[TOP_CANCEL], n_top = 0;
    double share[TOP_CANCEL];
    for (size_t i = 0; i < p->n_src; i++) {
        double m = p->mamp[i * p->n_r + k];
        if (!p->active[i] || m == 0.0)
            continue;
        /* what the others do to this source in the sum: its share of the sum minus its own
         * power (negative: they cancel it) */
        double own = m * m * p->e[i] * (double)n;
        double c = m * dot_f32(p->src[i].x, ms, n) - own;
        if (!(c < -PAIR_MIN_SHARE * own))
            continue;
        size_t at = n_top < TOP_CANCEL ? n_top++ : TOP_CANCEL;
        if (at == TOP_CANCEL) {
            if (c >= share[TOP_CANCEL - 1])
                continue;
            at = TOP_CANCEL - 1;
        }
        while (at > 0 && share[at - 1] > c) {
            share[at] = share[at - 1];
            top[at] = top[at - 1];
            at--;
        }
        share[at] = c;
        top[at] = i;
    }
    for (size_t u = 0; u < n_top; u++)
        for (size_t v = u + 1; v < n_top; v++) {
            size_t i = top[u], j = top[v];
            double mi = p->mamp[i * p->n_r + k], mj = p->mamp[j * p->n_r + k];
            double pi = mi * mi * p->e[i] * (double)n, pj = mj * mj * p->e[j] * (double)n;
            double x = 2.0 * mi * mj * dot_f32(p->src[i].x, p->src[j].x, n);
            if (!(x < 0) || -x < PAIR_MIN_SHARE * (pi + pj))
                continue;
            double left = pi + pj + x, floor = 1e-6 * (pi + pj);
            double loss = 10.0 * log10((pi + pj) / (left > floor ? left : floor));
            pair_record(p, k, i, j, -x, loss, t_s);
        }
}

/* The pass gives back a spilled document's block pages (formats/adm_spill.c) every this many
 * hops: what it reads stays resident for a few seconds of programme at most. */
#define RELEASE_EVERY_HOPS 10u

objr_status objr__objpass_hop(objr__objpass *p, const objr_renderer *r, uint64_t pos, size_t n) {
    if (!n)
        return OBJR_OK;
    objr_status st = objr__renderer_gains_at(r, pos + n / 2, p->g_dir, p->g_dif);
    if (st != OBJR_OK)
        return st;
    source_spectra(p, n);
    double t_s = (double)pos / p->rate;
    memset(p->oact, 0, p->n_obj * sizeof *p->oact);
    for (size_t i = 0; i < p->n_src; i++)
        if (p->active[i]) {
            p->oact[p->src[i].object] = 1;
            p->obj_e[p->src[i].object] += p->e[i] * (double)n;
            p->obj_active_s[p->src[i].object] += (double)n / p->rate; /* per source */
        }
    for (size_t k = 0; k < p->n_r; k++) {
        if (!p->r[k].from_gains)
            continue;
        render_gains(p, k);
        object_loudness(p, k);
        object_masking(p, k, t_s);
        if (p->msum[k])
            mono_pairs(p, k, n, t_s);
    }
    if (++p->n_hops % RELEASE_EVERY_HOPS == 0)
        objr__adm_release_blocks(); /* a spilled document's blocks read by gains_at */
    return OBJR_OK;
}

void objr__objpass_collect(const objr__objpass *p, objr_check_report *rep) {
    for (size_t o = 0; o < p->n_obj && o < rep->n_objects; o++) {
        objr__check_object *O = &rep->objects[o];
        size_t n_src = 0;
        for (size_t i = 0; i < p->n_src; i++)
            n_src += p->src[i].object == o;
        double act = n_src ? p->obj_active_s[o] / (double)n_src : 0.0;
        O->active_s = act;
        O->stem_rms_dbfs = p->obj_e[o] > 0 && act > 0
                               ? 10.0 * log10(p->obj_e[o] / (act * p->rate * (double)n_src))
                               : -HUGE_VAL;
        int reached_any = 0;
        for (size_t k = 0; k < p->n_r; k++) {
            size_t ok = o * p->n_r + k;
            if (!p->r[k].from_gains)
                continue;
            O->level_lufs[k] = hist_lufs(&p->h[ok * N_KIND]);
            O->mono_lufs[k] = p->r[k].n_ch == 2 ? hist_lufs(&p->h[ok * N_KIND + 1]) : -HUGE_VAL;
            O->front_lufs[k] = hist_lufs(&p->h[ok * N_KIND + 2]);
            O->margin_db[k] = p->reached[ok] ? p->best[ok] : -HUGE_VAL;
            O->margin_t_s[k] = p->best_t[ok];
            reached_any |= p->reached[ok];
        }
        O->muted = act > 0 && !reached_any;
    }
    for (size_t k = 0; k < p->n_r && k < rep->n_renders; k++) {
        objr__check_render *R = &rep->renders[k];
        pair_entry tab[PAIR_TABLE];
        size_t n = p->n_pairs[k];
        memcpy(tab, p->pairs + k * PAIR_TABLE, n * sizeof *tab);
        for (size_t i = 1; i < n; i++) /* strongest first */
            for (size_t j = i; j > 0 && tab[j - 1].energy < tab[j].energy; j--) {
                pair_entry t = tab[j];
                tab[j] = tab[j - 1];
                tab[j - 1] = t;
            }
        R->n_pairs = n < OBJR__CHECK_MAX_PAIRS ? n : OBJR__CHECK_MAX_PAIRS;
        double hop_s = (double)p->hop / p->rate;
        for (size_t i = 0; i < R->n_pairs; i++) {
            objr__check_pair *P = &R->pairs[i];
            snprintf(P->a, sizeof P->a, "%s", p->src[tab[i].a].label);
            snprintf(P->b, sizeof P->b, "%s", p->src[tab[i].b].label);
            P->energy = tab[i].energy;
            P->worst_db = tab[i].worst_db;
            P->t_first_s = tab[i].t_first;
            P->t_last_s = tab[i].t_last + hop_s;
            P->t_worst_s = tab[i].t_worst;
        }
    }
}

/* Trajectory points of an object for the position plots: up to 60 blocks of each of its
 * channels (objects: the block position; DirectSpeakers: the loudspeaker), unit cube. */
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

void objr__check_object_positions(const objr__adm_model *m, const objr__adm_object *ob,
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
    objr__adm_release_blocks();
}
