/* SPDX-License-Identifier: BSD-3-Clause */
/* HOA pack -> virtual loudspeakers for the binaural scene (BS.2076-2 §5.4.3.4 HOA channels;
 * energy-preserving decoding after Zotter, Pomberger & Noisternig 2012, max-rE weights after
 * Zotter & Frank 2012, dual-band decoding after Gerzon). */
#include "renderers/binaural_hoa.h"

#include <math.h>
#include <string.h>

#include "formats/adm_model.h"
#include "renderers/hoa.h"

/* Head radius and speed of sound for the crossover: order N reproduces the sound field over
 * the head up to kr = N (Ward & Abhayapala 2001), i.e. N * c / (2 pi r), about 624 Hz per
 * order. Above it the decode switches to max-rE energy panning. */
#define HEAD_RADIUS_M 0.0875
#define SPEED_OF_SOUND_M_S 343.0
/* keep the crossover well below Nyquist at any rate */
#define MAX_CROSSOVER_FRACTION 0.35
/* Jacobi eigen-decomposition of the C x C Gram matrix */
#define JACOBI_MAX_SWEEPS 64
/* smallest eigenvalue of the Gram matrix relative to the largest: below it the virtual
 * loudspeakers cannot resolve the pack's harmonics (never the case for the point sets here,
 * whose ratio stays above 0.3) */
#define MIN_EIGEN_RATIO 1e-6

/* frames decoded per pass: the band-split channels stay in cache for the matrix */
#define SCRATCH_FRAMES 256

typedef struct biquad {
    double b0, b1, b2, a1, a2; /* normalised by a0 */
} biquad;

typedef struct chan_state {
    double lp1[2], lp2[2], ap[2]; /* transposed direct form II states */
} chan_state;

struct objr__binaural_hoa {
    size_t n_ch, n_virt, max_frames;
    double *az_deg, *el_deg; /* n_virt */
    float *dec;              /* n_virt x n_ch, row-major: energy-preserving decoder (N3D) */
    double *w_lf, *w_hf;     /* per channel: band weights incl. the conversion to N3D */
    biquad lp, ap;
    double crossover_hz;
    chan_state *st; /* n_ch */
    float *xs;      /* n_ch x max_frames scratch: weighted, band-split channels */
};

size_t objr__binaural_hoa_n_virtual_for_order(int max_order) {
    size_t n1 = (size_t)(max_order < 0 ? 0 : max_order) + 1, c = n1 * n1;
    if (2 * c <= OBJR__BINAURAL_HOA_MAX_VIRTUAL_LOW)
        return 2 * c < 4 ? 4 : 2 * c;
    size_t k = (5 * c + 3) / 4;
    return k > OBJR__BINAURAL_HOA_MAX_VIRTUAL_LOW ? k : OBJR__BINAURAL_HOA_MAX_VIRTUAL_LOW;
}

void objr__binaural_hoa_destroy(objr__binaural_hoa *h) {
    if (!h)
        return;
    objr__freep(&h->az_deg);
    objr__freep(&h->el_deg);
    objr__freep(&h->dec);
    objr__freep(&h->w_lf);
    objr__freep(&h->w_hf);
    objr__freep(&h->st);
    objr__freep(&h->xs);
    objr__freep(&h);
}

size_t objr__binaural_hoa_n_virtual(const objr__binaural_hoa *h) {
    return h->n_virt;
}

void objr__binaural_hoa_direction(const objr__binaural_hoa *h, size_t k, double *az_deg,
                                  double *el_deg) {
    *az_deg = h->az_deg[k];
    *el_deg = h->el_deg[k];
}

double objr__binaural_hoa_crossover_hz(const objr__binaural_hoa *h) {
    return h->crossover_hz;
}

void objr__binaural_hoa_reset(objr__binaural_hoa *h) {
    memset(h->st, 0, h->n_ch * sizeof *h->st);
}

/* Cyclic Jacobi eigen-decomposition of the symmetric n x n matrix a (destroyed: its diagonal
 * becomes the eigenvalues); v receives the eigenvectors as columns. */
