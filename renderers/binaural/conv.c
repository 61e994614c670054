/* SPDX-License-Identifier: BSD-3-Clause */
/* Uniformly partitioned overlap-save convolution (UPOLS) building blocks: FFTW3f split-complex
 * plans created under one lock, the portable complex multiply-accumulate reference kernels, and
 * fixed multi-partition filter pairs with a frequency-domain delay line. */
#include "renderers/binaural/conv.h"

#include <stdlib.h>
#include <string.h>

#include <fftw3.h>

#include "src/core/fftw_lock.h"

float *objr__bfft_alloc(size_t n) {
    size_t r = (n + 15) & ~(size_t)15, bytes;
    if (!objr__mul_size(r ? r : 16, sizeof(float), &bytes))
        return NULL;
    float *p = fftwf_malloc(bytes);
    if (p)
        memset(p, 0, bytes);
    return p;
}

void objr__bfft_free_buf(float *p) {
    if (p)
        fftwf_free(p);
}

objr_status objr__bfft_init(objr__bfft *f, size_t block, int measure) {
    memset(f, 0, sizeof *f);
    if (block < 16 || block > (1u << 20))
        return OBJR_ERR_INVALID_ARG;
    f->block = block;
    f->n = 2 * block;
    f->k = block + 1;
    f->stride = (f->k + 15) & ~(size_t)15;
    /* FFTW's new-array execute needs the same alignment and the same im - re separation as
     * at planning: every spectrum in the renderer keeps im = re + stride. */
    float *in = objr__bfft_alloc(f->n), *re = objr__bfft_alloc(2 * f->stride);
    float *im = re ? re + f->stride : NULL;
    f->cbuf = objr__bfft_alloc(2 * f->k);
    f->pin = objr__bfft_alloc(2 * f->n);
    f->pout = objr__bfft_alloc(2 * f->n);
    f->deinterleave = objr__bfft_deinterleave_c;
#if defined(OBJR_HAVE_SIMD) && (defined(__x86_64__) || defined(__i386__))
    if (objr__cpu_flags() & OBJR_CPU_AVX2)
        f->deinterleave = objr__bfft_deinterleave_avx2;
#endif
    objr_status st = OBJR_OK;
    if (!in || !re || !f->cbuf || !f->pin || !f->pout) {
        st = OBJR_ERR_NOMEM;
        goto done;
    }
    fftwf_iodim dim = {(int)f->n, 1, 1};
    unsigned flags = measure ? FFTW_MEASURE : FFTW_ESTIMATE;
    objr__fftw_lock(); /* FFTW planning is not thread-safe */
    f->r2c = fftwf_plan_dft_r2c_1d((int)f->n, in, (fftwf_complex *)f->cbuf, flags);
    (void)dim;
    f->c2r = fftwf_plan_guru_split_dft_c2r(1, &dim, 0, NULL, re, im, in, flags);
    /* planned on the buffers it always runs on (FFTW_MEASURE overwrites them: before use) */
    f->c2c = fftwf_plan_guru_split_dft(1, &dim, 0, NULL, f->pin, f->pin + f->n, f->pout,
                                       f->pout + f->n, flags);
    objr__fftw_unlock();
    if (!f->r2c || !f->c2r || !f->c2c)
        st = OBJR_ERR_INTERNAL;
done:
    objr__bfft_free_buf(in);
    objr__bfft_free_buf(re);
    if (st != OBJR_OK)
        objr__bfft_free(f);
    return st;
}

void objr__bfft_free(objr__bfft *f) {
    if (!f)
        return;
    objr__fftw_lock();
    if (f->r2c)
        fftwf_destroy_plan((fftwf_plan)f->r2c);
    if (f->c2r)
        fftwf_destroy_plan((fftwf_plan)f->c2r);
    if (f->c2c)
        fftwf_destroy_plan((fftwf_plan)f->c2c);
    objr__fftw_unlock();
    f->r2c = f->c2r = f->c2c = NULL;
    objr__bfft_free_buf(f->cbuf);
    objr__bfft_free_buf(f->pin);
    objr__bfft_free_buf(f->pout);
    f->cbuf = f->pin = f->pout = NULL;
}

