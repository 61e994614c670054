/* SPDX-License-Identifier: BSD-3-Clause */
/* Channel fold-downs: ITU-R BS.775 Lo/Ro, ATSC A/52-style Lt/Rt with a true 90° surround
 * shift (Hilbert FIR), 7.1.4 -> 7.1 / 5.1.4 / 5.1 (Dolby practice, IAMF dmixp parameters),
 * trims and an explicit LFE policy. Coefficients: REFERENCES.md §5.1. */
#include "renderers/folddown.h"

#include <math.h>
#include <string.h>

#include "objrender/objr_check.h"
#include "src/core/core.h"

enum { MAX_IN = 12, MAX_OUT = 12 };
/* 7.1.4 file order */
enum { I_L, I_R, I_C, I_LFE, I_LRS, I_RRS, I_LSS, I_RSS, I_LTF, I_RTF, I_LTR, I_RTR };
/* 5.1 file order */
enum { F_L, F_R, F_C, F_LFE, F_LS, F_RS };

struct objr_folddown {
    objr_folddown_kind kind;
    size_t n_in, n_out, max_frames;
    float m[MAX_OUT * MAX_IN];
    float hm[MAX_OUT * MAX_IN];
    int has_hilbert;
    size_t half; /* Hilbert delay (taps - 1) / 2 */
    float *taps; /* h[k + half], k = -half..half */
    float *hist; /* n_in x 2*half: the last input frames */
    float *ext;  /* n_in x (2*half + max_frames) */
    float *u;    /* 2*half + max_frames */
};

objr_folddown_config objr_folddown_config_default(void) {
    objr_folddown_config c;
    memset(&c, 0, sizeof c);
    /* 1/sqrt(2) (-3.01 dB), the BS.775 coefficient */
    c.centre_trim_db = OBJR_FOLDDOWN_MINUS3_DB;
    c.surround_trim_db = OBJR_FOLDDOWN_MINUS3_DB;
    c.height_trim_db = OBJR_FOLDDOWN_MINUS3_DB;
    c.back_trim_db = 0.0;
    c.front_back_balance_db = 0.0;
    c.lfe_policy = OBJR_LFE_DROP;
    c.lfe_gain_db = 0.0;
    return c;
}

objr_status objr_folddown_channels(objr_folddown_kind kind, size_t *n_in, size_t *n_out) {
    static const size_t ins[] = {12, 12, 12, 6, 6, 12, 12};
    static const size_t outs[] = {8, 10, 6, 2, 2, 2, 2};
    if ((unsigned)kind > OBJR_FOLDDOWN_714_TO_LTRT)
        return OBJR_ERR_INVALID_ARG;
    *n_in = ins[kind];
    *n_out = outs[kind];
    return OBJR_OK;
}

double objr__folddown_gain(double db) {
    return db <= OBJR_FOLDDOWN_OFF_DB ? 0.0 : pow(10.0, db / 20.0);
}

static int cfg_ok(const objr_folddown_config *c) {
    return !isnan(c->centre_trim_db) && !isnan(c->surround_trim_db) && !isnan(c->height_trim_db) &&
           !isnan(c->back_trim_db) && isfinite(c->front_back_balance_db) &&
           !isnan(c->lfe_gain_db) && c->centre_trim_db <= 24 && c->surround_trim_db <= 24 &&
           c->height_trim_db <= 24 && c->back_trim_db <= 24 && c->lfe_gain_db <= 24 &&
           fabs(c->front_back_balance_db) <= 48 &&
           (c->lfe_policy == OBJR_LFE_DROP || c->lfe_policy == OBJR_LFE_FOLD);
}

/* 7.1.4 -> 5.1 (balance applied). m: 6 x 12 */
static void m714_51(const objr_folddown_config *c, double *m) {
    double gf = pow(10.0, c->front_back_balance_db / 40.0), gs = 1.0 / gf;
    double h = objr__folddown_gain(c->height_trim_db), b = objr__folddown_gain(c->back_trim_db);
    memset(m, 0, 6 * 12 * sizeof *m);
    for (int s = 0; s < 2; s++) { /* s = 0 left, 1 right */
        m[(F_L + s) * 12 + I_L + s] = gf;
        m[(F_L + s) * 12 + I_LTF + s] = h;
        m[(F_LS + s) * 12 + I_LSS + s] = gs;
        m[(F_LS + s) * 12 + I_LRS + s] = gs * b;
        m[(F_LS + s) * 12 + I_LTR + s] = h;
    }
    m[F_C * 12 + I_C] = gf;
    m[F_LFE * 12 + I_LFE] = 1.0;
}