static void jacobi_eig(double *a, double *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            v[i * n + j] = i == j;
    for (int sweep = 0; sweep < JACOBI_MAX_SWEEPS; sweep++) {
        double off = 0.0, diag = 0.0;
        for (size_t p = 0; p < n; p++) {
            diag += a[p * n + p] * a[p * n + p];
            for (size_t q = p + 1; q < n; q++)
                off += a[p * n + q] * a[p * n + q];
        }
        if (off <= 1e-30 * diag)
            break;
        for (size_t p = 0; p < n; p++)
            for (size_t q = p + 1; q < n; q++) {
                double apq = a[p * n + q];
                if (fabs(apq) <= 1e-300)
                    continue;
                double theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                double t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1.0));
                double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
                for (size_t k = 0; k < n; k++) {
                    double akp = a[k * n + p], akq = a[k * n + q];
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for (size_t k = 0; k < n; k++) {
                    double apk = a[p * n + k], aqk = a[q * n + k];
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for (size_t k = 0; k < n; k++) {
                    double vkp = v[k * n + p], vkq = v[k * n + q];
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
    }
}

/* RBJ cookbook biquads at Q = 1/sqrt(2) (bilinear transform, prewarped): two low-passes in
 * series and the all-pass with the same poles form a Linkwitz-Riley crossover whose high
 * band is all-pass minus low-pass. */
static void design_filters(objr__binaural_hoa *h, double fc_hz, double fs_hz) {
    double w0 = 2.0 * OBJR_PI * fc_hz / fs_hz, cw = cos(w0), al = sin(w0) / (2.0 * sqrt(0.5));
    double a0 = 1.0 + al;
    h->lp.b0 = (1.0 - cw) / 2.0 / a0;
    h->lp.b1 = (1.0 - cw) / a0;
    h->lp.b2 = (1.0 - cw) / 2.0 / a0;
    h->lp.a1 = -2.0 * cw / a0;
    h->lp.a2 = (1.0 - al) / a0;
    h->ap.b0 = (1.0 - al) / a0;
    h->ap.b1 = -2.0 * cw / a0;
    h->ap.b2 = 1.0;
    h->ap.a1 = -2.0 * cw / a0;
    h->ap.a2 = (1.0 - al) / a0;
}

static inline double bq(const biquad *f, double z[2], double x) {
    double y = f->b0 * x + z[0];
    z[0] = f->b1 * x - f->a1 * y + z[1];
    z[1] = f->b2 * x - f->a2 * y;
    return y;
}

/* Legendre polynomial P_n(x) */
static double legendre(int n, double x) {
    double p0 = 1.0, p1 = x;
    if (n == 0)
        return p0;
    for (int k = 2; k <= n; k++) {
        double p2 = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / (double)k;
        p0 = p1;
        p1 = p2;
    }
    return p1;
}

objr_status objr__binaural_hoa_create(const int *orders, const int *degrees, const int *norms,
                                      size_t n_channels, double sample_rate_hz,
                                      objr__binaural_hoa **out) {
    const size_t max_frames = SCRATCH_FRAMES;
    *out = NULL;
    if (!orders || !degrees || !norms || n_channels == 0 ||
        !(sample_rate_hz >= 8000.0 && sample_rate_hz <= 1e6))
        return OBJR_ERR_INVALID_ARG;
    int max_order = 0;
    for (size_t c = 0; c < n_channels; c++) {
        int n = orders[c], m = degrees[c], nm = norms[c];
        if (n < 0 || m < -n || m > n ||
            (nm != OBJR__HOA_SN3D && nm != OBJR__HOA_N3D && nm != OBJR__HOA_FUMA))
            return OBJR_ERR_INVALID_ARG;
        if (n > OBJR__HOA_MAX_ORDER || (nm == OBJR__HOA_FUMA && n > 3))
            return OBJR_ERR_UNSUPPORTED;
        for (size_t d = 0; d < c; d++)
            if (orders[d] == n && degrees[d] == m)
                return OBJR_ERR_INVALID_ARG;
        if (n > max_order)
            max_order = n;
    }
    const size_t C = n_channels, K = objr__binaural_hoa_n_virtual_for_order(max_order);
    if (C > K)
        return OBJR_ERR_INVALID_ARG; /* unreachable: distinct channels <= (N+1)^2 < K */
    objr__binaural_hoa *h = objr__calloc(1, sizeof *h);
    double *Y = NULL, *G = NULL, *V = NULL, *M = NULL, *D = NULL;
    objr_status st = OBJR_ERR_NOMEM;
    size_t n_kc, n_cc, n_xs;
    if (!h || !objr__mul_size(K, C, &n_kc) || !objr__mul_size(C, C, &n_cc) ||
        !objr__mul_size(C, max_frames, &n_xs))
        goto fail;
    h->n_ch = C, h->n_virt = K, h->max_frames = max_frames;
    h->az_deg = objr__calloc(K, sizeof(double));
    h->el_deg = objr__calloc(K, sizeof(double));
    h->dec = objr__calloc(n_kc, sizeof(float));
    h->w_lf = objr__calloc(C, sizeof(double));
    h->w_hf = objr__calloc(C, sizeof(double));
    h->st = objr__calloc(C, sizeof *h->st);
    h->xs = objr__calloc(n_xs, sizeof(float));
    Y = objr__calloc(n_kc, sizeof(double));
    D = objr__calloc(n_kc, sizeof(double));
    G = objr__calloc(n_cc, sizeof(double));
    V = objr__calloc(n_cc, sizeof(double));
    M = objr__calloc(n_cc, sizeof(double));
    if (!h->az_deg || !h->el_deg || !h->dec || !h->w_lf || !h->w_hf || !h->st || !h->xs || !Y ||
        !D || !G || !V || !M)
        goto fail;

    /* Virtual loudspeakers: a golden-angle (Fibonacci) spiral, deterministic and nearly
     * uniform; the energy-preserving design below makes the result exact for energy whatever
     * small irregularity the point set has. */
    const double golden = OBJR_PI * (3.0 - sqrt(5.0));
    double *az = h->az_deg, *el = h->el_deg;
    for (size_t k = 0; k < K; k++) {
        double z = 1.0 - (2.0 * (double)k + 1.0) / (double)K;
        double phi = golden * (double)k;
        az[k] = remainder(phi, 2.0 * OBJR_PI) * 180.0 / OBJR_PI;
        el[k] = asin(z) * 180.0 / OBJR_PI;
        for (size_t c = 0; c < C; c++)
            Y[k * C + c] = objr__hoa_sph_harm(orders[c], degrees[c], az[k] * OBJR_PI / 180.0,
                                              el[k] * OBJR_PI / 180.0, OBJR__HOA_N3D);
    }
    /* EPAD: D = Y (Y^T Y)^-1/2 = U V^T for Y = U S V^T, so D^T D = I: a plane wave's
     * virtual loudspeaker energy |D y|^2 equals |y|^2, which in N3D is the same for every
     * direction (addition theorem). On a uniform set it is the sampling decoder Y / sqrt(K). */
    for (size_t i = 0; i < C; i++)
        for (size_t j = i; j < C; j++) {
            double s = 0.0;
            for (size_t k = 0; k < K; k++)
                s += Y[k * C + i] * Y[k * C + j];
            G[i * C + j] = G[j * C + i] = s;
        }
    jacobi_eig(G, V, C);
    double lmax = 0.0, lmin = INFINITY;
    for (size_t i = 0; i < C; i++) {
        lmax = fmax(lmax, G[i * C + i]);
        lmin = fmin(lmin, G[i * C + i]);
    }
    if (!(lmin > MIN_EIGEN_RATIO * lmax)) {
        st = OBJR_ERR_INTERNAL;
        goto fail;
    }
    for (size_t i = 0; i < C; i++)
        for (size_t j = 0; j < C; j++) {
            double s = 0.0;
            for (size_t l = 0; l < C; l++)
                s += V[i * C + l] * V[j * C + l] / sqrt(G[l * C + l]);
            M[i * C + j] = s;
        }
    for (size_t k = 0; k < K; k++)
        for (size_t j = 0; j < C; j++) {
            double s = 0.0;
            for (size_t i = 0; i < C; i++)
                s += Y[k * C + i] * M[i * C + j];
            D[k * C + j] = s;
            h->dec[k * C + j] = (float)s;
        }

    /* Band weights per order. Low band: the same weight for every order (basic decoding),
     * chosen so that the virtual loudspeakers' signals of a plane wave add up to its
     * pressure (they sum coherently at low frequencies). High band: max-rE weights a_n =
     * P_n(cos(137.9 deg / (N + 1.51))), scaled so that the mean energy over the sphere of a
     * plane wave is 1 (N3D harmonics have unit mean square each). */
    double a_n[OBJR__HOA_MAX_ORDER + 1];
    double re = cos(137.9 / (max_order + 1.51) * OBJR_PI / 180.0);
    for (int n = 0; n <= max_order; n++)
        a_n[n] = legendre(n, re);
    double e_hf = 0.0, w_sum = 0.0;
    int have_w = 0;
    for (size_t c = 0; c < C; c++) {
        e_hf += a_n[orders[c]] * a_n[orders[c]];
        if (orders[c] == 0) {
            have_w = 1;
            for (size_t k = 0; k < K; k++)
                w_sum += D[k * C + c];
        }
    }
    double lf = have_w && w_sum > 0.0 ? 1.0 / w_sum : 1.0 / sqrt((double)K);
    double hf = 1.0 / sqrt(e_hf);
    for (size_t c = 0; c < C; c++) {
        /* a channel written with normalisation X is the N3D one times X/N3D: undo it. The
         * sampled columns give the ratio exactly (they are proportional). */
        double sxn = 0.0, sxx = 0.0;
        for (size_t k = 0; k < K; k++) {
            double yx = objr__hoa_sph_harm(orders[c], degrees[c], az[k] * OBJR_PI / 180.0,
                                           el[k] * OBJR_PI / 180.0, norms[c]);
            sxn += yx * Y[k * C + c];
            sxx += yx * yx;
        }
        double to_n3d = sxx > 0.0 ? sxn / sxx : 0.0;
        h->w_lf[c] = lf * to_n3d;
        h->w_hf[c] = hf * a_n[orders[c]] * to_n3d;
    }
    double per_order_hz = SPEED_OF_SOUND_M_S / (2.0 * OBJR_PI * HEAD_RADIUS_M);
    h->crossover_hz = fmin(per_order_hz * (max_order > 1 ? max_order : 1),
                           MAX_CROSSOVER_FRACTION * sample_rate_hz);
    design_filters(h, h->crossover_hz, sample_rate_hz);
    st = OBJR_OK;
    *out = h;
    h = NULL;
fail:
    objr__binaural_hoa_destroy(h);
    objr__freep(&Y);
    objr__freep(&D);
    objr__freep(&G);
    objr__freep(&V);
    objr__freep(&M);
    return st;
}

static void process_part(objr__binaural_hoa *h, const float *const *in, size_t off,
                         const double *g_from, const double *g_to, size_t ramp_pos,
                         size_t ramp_frames, float *const *out, size_t n_frames) {
    const size_t C = h->n_ch, K = h->n_virt;
    const double inv = ramp_frames ? 1.0 / (double)ramp_frames : 1.0;
    for (size_t c = 0; c < C; c++) {
        chan_state *z = &h->st[c];
        const float *x = in && in[c] ? in[c] + off : NULL;
        float *y = h->xs + c * h->max_frames;
        const double wh = h->w_hf[c], wd = h->w_lf[c] - h->w_hf[c];
        const double g0 = g_from[c], dg = g_to[c] - g_from[c];
        for (size_t j = 0; j < n_frames; j++) {
            double v = x ? (double)x[j] : 0.0;
            double lo = bq(&h->lp, z->lp2, bq(&h->lp, z->lp1, v));
            double al = bq(&h->ap, z->ap, v);
            double g = g0 + dg * (double)(ramp_pos + j + 1) * inv;
            y[j] = (float)(g * (wh * al + wd * lo));
        }
    }
    if (!out)
        return;
    for (size_t k = 0; k < K; k++) {
        float *o = out[k] + off;
        const float *d = h->dec + k * C;
        memset(o, 0, n_frames * sizeof *o);
        for (size_t c = 0; c < C; c++) {
            const float a = d[c];
            const float *y = h->xs + c * h->max_frames;
            if (a == 0.0f)
                continue;
            for (size_t j = 0; j < n_frames; j++)
                o[j] += a * y[j];
        }
    }
}

void objr__binaural_hoa_process(objr__binaural_hoa *h, const float *const *in, const double *g_from,
                                const double *g_to, size_t ramp_pos, size_t ramp_frames,
                                float *const *out, size_t n_frames) {
    for (size_t off = 0; off < n_frames; off += h->max_frames) {
        size_t n = n_frames - off < h->max_frames ? n_frames - off : h->max_frames;
        process_part(h, in, off, g_from, g_to, ramp_pos + off, ramp_frames, out, n);
    }
}