void objr__bfft_deinterleave_c(const float *restrict c, float *restrict re, float *restrict im,
                               size_t k) {
    for (size_t i = 0; i < k; i++) {
        re[i] = c[2 * i];
        im[i] = c[2 * i + 1];
    }
}

void objr__bfft_forward(const objr__bfft *f, float *in, float *re, float *im) {
    fftwf_execute_dft_r2c((fftwf_plan)f->r2c, in, (fftwf_complex *)f->cbuf);
    f->deinterleave(f->cbuf, re, im, f->k);
}

void objr__bfft_inverse(const objr__bfft *f, float *re, float *im, float *out) {
    fftwf_execute_split_dft_c2r((fftwf_plan)f->c2r, re, im, out);
}

void objr__bfft_pair_forward(const objr__bfft *f) {
    fftwf_execute((fftwf_plan)f->c2c);
}

/* z = A + iB over the whole circle (A, B Hermitian: z_{n-k} = conj A_k + i conj B_k). The
 * inverse is the forward transform with real and imaginary parts swapped on the way in and
 * out: the plan's real input gets Im z, its imaginary input Re z, and then its imaginary
 * output is the inverse's real part (signal a), its real output the imaginary part (b). */
void objr__bfft_pair_inverse(const objr__bfft *f, const float *ar, const float *ai, const float *br,
                             const float *bi, const float *out[2]) {
    size_t n = f->n, h = n / 2;
    float *zi = f->pin, *zr = f->pin + n;
    zr[0] = ar[0], zi[0] = br[0];
    zr[h] = ar[h], zi[h] = br[h];
    for (size_t k = 1; k < h; k++) {
        zr[k] = ar[k] - bi[k];
        zi[k] = ai[k] + br[k];
        zr[n - k] = ar[k] + bi[k];
        zi[n - k] = br[k] - ai[k];
    }
    fftwf_execute((fftwf_plan)f->c2c);
    out[0] = f->pout + n;
    out[1] = f->pout;
}

void objr__bconv_cmac_c(float *restrict yr, float *restrict yi, const float *restrict xr,
                        const float *restrict xi, const float *restrict hr,
                        const float *restrict hi, size_t k) {
    for (size_t i = 0; i < k; i++) {
        yr[i] += xr[i] * hr[i] - xi[i] * hi[i];
        yi[i] += xr[i] * hi[i] + xi[i] * hr[i];
    }
}

void objr__bconv_stats_c(const float *or_, const float *oi, const float *nr, const float *ni,
                         size_t k, double out[3]) {
    double eo = 0, en = 0, c = 0;
    for (size_t i = 0; i < k; i++) {
        eo += (double)or_[i] * or_[i] + (double)oi[i] * oi[i];
        en += (double)nr[i] * nr[i] + (double)ni[i] * ni[i];
        c += (double)or_[i] * nr[i] + (double)oi[i] * ni[i];
    }
    out[0] = eo, out[1] = en, out[2] = c;
}

#define I2F(v) ((float)(v))

void objr__bconv_mix3rot_c(float *restrict re, float *restrict im, const int16_t *const a[3],
                           const float w[3], size_t s, const float *restrict rc,
                           const float *restrict rs, size_t k) {
    const int16_t *a0 = a[0], *a1 = a[1], *a2 = a[2];
    for (size_t i = 0; i < k; i++) {
        float x = w[0] * I2F(a0[i]) + w[1] * I2F(a1[i]) + w[2] * I2F(a2[i]);
        float y = w[0] * I2F(a0[s + i]) + w[1] * I2F(a1[s + i]) + w[2] * I2F(a2[s + i]);
        re[i] = x * rc[i] - y * rs[i];
        im[i] = x * rs[i] + y * rc[i];
    }
}