/* 5.1 -> 2.0 (balance applied when @p bal). m, hm: 2 x 6 */
static void m51_20(const objr_folddown_config *c, int ltrt, int bal, double *m, double *hm) {
    double gf = bal ? pow(10.0, c->front_back_balance_db / 40.0) : 1.0, gs = 1.0 / gf;
    double cg = objr__folddown_gain(c->centre_trim_db),
           sg = objr__folddown_gain(c->surround_trim_db);
    double lfe = c->lfe_policy == OBJR_LFE_FOLD ? objr__folddown_gain(c->lfe_gain_db) : 0.0;
    memset(m, 0, 2 * 6 * sizeof *m);
    memset(hm, 0, 2 * 6 * sizeof *hm);
    for (int s = 0; s < 2; s++) {
        m[s * 6 + F_L + s] = gf;
        m[s * 6 + F_C] = gf * cg;
        m[s * 6 + F_LFE] = lfe;
        if (!ltrt) {
            m[s * 6 + F_LS + s] = gs * sg; /* BS.775: Lo = L + c·C + s·Ls */
        } else {
            /* S = Ls + Rs, shifted by 90°: +H{S} into Lt, -H{S} into Rt (A/52 Lt/Rt). */
            double sign = s == 0 ? 1.0 : -1.0;
            hm[s * 6 + F_LS] = sign * gs * sg;
            hm[s * 6 + F_RS] = sign * gs * sg;
        }
    }
}

objr_status objr_folddown_matrix(objr_folddown_kind kind, const objr_folddown_config *cfg,
                                 double *matrix, double *hilbert) {
    size_t ni, no;
    if (objr_folddown_channels(kind, &ni, &no) != OBJR_OK || !cfg_ok(cfg))
        return OBJR_ERR_INVALID_ARG;
    double hm[MAX_OUT * MAX_IN];
    memset(hm, 0, sizeof hm);
    memset(matrix, 0, no * ni * sizeof *matrix);
    double gf = pow(10.0, cfg->front_back_balance_db / 40.0), gs = 1.0 / gf;
    double h = objr__folddown_gain(cfg->height_trim_db), b = objr__folddown_gain(cfg->back_trim_db);
    switch (kind) {
    case OBJR_FOLDDOWN_714_TO_71:
        for (int s = 0; s < 2; s++) {
            matrix[(0 + (size_t)s) * ni + I_L + (size_t)s] = gf;
            matrix[(0 + (size_t)s) * ni + I_LTF + (size_t)s] = h;
            matrix[(4 + (size_t)s) * ni + I_LRS + (size_t)s] = gs;
            matrix[(4 + (size_t)s) * ni + I_LTR + (size_t)s] = h;
            matrix[(6 + (size_t)s) * ni + I_LSS + (size_t)s] = gs;
        }
        matrix[2 * ni + I_C] = gf;
        matrix[3 * ni + I_LFE] = 1.0;
        break;
    case OBJR_FOLDDOWN_714_TO_514:
        for (int s = 0; s < 2; s++) {
            matrix[(size_t)s * ni + I_L + (size_t)s] = gf;
            matrix[(4 + (size_t)s) * ni + I_LSS + (size_t)s] = gs;
            matrix[(4 + (size_t)s) * ni + I_LRS + (size_t)s] = gs * b;
            matrix[(6 + (size_t)s) * ni + I_LTF + (size_t)s] = 1.0;
            matrix[(8 + (size_t)s) * ni + I_LTR + (size_t)s] = 1.0;
        }
        matrix[2 * ni + I_C] = gf;
        matrix[3 * ni + I_LFE] = 1.0;
        break;
    case OBJR_FOLDDOWN_714_TO_51:
        m714_51(cfg, matrix);
        break;
    case OBJR_FOLDDOWN_51_TO_LORO:
    case OBJR_FOLDDOWN_51_TO_LTRT:
        m51_20(cfg, kind == OBJR_FOLDDOWN_51_TO_LTRT, 1, matrix, hm);
        break;
    case OBJR_FOLDDOWN_714_TO_LORO:
    case OBJR_FOLDDOWN_714_TO_LTRT: {
        double a[6 * 12], m2[2 * 6], h2[2 * 6];
        m714_51(cfg, a);
        m51_20(cfg, kind == OBJR_FOLDDOWN_714_TO_LTRT, 0, m2, h2);
        for (size_t o = 0; o < 2; o++)
            for (size_t i = 0; i < 12; i++) {
                double sm = 0, sh = 0;
                for (size_t k = 0; k < 6; k++) {
                    sm += m2[o * 6 + k] * a[k * 12 + i];
                    sh += h2[o * 6 + k] * a[k * 12 + i];
                }
                matrix[o * 12 + i] = sm;
                hm[o * 12 + i] = sh;
            }
        break;
    }
    }
    if (hilbert)
        memcpy(hilbert, hm, no * ni * sizeof *hilbert);
    return OBJR_OK;
}

