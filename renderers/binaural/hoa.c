/* SPDX-License-Identifier: BSD-3-Clause */
/* HOA pack -> virtual loudspeakers for the binaural scene (BS.2076-2 §5.4.3.4 HOA channels;
 * energy-preserving decoding after Zotter, Pomberger & Noisternig 2012, max-rE weights after
 * Zotter & Frank 2012, dual-band decoding after Gerzon). */
#include "renderers/binaural/hoa.h"

#include <math.h>
#include <string.h>

#include "formats/adm_model.h"
#include "renderers/loudspeaker/hoa.h"

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
 * loudspeakers cannot resolve the pack's harmonics (never the case for the point sets here:
 * 1 for the designs up to order 4, about 0.3 up to order 7, 0.08 at orders 9 and 10) */
#define MIN_EIGEN_RATIO 1e-6

/* diffuse-field equaliser: octave-wide peaking sections (Q = sqrt 2) on octave centres from
 * OBJR__BINAURAL_HOA_EQ_LOW_HZ, those below this fraction of the rate */
#define EQ_Q 1.4142135623730951
#define EQ_MAX_FRACTION 0.4

/* frames decoded per pass: the band-split channels stay in cache for the matrix */
#define SCRATCH_FRAMES 256

typedef struct biquad {
    double b0, b1, b2, a1, a2; /* normalised by a0 */
} biquad;

typedef struct chan_state {
    double lp1[2], lp2[2], ap[2]; /* transposed direct form II states */
    double eq[OBJR__BINAURAL_HOA_EQ_BANDS][2];
} chan_state;

struct objr__binaural_hoa {
    size_t n_ch, n_virt, max_frames;
    double *az_deg, *el_deg; /* n_virt */
    /* n_virt x n_ch, row-major, for inputs in their own normalisation: out = hf * AP(x) +
     * lo * LP(x), with hf the high-band decoder and lo = low-band minus high-band decoder
     * (the high band is the all-pass minus the low-pass) */
    float *hf, *lo;
    double *d_hf, *d_lf; /* the two bands' decoders (double; hf/lo derive from them) */
    int *orders, *degrees, *norms;
    double high_gain;
    biquad lp, ap;
    double crossover_hz;
    biquad eq[OBJR__BINAURAL_HOA_EQ_BANDS];
    size_t n_eq; /* active equaliser sections (0: none) */
    double sample_rate_hz;
    chan_state *st;       /* n_ch */
    float *xs_lp, *xs_ap; /* n_ch x max_frames scratch: the band-split, gained channels */
};

size_t objr__binaural_hoa_n_virtual_for_order(int max_order) {
    if (max_order <= 1)
        return 8; /* cube */
    if (max_order == 2)
        return 20; /* dodecahedron */
    if (max_order == 3)
        return 26; /* Lebedev */
    size_t n1 = (size_t)max_order + 1, c = n1 * n1;
    if (2 * c <= OBJR__BINAURAL_HOA_MAX_VIRTUAL_LOW)
        return 2 * c;
    size_t k = (5 * c + 3) / 4;
    return k > OBJR__BINAURAL_HOA_MAX_VIRTUAL_LOW ? k : OBJR__BINAURAL_HOA_MAX_VIRTUAL_LOW;
}

static void put(double (*v)[3], double *w, size_t *k, double x, double y, double z, double wt) {
    double r = sqrt(x * x + y * y + z * z);
    v[*k][0] = x / r, v[*k][1] = y / r, v[*k][2] = z / r;
    w[*k] = wt;
    (*k)++;
}

/* The virtual loudspeakers (x front, y left, z up) and their quadrature weights (mean 1),
 * all symmetric left/right so that mirrored sources render mirrored:
 * - order <= 1: the cube, a spherical 3-design (exact for the order-1 energy vector, degree
 *   2N + 1 = 3);
 * - order 2: the dodecahedron, a 5-design;
 * - order 3: Lebedev's 26-point rule (octahedron, cuboctahedron and cube orbits, weights
 *   1/21, 4/105, 9/280), exact to degree 7;
 * - order 4: Lebedev's 50-point rule, exact to degree 11;
 * - higher orders: a golden-angle (Fibonacci) spiral around the interaural axis, mirrored
 *   left/right, with equal weights (near-uniform; the energy-preserving decoder below keeps
 *   the energy exact, the vectors are approximate). */
