/* SPDX-License-Identifier: BSD-3-Clause */
/* AVX2+FMA complex multiply-accumulate kernels for the binaural convolution (split complex).
 * Contract: matches objr__bconv_cmac_c within float rounding (FMA contracts a*b+c, so results
 * may differ from the reference by a few ulp of the largest product). */
#include <immintrin.h>

#include "renderers/binaural/conv.h"

void objr__bconv_cmac_avx2(float *yr, float *yi, const float *xr, const float *xi, const float *hr,
                           const float *hi, size_t k) {
    size_t i = 0;
    for (; i + 8 <= k; i += 8) {
        __m256 a = _mm256_loadu_ps(xr + i), b = _mm256_loadu_ps(xi + i);
        __m256 c = _mm256_loadu_ps(hr + i), d = _mm256_loadu_ps(hi + i);
        __m256 r = _mm256_loadu_ps(yr + i), m = _mm256_loadu_ps(yi + i);
        r = _mm256_fmadd_ps(a, c, r);
        r = _mm256_fnmadd_ps(b, d, r);
        m = _mm256_fmadd_ps(a, d, m);
        m = _mm256_fmadd_ps(b, c, m);
        _mm256_storeu_ps(yr + i, r);
        _mm256_storeu_ps(yi + i, m);
    }
    objr__bconv_cmac_c(yr + i, yi + i, xr + i, xi + i, hr + i, hi + i, k - i);
}

static double hsum(__m256 v) {
    float t[8];
    _mm256_storeu_ps(t, v);
    double s = 0;
    for (int i = 0; i < 8; i++)
        s += t[i];
    return s;
}

void objr__bconv_stats_avx2(const float *or_, const float *oi, const float *nr, const float *ni,
                            size_t k, double out[3]) {
    size_t i = 0;
    __m256 eo = _mm256_setzero_ps(), en = _mm256_setzero_ps(), c = _mm256_setzero_ps();
    for (; i + 8 <= k; i += 8) {
        __m256 a = _mm256_loadu_ps(or_ + i), b = _mm256_loadu_ps(oi + i);
        __m256 x = _mm256_loadu_ps(nr + i), y = _mm256_loadu_ps(ni + i);
        eo = _mm256_fmadd_ps(a, a, _mm256_fmadd_ps(b, b, eo));
        en = _mm256_fmadd_ps(x, x, _mm256_fmadd_ps(y, y, en));
        c = _mm256_fmadd_ps(a, x, _mm256_fmadd_ps(b, y, c));
    }
    double tail[3];
    objr__bconv_stats_c(or_ + i, oi + i, nr + i, ni + i, k - i, tail);
    out[0] = hsum(eo) + tail[0];
    out[1] = hsum(en) + tail[1];
    out[2] = hsum(c) + tail[2];
}

void objr__bconv_ramp_avx2(float *y, const float *x, float g0, float dg, size_t n, int add) {
    size_t i = 0;
    __m256 vd8 = _mm256_set1_ps(dg * 8.0f);
    __m256 g =
        _mm256_add_ps(_mm256_set1_ps(g0),
                      _mm256_mul_ps(_mm256_set1_ps(dg), _mm256_setr_ps(1, 2, 3, 4, 5, 6, 7, 8)));
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_mul_ps(_mm256_loadu_ps(x + i), g);
        if (add)
            v = _mm256_add_ps(v, _mm256_loadu_ps(y + i));
        _mm256_storeu_ps(y + i, v);
        g = _mm256_add_ps(g, vd8);
    }
    objr__bconv_ramp_c(y + i, x + i, g0 + dg * (float)i, dg, n - i, add);
}

/* 8 int16 -> 8 floats */
static inline __m256 ld16(const int16_t *p) {
    return _mm256_cvtepi32_ps(
        _mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *)(const void *)p)));
}

/* 8 bins of (w0 a0 + w1 a1 + w2 a2)(rc + i rs): re at a*, im at a* + s */
static inline void mix_rot8(const int16_t *a0, const int16_t *a1, const int16_t *a2, size_t s,
                            __m256 w0, __m256 w1, __m256 w2, const float *rc, const float *rs,
                            __m256 *nr, __m256 *ni) {
    __m256 x = _mm256_mul_ps(w0, ld16(a0));
    x = _mm256_fmadd_ps(w1, ld16(a1), x);
    x = _mm256_fmadd_ps(w2, ld16(a2), x);
    __m256 y = _mm256_mul_ps(w0, ld16(a0 + s));
    y = _mm256_fmadd_ps(w1, ld16(a1 + s), y);
    y = _mm256_fmadd_ps(w2, ld16(a2 + s), y);
    __m256 c = _mm256_loadu_ps(rc), sn = _mm256_loadu_ps(rs);
    *nr = _mm256_fmsub_ps(x, c, _mm256_mul_ps(y, sn));
    *ni = _mm256_fmadd_ps(x, sn, _mm256_mul_ps(y, c));
}