void objr_folddown_destroy(objr_folddown *f) {
    if (!f)
        return;
    objr__freep(&f->taps);
    objr__freep(&f->hist);
    objr__freep(&f->ext);
    objr__freep(&f->u);
    objr__freep(&f);
}

objr_status objr_folddown_create(objr_folddown_kind kind, const objr_folddown_config *cfg,
                                 size_t max_frames, objr_folddown **out) {
    *out = NULL;
    size_t ni, no;
    if (max_frames == 0 || max_frames > ((size_t)1 << 24) ||
        objr_folddown_channels(kind, &ni, &no) != OBJR_OK)
        return OBJR_ERR_INVALID_ARG;
    double m[MAX_OUT * MAX_IN], hm[MAX_OUT * MAX_IN];
    objr_status st = objr_folddown_matrix(kind, cfg, m, hm);
    if (st != OBJR_OK)
        return st;
    objr_folddown *f = objr__calloc(1, sizeof *f);
    if (!f)
        return OBJR_ERR_NOMEM;
    f->kind = kind;
    f->n_in = ni;
    f->n_out = no;
    f->max_frames = max_frames;
    for (size_t k = 0; k < no * ni; k++) {
        f->m[k] = (float)m[k];
        f->hm[k] = (float)hm[k];
    }
    f->has_hilbert = kind == OBJR_FOLDDOWN_51_TO_LTRT || kind == OBJR_FOLDDOWN_714_TO_LTRT;
    if (f->has_hilbert) {
        f->half = (OBJR_FOLDDOWN_HILBERT_TAPS - 1) / 2;
        size_t span = 2 * f->half + max_frames;
        f->taps = objr__calloc(2 * f->half + 1, sizeof *f->taps);
        f->hist = objr__calloc(ni * 2 * f->half, sizeof *f->hist);
        f->ext = objr__calloc(ni * span, sizeof *f->ext);
        f->u = objr__calloc(span, sizeof *f->u);
        if (!f->taps || !f->hist || !f->ext || !f->u) {
            objr_folddown_destroy(f);
            return OBJR_ERR_NOMEM;
        }
        objr__folddown_hilbert_taps(f->half, f->taps);
    }
    *out = f;
    return OBJR_OK;
}

void objr__folddown_hilbert_taps(size_t half, float *taps) {
    /* Ideal discrete Hilbert transformer h[k] = 2/(pi k) for odd k, 0 for even k
     * (frequency response -j sgn(w): a -90° shift at every frequency), Blackman-windowed. */
    double L = (double)half + 1.0;
    for (size_t i = 0; i <= 2 * half; i++) {
        long k = (long)i - (long)half;
        double v = 0.0;
        if (k % 2 != 0) {
            double w = 0.42 + 0.5 * cos(OBJR_PI * (double)k / L) +
                       0.08 * cos(2.0 * OBJR_PI * (double)k / L);
            v = 2.0 / (OBJR_PI * (double)k) * w;
        }
        taps[i] = (float)v;
    }
}

size_t objr_folddown_latency_frames(const objr_folddown *f) {
    return f->half;
}

/* y[n] += sum_k h[k] u[half + n - k] over the odd k in [-half, half] (tap index t = k + half),
 * each sum in double in ascending t. HILBERT_LANES outputs at a time, each with its own
 * accumulator: the same additions in the same order as one output at a time, in a loop over
 * neighbouring outputs that the compiler can vectorise. */