static size_t make_grid(int max_order, double (*v)[3], double *w) {
    size_t k = 0;
    const size_t K = objr__binaural_hoa_n_virtual_for_order(max_order);
    if (max_order <= 1) {
        for (int i = 0; i < 8; i++)
            put(v, w, &k, i & 1 ? 1 : -1, i & 2 ? 1 : -1, i & 4 ? 1 : -1, 1.0);
    } else if (max_order == 2) {
        const double ph = (1.0 + sqrt(5.0)) / 2.0, ip = 1.0 / ph;
        for (int i = 0; i < 8; i++)
            put(v, w, &k, i & 1 ? 1 : -1, i & 2 ? 1 : -1, i & 4 ? 1 : -1, 1.0);
        for (int i = 0; i < 4; i++) {
            double a = i & 1 ? ip : -ip, b = i & 2 ? ph : -ph;
            put(v, w, &k, 0, a, b, 1.0);
            put(v, w, &k, a, b, 0, 1.0);
            put(v, w, &k, b, 0, a, 1.0);
        }
    } else if (max_order == 3) {
        const double w1 = 26.0 / 21.0, w2 = 26.0 * 4.0 / 105.0, w3 = 26.0 * 9.0 / 280.0;
        for (int a = 0; a < 3; a++)
            for (int sg = -1; sg <= 1; sg += 2) {
                double x[3] = {0, 0, 0};
                x[a] = sg;
                put(v, w, &k, x[0], x[1], x[2], w1);
            }
        for (int a = 0; a < 3; a++) /* the coordinate that is 0 */
            for (int i = 0; i < 4; i++) {
                double x[3], s1 = i & 1 ? 1 : -1, s2 = i & 2 ? 1 : -1;
                x[a] = 0, x[(a + 1) % 3] = s1, x[(a + 2) % 3] = s2;
                put(v, w, &k, x[0], x[1], x[2], w2);
            }
        for (int i = 0; i < 8; i++)
            put(v, w, &k, i & 1 ? 1 : -1, i & 2 ? 1 : -1, i & 4 ? 1 : -1, w3);
    } else if (max_order == 4) {
        /* Lebedev's 50-point rule (degree 11): the three orbits above with weights 4/315,
         * 64/2835, 27/1280, and 24 points (l, l, m) with l = 1/sqrt 11, m = 3/sqrt 11,
         * weight 14641/725760 */
        const double w1 = 50.0 * 4.0 / 315.0, w2 = 50.0 * 64.0 / 2835.0;
        const double w3 = 50.0 * 27.0 / 1280.0, w4 = 50.0 * 14641.0 / 725760.0;
        for (int a = 0; a < 3; a++)
            for (int sg = -1; sg <= 1; sg += 2) {
                double x[3] = {0, 0, 0};
                x[a] = sg;
                put(v, w, &k, x[0], x[1], x[2], w1);
            }
        for (int a = 0; a < 3; a++)
            for (int i = 0; i < 4; i++) {
                double x[3];
                x[a] = 0, x[(a + 1) % 3] = i & 1 ? 1 : -1, x[(a + 2) % 3] = i & 2 ? 1 : -1;
                put(v, w, &k, x[0], x[1], x[2], w2);
            }
        for (int i = 0; i < 8; i++)
            put(v, w, &k, i & 1 ? 1 : -1, i & 2 ? 1 : -1, i & 4 ? 1 : -1, w3);
        for (int a = 0; a < 3; a++) /* the coordinate that is m */
            for (int i = 0; i < 8; i++) {
                double x[3];
                x[a] = (i & 4 ? 3.0 : -3.0);
                x[(a + 1) % 3] = i & 1 ? 1.0 : -1.0;
                x[(a + 2) % 3] = i & 2 ? 1.0 : -1.0;
                put(v, w, &k, x[0], x[1], x[2], w4);
            }
    } else {
        const double golden = OBJR_PI * (3.0 - sqrt(5.0));
        const size_t half = K / 2;
        for (size_t i = 0; i < half; i++) {
            double y = 1.0 - (2.0 * (double)i + 1.0) / (double)K; /* > 0: the left half */
            double r = sqrt(fmax(0.0, 1.0 - y * y)), phi = golden * (double)i;
            put(v, w, &k, r * cos(phi), y, r * sin(phi), 1.0);
            put(v, w, &k, r * cos(phi), -y, r * sin(phi), 1.0);
        }
        if (k < K) /* odd count: one more on the median plane */
            put(v, w, &k, 1.0, 0.0, 0.0, 1.0);
    }
    return k;
}

