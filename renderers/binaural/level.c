/* SPDX-License-Identifier: BSD-3-Clause */
/* Loudness-weighted filter power for the binaural renderer's level calibration (ITU-R
 * BS.1770-4 K-weighting over a pink spectrum; AES69 diffuse-field average with the set's
 * area weights). */
#include "renderers/binaural/level.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <fftw3.h>

#include "layouts/registry.h"
#include "renderers/loudspeaker/psp.h"
#include "src/core/fftw_lock.h"
#include "src/dsp/kweight.h"

#define MIN_FFT 8192 /* 5.9 Hz bins at 48 kHz: the pink weighting's low end is resolved */

struct objr__blevel {
    size_t n, nb;  /* FFT size, bins 0..n/2 */
    double *w;     /* nb weights (sum 1) */
    double *shape; /* nb: the shaping filter's power response */
    int shaped;
    float *t; /* n reals */
    fftwf_complex *c;
    fftwf_plan plan;
};

void objr__blevel_destroy(objr__blevel *lv) {
    if (!lv)
        return;
    if (lv->plan) {
        objr__fftw_lock();
        fftwf_destroy_plan(lv->plan);
        objr__fftw_unlock();
    }
    fftwf_free(lv->t);
    fftwf_free(lv->c);
    free(lv->w);
    free(lv->shape);
    free(lv);
}

objr_status objr__blevel_create(double rate_hz, size_t max_len, objr__blevel **out) {
    *out = NULL;
    if (!(rate_hz >= 8000.0) || max_len == 0 || max_len > ((size_t)1 << 24))
        return OBJR_ERR_INVALID_ARG;
    objr__blevel *lv = objr__calloc(1, sizeof *lv);
    if (!lv)
        return OBJR_ERR_NOMEM;
    lv->n = MIN_FFT;
    while (lv->n < max_len)
        lv->n <<= 1;
    lv->nb = lv->n / 2 + 1;
    lv->w = objr__calloc(lv->nb, sizeof *lv->w);
    lv->shape = objr__calloc(lv->nb, sizeof *lv->shape);
    lv->t = fftwf_alloc_real(lv->n);
    lv->c = fftwf_alloc_complex(lv->nb);
    if (!lv->w || !lv->shape || !lv->t || !lv->c) {
        objr__blevel_destroy(lv);
        return OBJR_ERR_NOMEM;
    }
    objr__fftw_lock();
    lv->plan = fftwf_plan_dft_r2c_1d((int)lv->n, lv->t, lv->c, FFTW_ESTIMATE);
    objr__fftw_unlock();
    if (!lv->plan) {
        objr__blevel_destroy(lv);
        return OBJR_ERR_INTERNAL;
    }
    double hi = fmin(OBJR__BLEVEL_HI_HZ, 0.5 * rate_hz), sum = 0;
    for (size_t k = 1; k < lv->nb; k++) {
        double f = (double)k * rate_hz / (double)lv->n;
        if (f >= OBJR__BLEVEL_LO_HZ && f <= hi)
            sum += lv->w[k] = objr__kweight_power(f, rate_hz) / f;
    }
    for (size_t k = 0; k < lv->nb; k++)
        lv->w[k] /= sum;
    *out = lv;
    return OBJR_OK;
}

/* |X_k|^2 of x (zero-padded to n) into the plan's output */
static void transform(objr__blevel *lv, const float *x, size_t len) {
    memset(lv->t, 0, lv->n * sizeof *lv->t);
    memcpy(lv->t, x, (len < lv->n ? len : lv->n) * sizeof *x);
    fftwf_execute(lv->plan);
}

static double weighted(const objr__blevel *lv) {
    double p = 0;
    for (size_t k = 0; k < lv->nb; k++) {
        if (lv->w[k] == 0.0)
            continue;
        double m = (double)lv->c[k][0] * lv->c[k][0] + (double)lv->c[k][1] * lv->c[k][1];
        p += lv->w[k] * m * (lv->shaped ? lv->shape[k] : 1.0);
    }
    return p;
}

void objr__blevel_shape(objr__blevel *lv, const float *h, size_t len) {
    lv->shaped = 0;
    if (!h)
        return;
    transform(lv, h, len);
    for (size_t k = 0; k < lv->nb; k++)
        lv->shape[k] = (double)lv->c[k][0] * lv->c[k][0] + (double)lv->c[k][1] * lv->c[k][1];
    lv->shaped = 1;
}

double objr__blevel_power(objr__blevel *lv, const float *x, size_t len) {
    transform(lv, x, len);
    return weighted(lv);
}

double objr__blevel_pair(objr__blevel *lv, const float *l, const float *r, size_t len) {
    return 0.5 * (objr__blevel_power(lv, l, len) + objr__blevel_power(lv, r, len));
}

double objr__blevel_diffuse(objr__blevel *lv, const objr__hrtf *h) {
    double p = 0;
    for (size_t m = 0; m < h->n_meas; m++)
        for (size_t e = 0; e < 2; e++)
            p += 0.5 * h->dfw[m] *
                 objr__blevel_power(lv, h->ir + (2 * m + e) * h->n_taps, h->n_taps);
    return p;
}

objr_status objr__blevel_stereo(const objr__hrtf *h, double *front, double *diffuse) {
    objr__layout lay;
    objr__psp *p = NULL;
    if (objr__layout_lookup("0+2+0", &lay) != OBJR_OK)
        return OBJR_ERR_INTERNAL;
    objr_status st = objr__psp_create(&lay, &p);
    if (st != OBJR_OK)
        return st == OBJR_ERR_NOMEM ? st : OBJR_ERR_INTERNAL;
    double g[OBJR__MAX_SPEAKERS], dir[3], d = 0;
    size_t no = objr__psp_n_outputs(p);
    for (size_t m = 0; m <= h->n_meas; m++) {
        if (m < h->n_meas) { /* SOFA frame (x front, y left, z up) to ADM polar */
            const float *v = h->dirs + 3 * m;
            double az = atan2(v[1], v[0]) * 180.0 / OBJR_PI;
            double el = asin(fmax(-1.0, fmin(1.0, (double)v[2]))) * 180.0 / OBJR_PI;
            objr__geom_cart(az, el, 1.0, dir);
        } else {
            objr__geom_cart(0.0, 0.0, 1.0, dir);
        }
        objr__psp_gains(p, dir, g);
        double pw = 0;
        for (size_t k = 0; k < no; k++)
            pw += g[k] * g[k];
        if (m < h->n_meas)
            d += h->dfw[m] * pw;
        else
            *front = pw;
    }
    *diffuse = d;
    objr__psp_destroy(p);
    return OBJR_OK;
}