#define HILBERT_LANES 8
static void hilbert_add(const objr_folddown *f, const float *u, float *y, size_t n_frames) {
    const size_t h2 = 2 * f->half, t0 = (f->half + 1) % 2;
    size_t n = 0;
    for (; n + HILBERT_LANES <= n_frames; n += HILBERT_LANES) {
        double acc[HILBERT_LANES] = {0};
        for (size_t t = t0; t <= h2; t += 2) {
            const double g = (double)f->taps[t];
            const float *x = u + n + h2 - t;
            for (size_t j = 0; j < HILBERT_LANES; j++)
                acc[j] += g * (double)x[j];
        }
        for (size_t j = 0; j < HILBERT_LANES; j++)
            y[n + j] += (float)acc[j];
    }
    for (; n < n_frames; n++) {
        double acc = 0.0;
        for (size_t t = t0; t <= h2; t += 2)
            acc += (double)f->taps[t] * (double)u[n + h2 - t];
        y[n] += (float)acc;
    }
}

objr_status objr_folddown_process(objr_folddown *f, const float *const *in, float *const *out,
                                  size_t n_frames) {
    if (!in || !out || n_frames > f->max_frames)
        return OBJR_ERR_INVALID_ARG;
    const size_t ni = f->n_in, no = f->n_out;
    if (!f->has_hilbert) {
        for (size_t o = 0; o < no; o++) {
            float *y = out[o];
            memset(y, 0, n_frames * sizeof *y);
            for (size_t i = 0; i < ni; i++) {
                float g = f->m[o * ni + i];
                if (g == 0.0f)
                    continue;
                const float *x = in[i];
                for (size_t n = 0; n < n_frames; n++)
                    y[n] += g * x[n];
            }
        }
        return OBJR_OK;
    }
    const size_t h2 = 2 * f->half, span = h2 + n_frames, stride = h2 + f->max_frames;
    for (size_t i = 0; i < ni; i++) {
        float *e = f->ext + i * stride;
        memcpy(e, f->hist + i * h2, h2 * sizeof *e);
        memcpy(e + h2, in[i], n_frames * sizeof *e);
    }
    for (size_t o = 0; o < no; o++) {
        float *y = out[o];
        /* direct paths, delayed by half to line up with the Hilbert output */
        memset(y, 0, n_frames * sizeof *y);
        for (size_t i = 0; i < ni; i++) {
            float g = f->m[o * ni + i];
            if (g == 0.0f)
                continue;
            const float *x = f->ext + i * stride + f->half;
            for (size_t n = 0; n < n_frames; n++)
                y[n] += g * x[n];
        }
        /* the shifted paths: u = sum of inputs into H, then y += H{u} */
        int any = 0;
        memset(f->u, 0, span * sizeof *f->u);
        for (size_t i = 0; i < ni; i++) {
            float g = f->hm[o * ni + i];
            if (g == 0.0f)
                continue;
            any = 1;
            const float *x = f->ext + i * stride;
            for (size_t n = 0; n < span; n++)
                f->u[n] += g * x[n];
        }
        if (!any)
            continue;
        hilbert_add(f, f->u, y, n_frames);
    }
    for (size_t i = 0; i < ni; i++)
        memcpy(f->hist + i * h2, f->ext + i * stride + n_frames, h2 * sizeof *f->hist);
    return OBJR_OK;
}

/* The deprecated 0.1 spellings (objr_check.h): thin forwarders. */
objr_folddown_config objr_foldown_config_default(void) {
    return objr_folddown_config_default();
}
objr_status objr_foldown_channels(objr_folddown_kind kind, size_t *n_in, size_t *n_out) {
    return objr_folddown_channels(kind, n_in, n_out);
}
objr_status objr_foldown_matrix(objr_folddown_kind kind, const objr_folddown_config *cfg,
                                double *matrix, double *hilbert) {
    return objr_folddown_matrix(kind, cfg, matrix, hilbert);
}
objr_status objr_foldown_create(objr_folddown_kind kind, const objr_folddown_config *cfg,
                                size_t max_frames, objr_folddown **out) {
    return objr_folddown_create(kind, cfg, max_frames, out);
}
void objr_foldown_destroy(objr_folddown *f) {
    objr_folddown_destroy(f);
}
size_t objr_foldown_latency_frames(const objr_folddown *f) {
    return objr_folddown_latency_frames(f);
}
objr_status objr_foldown_process(objr_folddown *f, const float *const *in, float *const *out,
                                 size_t n_frames) {
    return objr_folddown_process(f, in, out, n_frames);
}