void objr__binaural_hoa_destroy(objr__binaural_hoa *h) {
    if (!h)
        return;
    objr__freep(&h->az_deg);
    objr__freep(&h->el_deg);
    objr__freep(&h->hf);
    objr__freep(&h->lo);
    objr__freep(&h->d_hf);
    objr__freep(&h->d_lf);
    objr__freep(&h->orders);
    objr__freep(&h->degrees);
    objr__freep(&h->norms);
    objr__freep(&h->st);
    objr__freep(&h->xs_lp);
    objr__freep(&h->xs_ap);
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

/* Check the channels' (order, degree, normalisation) and find the highest order. */
static objr_status check_channels(const int *orders, const int *degrees, const int *norms,
                                  size_t n_channels, int *max_order) {
    *max_order = 0;
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
        if (n > *max_order)
            *max_order = n;
    }
    return OBJR_OK;
}

/* The decoder design's temporary matrices (K virtual loudspeakers, C channels). */
typedef struct design {
    double *Y;     /* K x C: N3D harmonics sampled at the virtual loudspeakers */
    double *G, *V; /* C x C: Gram matrix Y^T W Y (its eigenvalues on the diagonal), eigenvectors */
    double *Mh, *Mi;  /* C x C: G^-1/2, G^-1 */
    double *wq;       /* K: quadrature weights */
    double (*xyz)[3]; /* K: virtual loudspeaker directions */
} design;

static void design_free(design *w) {
    objr__freep(&w->Y);
    objr__freep(&w->G);
    objr__freep(&w->V);
    objr__freep(&w->Mh);
    objr__freep(&w->Mi);
    objr__freep(&w->wq);
    objr__freep(&w->xyz);
}

/* The handle's arrays and the design's matrices; returns 0 on out of memory. */
static int alloc_arrays(objr__binaural_hoa *h, design *w) {
    size_t C = h->n_ch, K = h->n_virt, n_kc, n_cc, n_xs;
    if (!objr__mul_size(K, C, &n_kc) || !objr__mul_size(C, C, &n_cc) ||
        !objr__mul_size(C, h->max_frames, &n_xs))
        return 0;
    h->az_deg = objr__calloc(K, sizeof(double));
    h->el_deg = objr__calloc(K, sizeof(double));
    h->hf = objr__calloc(n_kc, sizeof(float));
    h->lo = objr__calloc(n_kc, sizeof(float));
    h->d_hf = objr__calloc(n_kc, sizeof(double));
    h->d_lf = objr__calloc(n_kc, sizeof(double));
    h->orders = objr__calloc(C, sizeof(int));
    h->degrees = objr__calloc(C, sizeof(int));
    h->norms = objr__calloc(C, sizeof(int));
    h->st = objr__calloc(C, sizeof *h->st);
    h->xs_lp = objr__calloc(n_xs, sizeof(float));
    h->xs_ap = objr__calloc(n_xs, sizeof(float));
    w->Y = objr__calloc(n_kc, sizeof(double));
    w->G = objr__calloc(n_cc, sizeof(double));
    w->V = objr__calloc(n_cc, sizeof(double));
    w->Mh = objr__calloc(n_cc, sizeof(double));
    w->Mi = objr__calloc(n_cc, sizeof(double));
    w->wq = objr__calloc(K, sizeof(double));
    w->xyz = objr__calloc(K, sizeof *w->xyz);
    return h->az_deg && h->el_deg && h->hf && h->lo && h->st && h->xs_lp && h->xs_ap && w->Y &&
           h->d_hf && h->d_lf && h->orders && h->degrees && h->norms && w->G && w->V && w->Mh &&
           w->Mi && w->wq && w->xyz;
}

/* The virtual loudspeakers' directions (in degrees) and the harmonics sampled there (Y). */
static void sample_harmonics(objr__binaural_hoa *h, design *w) {
    size_t C = h->n_ch, K = h->n_virt;
    for (size_t k = 0; k < K; k++) {
        double az = atan2(w->xyz[k][1], w->xyz[k][0]);
        double el = asin(fmax(-1.0, fmin(1.0, w->xyz[k][2])));
        h->az_deg[k] = az * 180.0 / OBJR_PI;
        h->el_deg[k] = el * 180.0 / OBJR_PI;
        for (size_t c = 0; c < C; c++)
            w->Y[k * C + c] =
                objr__hoa_sph_harm(h->orders[c], h->degrees[c], az, el, OBJR__HOA_N3D);
    }
}