void objr__bconv_ramp_c(float *restrict y, const float *restrict x, float g0, float dg, size_t n,
                        int add) {
    for (size_t i = 0; i < n; i++) {
        float v = x[i] * (g0 + dg * (float)(i + 1));
        y[i] = add ? y[i] + v : v;
    }
}

void objr__bconv_mix3rot_stats_c(float *restrict re, float *restrict im, const int16_t *const a[3],
                                 const float w[3], size_t s, const float *restrict rc,
                                 const float *restrict rs, const float *restrict or_,
                                 const float *restrict oi, const size_t *edges, size_t nb,
                                 double (*out)[3]) {
    const int16_t *a0 = a[0], *a1 = a[1], *a2 = a[2];
    for (size_t b = 0; b < nb; b++) {
        double eo = 0, en = 0, c = 0;
        for (size_t i = edges[b]; i < edges[b + 1]; i++) {
            float x = w[0] * I2F(a0[i]) + w[1] * I2F(a1[i]) + w[2] * I2F(a2[i]);
            float y = w[0] * I2F(a0[s + i]) + w[1] * I2F(a1[s + i]) + w[2] * I2F(a2[s + i]);
            float nr = x * rc[i] - y * rs[i], ni = x * rs[i] + y * rc[i];
            re[i] = nr;
            im[i] = ni;
            eo += (double)or_[i] * or_[i] + (double)oi[i] * oi[i];
            en += (double)nr * nr + (double)ni * ni;
            c += (double)or_[i] * nr + (double)oi[i] * ni;
        }
        out[b][0] = eo, out[b][1] = en, out[b][2] = c;
    }
}

void objr__bconv_split2_c(const float *restrict zr, size_t n, float *restrict ar,
                          float *restrict ai, float *restrict br, float *restrict bi, size_t kk) {
    const float *zi = zr + n;
    for (size_t k = 0; k < kk; k++) {
        size_t m = k ? n - k : 0;
        ar[k] = 0.5f * (zr[k] + zr[m]);
        ai[k] = 0.5f * (zi[k] - zi[m]);
        br[k] = 0.5f * (zi[k] + zi[m]);
        bi[k] = 0.5f * (zr[m] - zr[k]);
    }
}

void objr__bconv_cmacfade_c(float *const y[3], size_t s, const objr__bcurve *beta, const float *xr,
                            const float *xi, const float *or_, const float *oi, const float *nr,
                            const float *ni, size_t k) {
    float *y0 = y[0], *y1 = y[1], *y2 = y[2];
    size_t i = 0;
    for (size_t g = 0; g < beta->n && i < k; g++) {
        size_t start = i, end = beta->end[g] < k ? beta->end[g] : k;
        for (; i < end; i++) {
            float bt = beta->v0[g] + beta->dv[g] * (float)(i - start);
            float pr = xr[i] * or_[i] - xi[i] * oi[i];
            float pi = xr[i] * oi[i] + xi[i] * or_[i];
            float qr = xr[i] * nr[i] - xi[i] * ni[i];
            float qi = xr[i] * ni[i] + xi[i] * nr[i];
            y0[i] += pr;
            y0[s + i] += pi;
            y1[i] += qr;
            y1[s + i] += qi;
            y2[i] += bt * (pr + qr);
            y2[s + i] += bt * (pi + qi);
        }
    }
}

void objr__bconvdsp_init(objr__bconvdsp *d, unsigned cpu) {
    d->cmac = objr__bconv_cmac_c;
    d->stats = objr__bconv_stats_c;
    d->ramp = objr__bconv_ramp_c;
    d->mix3rot = objr__bconv_mix3rot_c;
    d->mix3rot_stats = objr__bconv_mix3rot_stats_c;
    d->cmacfade = objr__bconv_cmacfade_c;
    d->split2 = objr__bconv_split2_c;
#if defined(OBJR_HAVE_SIMD) && (defined(__x86_64__) || defined(__i386__))
    if (cpu & OBJR_CPU_AVX2) {
        d->cmac = objr__bconv_cmac_avx2;
        d->stats = objr__bconv_stats_avx2;
        d->ramp = objr__bconv_ramp_avx2;
        d->mix3rot = objr__bconv_mix3rot_avx2;
        d->mix3rot_stats = objr__bconv_mix3rot_stats_avx2;
        d->cmacfade = objr__bconv_cmacfade_avx2;
        d->split2 = objr__bconv_split2_avx2;
    }
#else
    (void)cpu;
#endif
}

