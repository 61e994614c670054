/* SPDX-License-Identifier: BSD-3-Clause */
/* Uniformly partitioned overlap-save convolution for the binaural renderer (Wefers, "Partitioned
 * convolution algorithms for real-time auralization", 2015, §5): FFTW3f split-complex plans,
 * complex multiply-accumulate kernels, and a fixed multi-partition filter pair fed by one input
 * (used for the shared diffuse and early-reflection buses). Spectra are accumulated into the
 * caller's per-ear sums so every path shares one inverse transform per ear. Internal. */
#ifndef OBJR_RENDERERS_BINAURAL_CONV_H
#define OBJR_RENDERERS_BINAURAL_CONV_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_status.h"
#include "src/core/core.h"

/** FFT of size n = 2 * block with split real/imaginary spectra of k = block + 1 bins. */
typedef struct objr__bfft {
    size_t block;    /**< hop B */
    size_t n;        /**< FFT size 2B */
    size_t k;        /**< bins B + 1 */
    size_t stride;   /**< k rounded up to 16 floats: spectra buffers keep 64-byte alignment */
    void *r2c, *c2r; /**< fftwf_plan: interleaved r2c into cbuf (then split), split c2r */
    void *c2c;       /**< fftwf_plan: split complex forward, pin (re) + pin + n (im) -> pout */
    float *cbuf;     /**< interleaved spectrum scratch (2k floats) */
    float *pin;      /**< 2n floats: the pair transform's input (two real signals, or a
                      *   spectrum to invert: see objr__bfft_pair_inverse) */
    float *pout;     /**< 2n floats: its output, re at pout, im at pout + n */
    void (*deinterleave)(const float *c, float *re, float *im, size_t k);
} objr__bfft;

OBJR_HIDDEN void objr__bfft_deinterleave_c(const float *c, float *re, float *im, size_t k);
#if defined(OBJR_HAVE_SIMD) && (defined(__x86_64__) || defined(__i386__))
OBJR_HIDDEN void objr__bfft_deinterleave_avx2(const float *c, float *re, float *im, size_t k);
#endif

/** Plans (serialised behind one lock, as FFTW planning is not thread-safe). */
OBJR_HIDDEN objr_status objr__bfft_init(objr__bfft *f, size_t block, int measure);
OBJR_HIDDEN void objr__bfft_free(objr__bfft *f);
/** Forward: n reals -> re, im (k bins each). FFTW's interleaved r2c (faster than its split
 *  r2c, which copies internally) followed by a de-interleave. Not reentrant for one @p f. */
OBJR_HIDDEN void objr__bfft_forward(const objr__bfft *f, float *in, float *re, float *im);
/** Inverse (unnormalised; destroys re/im): k bins -> n reals. Buffers from
 *  objr__bfft_alloc with im == re + stride (the separation the plan was made with). */
OBJR_HIDDEN void objr__bfft_inverse(const objr__bfft *f, float *re, float *im, float *out);
/**
 * Two real signals at once (one complex FFT of size n costs less than two real ones): the
 * caller writes signal a to f->pin and signal b to f->pin + n, then split2 of f->pout gives
 * both spectra. Not reentrant for one @p f.
 */
OBJR_HIDDEN void objr__bfft_pair_forward(const objr__bfft *f);
/**
 * Two real outputs at once from their half spectra (k bins each, split; the imaginary parts at
 * DC and Nyquist are ignored, as a real inverse does): the unnormalised inverse transforms of
 * a and b, n floats each, returned as pointers into f->pout ([0] = a, [1] = b), valid until
 * the next use of @p f.
 */
OBJR_HIDDEN void objr__bfft_pair_inverse(const objr__bfft *f, const float *ar, const float *ai,
                                         const float *br, const float *bi, const float *out[2]);
/** FFTW-aligned zeroed float buffer of n floats (n rounded up to 16). Free with
 * objr__bfft_free_buf. */
OBJR_HIDDEN float *objr__bfft_alloc(size_t n);
OBJR_HIDDEN void objr__bfft_free_buf(float *p);

/** A piecewise-linear value over bins: segment j covers bins [end[j-1], end[j]) (end[-1] = 0)
 *  and has the value v0[j] + dv[j] (k - start) at bin k. */
#define OBJR__BCURVE_MAX 12
typedef struct objr__bcurve {
    size_t n;
    size_t end[OBJR__BCURVE_MAX];
    float v0[OBJR__BCURVE_MAX], dv[OBJR__BCURVE_MAX];
} objr__bcurve;