/* Mh = G^-1/2 and Mi = G^-1 of the Gram matrix G = Y^T W Y (N3D: K I for an exact quadrature
 * of mean weight 1); OBJR_ERR_INTERNAL when G is too ill-conditioned. */
static objr_status gram_inverses(design *w, size_t C, size_t K) {
    double *G = w->G, *V = w->V;
    for (size_t i = 0; i < C; i++)
        for (size_t j = i; j < C; j++) {
            double sum = 0.0;
            for (size_t k = 0; k < K; k++)
                sum += w->wq[k] * w->Y[k * C + i] * w->Y[k * C + j];
            G[i * C + j] = G[j * C + i] = sum;
        }
    jacobi_eig(G, V, C);
    double lmax = 0.0, lmin = INFINITY;
    for (size_t i = 0; i < C; i++) {
        lmax = fmax(lmax, G[i * C + i]);
        lmin = fmin(lmin, G[i * C + i]);
    }
    if (!(lmin > MIN_EIGEN_RATIO * lmax))
        return OBJR_ERR_INTERNAL;
    for (size_t i = 0; i < C; i++)
        for (size_t j = 0; j < C; j++) {
            double a = 0.0, b = 0.0;
            for (size_t l = 0; l < C; l++) {
                double vv = V[i * C + l] * V[j * C + l], lam = G[l * C + l];
                a += vv / sqrt(lam);
                b += vv / lam;
            }
            w->Mh[i * C + j] = a;
            w->Mi[i * C + j] = b;
        }
    return OBJR_OK;
}

/* High band: max-rE weights a_n = P_n(cos(137.9 deg / (N + 1.51))) on the
 * energy-preserving decoder (EPAD) D = W^1/2 Y G^-1/2: D^T D = I, so a plane wave's
 * virtual loudspeaker energy is sum_c (a_n y_c)^2, the same for every direction (N3D
 * addition theorem), scaled to a mean of 1 over the sphere (each N3D harmonic has unit
 * mean square).
 * Low band: basic mode-matching D = W Y G^-1, i.e. Y^T D = I: the virtual loudspeakers
 * rebuild the plane wave's harmonics, so their signals (which add coherently at low
 * frequencies) sum to its pressure and their velocity vector is its direction. */
static void make_decoders(objr__binaural_hoa *h, const design *w, int max_order) {
    size_t C = h->n_ch, K = h->n_virt;
    const int *orders = h->orders;
    double a_n[OBJR__HOA_MAX_ORDER + 1];
    double re = cos(137.9 / (max_order + 1.51) * OBJR_PI / 180.0);
    for (int n = 0; n <= max_order; n++)
        a_n[n] = legendre(n, re);
    double e_hf = 0.0;
    for (size_t c = 0; c < C; c++)
        e_hf += a_n[orders[c]] * a_n[orders[c]];
    const double hf_scale = 1.0 / sqrt(e_hf);
    for (size_t c = 0; c < C; c++) {
        /* a channel written with normalisation X is the N3D one times X/N3D: undo it. The
         * sampled columns give the ratio exactly (they are proportional). */
        double sxn = 0.0, sxx = 0.0;
        for (size_t k = 0; k < K; k++) {
            double yx = objr__hoa_sph_harm(orders[c], h->degrees[c], h->az_deg[k] * OBJR_PI / 180.0,
                                           h->el_deg[k] * OBJR_PI / 180.0, h->norms[c]);
            sxn += yx * w->Y[k * C + c];
            sxx += yx * yx;
        }
        double to_n3d = sxx > 0.0 ? sxn / sxx : 0.0;
        for (size_t k = 0; k < K; k++) {
            double dh = 0.0, dl = 0.0;
            for (size_t i = 0; i < C; i++) {
                dh += w->Y[k * C + i] * w->Mh[i * C + c];
                dl += w->Y[k * C + i] * w->Mi[i * C + c];
            }
            dh *= sqrt(w->wq[k]) * hf_scale * a_n[orders[c]] * to_n3d;
            dl *= w->wq[k] * to_n3d;
            h->d_hf[k * C + c] = dh;
            h->d_lf[k * C + c] = dl;
        }
    }
}