void objr__bconv_mix3rot_avx2(float *re, float *im, const int16_t *const a[3], const float w[3],
                              size_t s, const float *rc, const float *rs, size_t k) {
    const int16_t *a0 = a[0], *a1 = a[1], *a2 = a[2];
    __m256 w0 = _mm256_set1_ps(w[0]), w1 = _mm256_set1_ps(w[1]), w2 = _mm256_set1_ps(w[2]);
    size_t i = 0;
    for (; i + 8 <= k; i += 8) {
        __m256 nr, ni;
        mix_rot8(a0 + i, a1 + i, a2 + i, s, w0, w1, w2, rc + i, rs + i, &nr, &ni);
        _mm256_storeu_ps(re + i, nr);
        _mm256_storeu_ps(im + i, ni);
    }
    if (i < k) {
        const int16_t *t[3] = {a0 + i, a1 + i, a2 + i};
        objr__bconv_mix3rot_c(re + i, im + i, t, w, s, rc + i, rs + i, k - i);
    }
}

void objr__bfft_deinterleave_avx2(const float *c, float *re, float *im, size_t k) {
    size_t i = 0;
    for (; i + 8 <= k; i += 8) {
        __m256 a = _mm256_loadu_ps(c + 2 * i), b = _mm256_loadu_ps(c + 2 * i + 8);
        __m256 r = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
        __m256 m = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1));
        r = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(r), _MM_SHUFFLE(3, 1, 2, 0)));
        m = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(m), _MM_SHUFFLE(3, 1, 2, 0)));
        _mm256_storeu_ps(re + i, r);
        _mm256_storeu_ps(im + i, m);
    }
    objr__bfft_deinterleave_c(c + 2 * i, re + i, im + i, k - i);
}

void objr__bconv_mix3rot_stats_avx2(float *re, float *im, const int16_t *const a[3],
                                    const float w[3], size_t s, const float *rc, const float *rs,
                                    const float *or_, const float *oi, const size_t *edges,
                                    size_t nb, double (*out)[3]) {
    const int16_t *a0 = a[0], *a1 = a[1], *a2 = a[2];
    __m256 w0 = _mm256_set1_ps(w[0]), w1 = _mm256_set1_ps(w[1]), w2 = _mm256_set1_ps(w[2]);
    for (size_t b = 0; b < nb; b++) {
        __m256 eo = _mm256_setzero_ps(), en = _mm256_setzero_ps(), c = _mm256_setzero_ps();
        size_t i = edges[b], e = edges[b + 1];
        for (; i + 8 <= e; i += 8) {
            __m256 nr, ni;
            mix_rot8(a0 + i, a1 + i, a2 + i, s, w0, w1, w2, rc + i, rs + i, &nr, &ni);
            _mm256_storeu_ps(re + i, nr);
            _mm256_storeu_ps(im + i, ni);
            __m256 o = _mm256_loadu_ps(or_ + i), p = _mm256_loadu_ps(oi + i);
            eo = _mm256_fmadd_ps(o, o, _mm256_fmadd_ps(p, p, eo));
            en = _mm256_fmadd_ps(nr, nr, _mm256_fmadd_ps(ni, ni, en));
            c = _mm256_fmadd_ps(o, nr, _mm256_fmadd_ps(p, ni, c));
        }
        double tail[1][3] = {{0, 0, 0}};
        if (i < e) {
            size_t te[2] = {i, e};
            objr__bconv_mix3rot_stats_c(re, im, a, w, s, rc, rs, or_, oi, te, 1, tail);
        }
        out[b][0] = hsum(eo) + tail[0][0];
        out[b][1] = hsum(en) + tail[0][1];
        out[b][2] = hsum(c) + tail[0][2];
    }
}