struct objr__bconv_fixed {
    const objr__bfft *f;
    size_t parts, head;
    float *h;    /* parts x 2 ears x (re, im) x stride */
    float *fdl;  /* parts x (re, im) x stride: input spectra, newest at head */
    float *prev; /* last input block */
};

void objr__bconv_fixed_destroy(objr__bconv_fixed *c) {
    if (!c)
        return;
    objr__bfft_free_buf(c->h);
    objr__bfft_free_buf(c->fdl);
    objr__bfft_free_buf(c->prev);
    free(c);
}

void objr__bconv_fixed_reset(objr__bconv_fixed *c) {
    if (!c)
        return;
    memset(c->fdl, 0, c->parts * 2 * c->f->stride * sizeof *c->fdl);
    memset(c->prev, 0, c->f->block * sizeof *c->prev);
}

objr_status objr__bconv_fixed_create(const objr__bfft *f, const float *left, const float *right,
                                     size_t len, objr__bconv_fixed **out) {
    *out = NULL;
    objr__bconv_fixed *c = objr__calloc(1, sizeof *c);
    if (!c)
        return OBJR_ERR_NOMEM;
    size_t B = f->block, S = f->stride;
    c->f = f;
    c->parts = len ? (len + B - 1) / B : 1;
    size_t hn, fn;
    if (!objr__mul_size(c->parts, 4 * S, &hn) || !objr__mul_size(c->parts, 2 * S, &fn))
        goto nomem;
    c->h = objr__bfft_alloc(hn);
    c->fdl = objr__bfft_alloc(fn);
    c->prev = objr__bfft_alloc(B);
    float *tmp = objr__bfft_alloc(f->n);
    if (!c->h || !c->fdl || !c->prev || !tmp) {
        objr__bfft_free_buf(tmp);
        goto nomem;
    }
    float scale = 1.0f / (float)f->n;
    for (size_t p = 0; p < c->parts; p++) {
        for (int e = 0; e < 2; e++) {
            const float *src = e ? right : left;
            memset(tmp, 0, f->n * sizeof *tmp);
            for (size_t i = 0; i < B && p * B + i < len; i++)
                tmp[i] = src[p * B + i] * scale;
            float *re = c->h + (p * 4 + (size_t)e * 2) * S;
            objr__bfft_forward(f, tmp, re, re + S);
        }
    }
    objr__bfft_free_buf(tmp);
    *out = c;
    return OBJR_OK;
nomem:
    objr__bconv_fixed_destroy(c);
    return OBJR_ERR_NOMEM;
}

void objr__bconv_fixed_block(objr__bconv_fixed *c, const objr__bconvdsp *dsp, const float *in,
                             float *const yr[2], float *const yi[2], float *scratch) {
    const objr__bfft *f = c->f;
    size_t B = f->block, S = f->stride, K = f->k;
    memcpy(scratch, c->prev, B * sizeof *scratch);
    memcpy(scratch + B, in, B * sizeof *scratch);
    memcpy(c->prev, in, B * sizeof *in);
    c->head = (c->head + c->parts - 1) % c->parts;
    float *xr = c->fdl + c->head * 2 * S;
    objr__bfft_forward(f, scratch, xr, xr + S);
    for (size_t p = 0; p < c->parts; p++) {
        const float *x = c->fdl + ((c->head + p) % c->parts) * 2 * S;
        for (int e = 0; e < 2; e++) {
            const float *h = c->h + (p * 4 + (size_t)e * 2) * S;
            dsp->cmac(yr[e], yi[e], x, x + S, h, h + S, K);
        }
    }
}