objr_status objr__binaural_hoa_create(const int *orders, const int *degrees, const int *norms,
                                      size_t n_channels, double sample_rate_hz,
                                      objr__binaural_hoa **out) {
    *out = NULL;
    if (!orders || !degrees || !norms || n_channels == 0 ||
        !(sample_rate_hz >= 8000.0 && sample_rate_hz <= 1e6))
        return OBJR_ERR_INVALID_ARG;
    int max_order;
    objr_status st = check_channels(orders, degrees, norms, n_channels, &max_order);
    if (st != OBJR_OK)
        return st;
    const size_t C = n_channels, K = objr__binaural_hoa_n_virtual_for_order(max_order);
    if (C > K)
        return OBJR_ERR_INVALID_ARG; /* unreachable: distinct channels <= (N+1)^2 < K */
    objr__binaural_hoa *h = objr__calloc(1, sizeof *h);
    design w = {0};
    st = OBJR_ERR_NOMEM;
    if (!h)
        goto fail;
    h->n_ch = C, h->n_virt = K, h->max_frames = SCRATCH_FRAMES;
    if (!alloc_arrays(h, &w))
        goto fail;
    memcpy(h->orders, orders, C * sizeof(int));
    memcpy(h->degrees, degrees, C * sizeof(int));
    memcpy(h->norms, norms, C * sizeof(int));
    st = OBJR_ERR_INTERNAL;
    if (make_grid(max_order, w.xyz, w.wq) != K)
        goto fail;
    sample_harmonics(h, &w);
    if ((st = gram_inverses(&w, C, K)) != OBJR_OK)
        goto fail;
    make_decoders(h, &w, max_order);
    objr__binaural_hoa_set_high_gain(h, 1.0);
    double per_order_hz = SPEED_OF_SOUND_M_S / (2.0 * OBJR_PI * HEAD_RADIUS_M);
    h->crossover_hz = fmin(per_order_hz * (max_order > 1 ? max_order : 1),
                           MAX_CROSSOVER_FRACTION * sample_rate_hz);
    design_filters(h, h->crossover_hz, sample_rate_hz);
    h->sample_rate_hz = sample_rate_hz;
    st = OBJR_OK;
    *out = h;
    h = NULL;
fail:
    objr__binaural_hoa_destroy(h);
    design_free(&w);
    return st;
}

void objr__binaural_hoa_set_high_gain(objr__binaural_hoa *h, double gain) {
    h->high_gain = gain;
    for (size_t i = 0; i < h->n_ch * h->n_virt; i++) {
        h->hf[i] = (float)(gain * h->d_hf[i]);
        h->lo[i] = (float)(h->d_lf[i] - gain * h->d_hf[i]);
    }
}

double objr__binaural_hoa_high_gain(const objr__binaural_hoa *h) {
    return h->high_gain;
}

void objr__binaural_hoa_plane_wave(const objr__binaural_hoa *h, double az_deg, double el_deg,
                                   double *s_lf, double *s_hf) {
    const size_t C = h->n_ch, K = h->n_virt;
    for (size_t k = 0; k < K; k++)
        s_lf[k] = s_hf[k] = 0.0;
    for (size_t c = 0; c < C; c++) {
        double y = objr__hoa_sph_harm(h->orders[c], h->degrees[c], az_deg * OBJR_PI / 180.0,
                                      el_deg * OBJR_PI / 180.0, h->norms[c]);
        for (size_t k = 0; k < K; k++) {
            s_lf[k] += h->d_lf[k * C + c] * y;
            s_hf[k] += h->high_gain * h->d_hf[k * C + c] * y;
        }
    }
}

void objr__binaural_hoa_split(const objr__binaural_hoa *h, const float *x, float *lo, float *hi,
                              size_t n_frames) {
    double z1[2] = {0, 0}, z2[2] = {0, 0}, za[2] = {0, 0};
    for (size_t j = 0; j < n_frames; j++) {
        double v = x[j];
        double l = bq(&h->lp, z2, bq(&h->lp, z1, v));
        double a = bq(&h->ap, za, v);
        lo[j] = (float)l;
        hi[j] = (float)(a - l);
    }
}

double objr__binaural_hoa_eq_center_hz(size_t band) {
    return OBJR__BINAURAL_HOA_EQ_LOW_HZ * pow(2.0, (double)band);
}

/* RBJ peaking section (gain_db at fc, octave wide) or, with peaking 0, the constant-peak
 * band-pass used to measure the band */
static biquad eq_section(double fc_hz, double fs_hz, double gain_db, int peaking) {
    double w0 = 2.0 * OBJR_PI * fc_hz / fs_hz, cw = cos(w0), al = sin(w0) / (2.0 * EQ_Q);
    double A = pow(10.0, gain_db / 40.0);
    biquad f;
    double a0 = peaking ? 1.0 + al / A : 1.0 + al;
    f.b0 = (peaking ? 1.0 + al * A : al) / a0;
    f.b1 = (peaking ? -2.0 * cw : 0.0) / a0;
    f.b2 = (peaking ? 1.0 - al * A : -al) / a0;
    f.a1 = -2.0 * cw / a0;
    f.a2 = (peaking ? 1.0 - al / A : 1.0 - al) / a0;
    return f;
}