/** Complex multiply-accumulate kernels over k bins (split arrays). */
typedef struct objr__bconvdsp {
    /** yr/yi += (xr + i xi)(hr + i hi) */
    void (*cmac)(float *yr, float *yi, const float *xr, const float *xi, const float *hr,
                 const float *hi, size_t k);
    /** out = {sum |o|^2, sum |n|^2, sum Re(o conj n)} (unweighted) */
    void (*stats)(const float *or_, const float *oi, const float *nr, const float *ni, size_t k,
                  double out[3]);
    /** (re + i im) = (w0 a0 + w1 a1 + w2 a2)(rc + i rs); a* split spectra as 16-bit integers
     *  (re, then im at +s; their scale is folded into w) */
    void (*mix3rot)(float *re, float *im, const int16_t *const a[3], const float w[3], size_t s,
                    const float *rc, const float *rs, size_t k);
    /** y[i] = (add ? y[i] : 0) + x[i] * (g0 + dg * (i + 1)) */
    void (*ramp)(float *y, const float *x, float g0, float dg, size_t n, int add);
    /** mix3rot into (re, im) and, in the same pass, stats of the old spectrum (or_, oi)
     *  against the new one in bands: bins [edges[b], edges[b+1]) for b < nb (edges[0] = 0,
     *  edges[nb] = k): out[b] = {sum |o|^2, sum |n|^2, sum Re(o conj n)} */
    void (*mix3rot_stats)(float *re, float *im, const int16_t *const a[3], const float w[3],
                          size_t s, const float *rc, const float *rs, const float *or_,
                          const float *oi, const size_t *edges, size_t nb, double (*out)[3]);
    /** Two real signals' spectra from one complex transform z = DFT(a + i b) of size n (split,
     *  zi = zr + n): for k < kk, A_k = (z_k + conj z_{n-k}) / 2, B_k = (z_k - conj z_{n-k}) / 2i */
    void (*split2)(const float *zr, size_t n, float *ar, float *ai, float *br, float *bi,
                   size_t kk);
    /** cross-fade MAC, x read once: po = x*o, pn = x*n;
     *  y[0] += po, y[1] += pn, y[2] += beta(i) (po + pn)  (beta: a curve over the bins)
     *  (y[j] split spectra: re at y[j], im at y[j] + s) */
    void (*cmacfade)(float *const y[3], size_t s, const objr__bcurve *beta, const float *xr,
                     const float *xi, const float *or_, const float *oi, const float *nr,
                     const float *ni, size_t k);
} objr__bconvdsp;
OBJR_HIDDEN void objr__bconvdsp_init(objr__bconvdsp *d, unsigned cpu);
OBJR_HIDDEN void objr__bconv_cmac_c(float *yr, float *yi, const float *xr, const float *xi,
                                    const float *hr, const float *hi, size_t k);
OBJR_HIDDEN void objr__bconv_stats_c(const float *or_, const float *oi, const float *nr,
                                     const float *ni, size_t k, double out[3]);
OBJR_HIDDEN void objr__bconv_mix3rot_c(float *re, float *im, const int16_t *const a[3],
                                       const float w[3], size_t s, const float *rc, const float *rs,
                                       size_t k);
OBJR_HIDDEN void objr__bconv_ramp_c(float *y, const float *x, float g0, float dg, size_t n,
                                    int add);
OBJR_HIDDEN void objr__bconv_mix3rot_stats_c(float *re, float *im, const int16_t *const a[3],
                                             const float w[3], size_t s, const float *rc,
                                             const float *rs, const float *or_, const float *oi,
                                             const size_t *edges, size_t nb, double (*out)[3]);
OBJR_HIDDEN void objr__bconv_split2_c(const float *zr, size_t n, float *ar, float *ai, float *br,
                                      float *bi, size_t kk);
OBJR_HIDDEN void objr__bconv_cmacfade_c(float *const y[3], size_t s, const objr__bcurve *beta,
                                        const float *xr, const float *xi, const float *or_,
                                        const float *oi, const float *nr, const float *ni,
                                        size_t k);
#if defined(OBJR_HAVE_SIMD) && (defined(__x86_64__) || defined(__i386__))
OBJR_HIDDEN void objr__bconv_stats_avx2(const float *or_, const float *oi, const float *nr,
                                        const float *ni, size_t k, double out[3]);
OBJR_HIDDEN void objr__bconv_mix3rot_avx2(float *re, float *im, const int16_t *const a[3],
                                          const float w[3], size_t s, const float *rc,
                                          const float *rs, size_t k);
OBJR_HIDDEN void objr__bconv_ramp_avx2(float *y, const float *x, float g0, float dg, size_t n,
                                       int add);
OBJR_HIDDEN void objr__bconv_cmac_avx2(float *yr, float *yi, const float *xr, const float *xi,
                                       const float *hr, const float *hi, size_t k);
OBJR_HIDDEN void objr__bconv_mix3rot_stats_avx2(float *re, float *im, const int16_t *const a[3],
                                                const float w[3], size_t s, const float *rc,
                                                const float *rs, const float *or_, const float *oi,
                                                const size_t *edges, size_t nb, double (*out)[3]);
OBJR_HIDDEN void objr__bconv_cmacfade_avx2(float *const y[3], size_t s, const objr__bcurve *beta,
                                           const float *xr, const float *xi, const float *or_,
                                           const float *oi, const float *nr, const float *ni,
                                           size_t k);
OBJR_HIDDEN void objr__bconv_split2_avx2(const float *zr, size_t n, float *ar, float *ai, float *br,
                                         float *bi, size_t kk);
#endif

/** A fixed filter pair (left, right) of any length, uniformly partitioned. */
typedef struct objr__bconv_fixed objr__bconv_fixed;

/**
 * Prepare the filter spectra (scaled by 1/n so the caller's inverse needs no scaling).
 * @p f must outlive the convolver.
 */
OBJR_HIDDEN objr_status objr__bconv_fixed_create(const objr__bfft *f, const float *left,
                                                 const float *right, size_t len,
                                                 objr__bconv_fixed **out);
OBJR_HIDDEN void objr__bconv_fixed_destroy(objr__bconv_fixed *c);
/** Forget the input history. */
OBJR_HIDDEN void objr__bconv_fixed_reset(objr__bconv_fixed *c);
/**
 * Feed one block of B input samples and add its output spectra for this block into
 * yr[ear]/yi[ear]. @p scratch holds at least n floats (FFTW-aligned).
 */
OBJR_HIDDEN void objr__bconv_fixed_block(objr__bconv_fixed *c, const objr__bconvdsp *dsp,
                                         const float *in, float *const yr[2], float *const yi[2],
                                         float *scratch);

#endif /* OBJR_RENDERERS_BINAURAL_CONV_H */