void objr__bconv_cmacfade_avx2(float *const y[3], size_t s, const objr__bcurve *beta,
                               const float *xr, const float *xi, const float *or_, const float *oi,
                               const float *nr, const float *ni, size_t k) {
    float *y0 = y[0], *y1 = y[1], *y2 = y[2];
    const __m256 lane = _mm256_setr_ps(0, 1, 2, 3, 4, 5, 6, 7);
    size_t i = 0;
    for (size_t g = 0; g < beta->n && i < k; g++) {
        size_t start = i, end = beta->end[g] < k ? beta->end[g] : k;
        __m256 dv = _mm256_set1_ps(beta->dv[g]), dv8 = _mm256_set1_ps(8.0f * beta->dv[g]);
        __m256 vb = _mm256_fmadd_ps(dv, lane, _mm256_set1_ps(beta->v0[g]));
        for (; i + 8 <= end; i += 8, vb = _mm256_add_ps(vb, dv8)) {
            __m256 a = _mm256_loadu_ps(xr + i), b = _mm256_loadu_ps(xi + i);
            __m256 c = _mm256_loadu_ps(or_ + i), d = _mm256_loadu_ps(oi + i);
            __m256 pr = _mm256_fmsub_ps(a, c, _mm256_mul_ps(b, d));
            __m256 pi = _mm256_fmadd_ps(a, d, _mm256_mul_ps(b, c));
            c = _mm256_loadu_ps(nr + i), d = _mm256_loadu_ps(ni + i);
            __m256 qr = _mm256_fmsub_ps(a, c, _mm256_mul_ps(b, d));
            __m256 qi = _mm256_fmadd_ps(a, d, _mm256_mul_ps(b, c));
            _mm256_storeu_ps(y0 + i, _mm256_add_ps(_mm256_loadu_ps(y0 + i), pr));
            _mm256_storeu_ps(y0 + s + i, _mm256_add_ps(_mm256_loadu_ps(y0 + s + i), pi));
            _mm256_storeu_ps(y1 + i, _mm256_add_ps(_mm256_loadu_ps(y1 + i), qr));
            _mm256_storeu_ps(y1 + s + i, _mm256_add_ps(_mm256_loadu_ps(y1 + s + i), qi));
            _mm256_storeu_ps(y2 + i,
                             _mm256_fmadd_ps(vb, _mm256_add_ps(pr, qr), _mm256_loadu_ps(y2 + i)));
            _mm256_storeu_ps(y2 + s + i, _mm256_fmadd_ps(vb, _mm256_add_ps(pi, qi),
                                                         _mm256_loadu_ps(y2 + s + i)));
        }
        if (i < end) { /* the segment's last bins, as the reference does them */
            objr__bcurve one;
            one.n = 1, one.end[0] = end - i;
            one.v0[0] = beta->v0[g] + beta->dv[g] * (float)(i - start), one.dv[0] = beta->dv[g];
            float *t[3] = {y0 + i, y1 + i, y2 + i};
            objr__bconv_cmacfade_c(t, s, &one, xr + i, xi + i, or_ + i, oi + i, nr + i, ni + i,
                                   end - i);
            i = end;
        }
    }
}

/* reversed 8-lane load: lanes (p[7], ..., p[0]) */
static inline __m256 ldrev(const float *p) {
    return _mm256_permutevar8x32_ps(_mm256_loadu_ps(p), _mm256_setr_epi32(7, 6, 5, 4, 3, 2, 1, 0));
}

void objr__bconv_split2_avx2(const float *zr, size_t n, float *ar, float *ai, float *br, float *bi,
                             size_t kk) {
    if (kk == 0)
        return;
    const float *zi = zr + n;
    const __m256 h = _mm256_set1_ps(0.5f);
    objr__bconv_split2_c(zr, n, ar, ai, br, bi, 1); /* k = 0 mirrors onto itself */
    size_t k = 1;
    for (; k + 8 <= kk && k + 7 <= n; k += 8) { /* mirrors n-k-7 .. n-k, all < n */
        __m256 r = _mm256_loadu_ps(zr + k), m = _mm256_loadu_ps(zi + k);
        __m256 rm = ldrev(zr + n - k - 7), mm = ldrev(zi + n - k - 7);
        _mm256_storeu_ps(ar + k, _mm256_mul_ps(h, _mm256_add_ps(r, rm)));
        _mm256_storeu_ps(ai + k, _mm256_mul_ps(h, _mm256_sub_ps(m, mm)));
        _mm256_storeu_ps(br + k, _mm256_mul_ps(h, _mm256_add_ps(m, mm)));
        _mm256_storeu_ps(bi + k, _mm256_mul_ps(h, _mm256_sub_ps(rm, r)));
    }
    for (; k < kk; k++) {
        size_t mk = n - k;
        ar[k] = 0.5f * (zr[k] + zr[mk]);
        ai[k] = 0.5f * (zi[k] - zi[mk]);
        br[k] = 0.5f * (zi[k] + zi[mk]);
        bi[k] = 0.5f * (zr[mk] - zr[k]);
    }
}