static size_t eq_bands(double fs_hz) {
    size_t n = 0;
    while (n < OBJR__BINAURAL_HOA_EQ_BANDS &&
           objr__binaural_hoa_eq_center_hz(n) < EQ_MAX_FRACTION * fs_hz)
        n++;
    return n;
}

size_t objr__binaural_hoa_eq_n_bands(double sample_rate_hz) {
    return eq_bands(sample_rate_hz);
}

void objr__binaural_hoa_eq_filter(double sample_rate_hz, const double *gain_db, const float *x,
                                  float *y, size_t n_frames) {
    const size_t nb = eq_bands(sample_rate_hz);
    biquad f[OBJR__BINAURAL_HOA_EQ_BANDS];
    double z[OBJR__BINAURAL_HOA_EQ_BANDS][2];
    memset(z, 0, sizeof z);
    for (size_t b = 0; b < nb; b++)
        f[b] = eq_section(objr__binaural_hoa_eq_center_hz(b), sample_rate_hz, gain_db[b], 1);
    for (size_t j = 0; j < n_frames; j++) {
        double v = x[j];
        for (size_t b = 0; b < nb; b++)
            v = bq(&f[b], z[b], v);
        y[j] = (float)v;
    }
}

double objr__binaural_hoa_band_energy(double sample_rate_hz, size_t band, const float *x,
                                      size_t n_frames) {
    biquad f = eq_section(objr__binaural_hoa_eq_center_hz(band), sample_rate_hz, 0.0, 0);
    double z1[2] = {0, 0}, z2[2] = {0, 0}, e = 0.0;
    for (size_t j = 0; j < n_frames; j++) {
        double v = bq(&f, z2, bq(&f, z1, x[j]));
        e += v * v;
    }
    return e;
}

void objr__binaural_hoa_set_eq(objr__binaural_hoa *h, const double *gain_db) {
    const size_t nb = eq_bands(h->sample_rate_hz);
    h->n_eq = 0;
    for (size_t b = 0; b < nb; b++)
        if (gain_db[b] != 0.0)
            h->eq[h->n_eq++] =
                eq_section(objr__binaural_hoa_eq_center_hz(b), h->sample_rate_hz, gain_db[b], 1);
}

static void process_part(objr__binaural_hoa *h, const float *const *in, size_t off,
                         const double *g_from, const double *g_to, size_t ramp_pos,
                         size_t ramp_frames, float *const *out, size_t n_frames) {
    const size_t C = h->n_ch, K = h->n_virt, F = h->max_frames;
    const double inv = ramp_frames ? 1.0 / (double)ramp_frames : 1.0;
    for (size_t c = 0; c < C; c++) {
        chan_state *z = &h->st[c];
        const float *x = in && in[c] ? in[c] + off : NULL;
        float *yl = h->xs_lp + c * F, *ya = h->xs_ap + c * F;
        const double g0 = g_from[c], dg = g_to[c] - g_from[c];
        for (size_t j = 0; j < n_frames; j++) {
            double v = x ? (double)x[j] : 0.0;
            if (!isfinite(v)) /* NaN/Inf would stay in the filters' state for good */
                v = 0.0;
            for (size_t b = 0; b < h->n_eq; b++)
                v = bq(&h->eq[b], z->eq[b], v);
            double lo = bq(&h->lp, z->lp2, bq(&h->lp, z->lp1, v));
            double al = bq(&h->ap, z->ap, v);
            double g = g0 + dg * (double)(ramp_pos + j + 1) * inv;
            yl[j] = (float)(g * lo);
            ya[j] = (float)(g * al);
        }
    }
    if (!out)
        return;
    for (size_t k = 0; k < K; k++) {
        float *o = out[k] + off;
        const float *dh = h->hf + k * C, *dl = h->lo + k * C;
        memset(o, 0, n_frames * sizeof *o);
        for (size_t c = 0; c < C; c++) {
            const float a = dh[c], b = dl[c];
            const float *ya = h->xs_ap + c * F, *yl = h->xs_lp + c * F;
            for (size_t j = 0; j < n_frames; j++)
                o[j] += a * ya[j] + b * yl[j];
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
