/* SPDX-License-Identifier: BSD-3-Clause */
/* HOA decoder design following ITU-R BS.2127-1 §9 (AllRAD, Zotter & Frank 2012): virtual
 * speakers spread evenly over the sphere are panned with the point-source panner; the HOA
 * signal is sampled at them (N3D sampling decoder), the result re-expressed for the input
 * normalisation (SN3D, N3D, FuMa) and scaled so that the mean power of a plane wave over the
 * sphere is 1. */
#include "renderers/loudspeaker/hoa.h"

#include <math.h>
#include <string.h>

struct objr__hoa_decoder {
    size_t n_out;
    size_t n_points;
    double *az, *el; /* virtual speaker directions, radians, ADM convention */
    double *g;       /* n_points x n_out panning gains */
};

static double factorial(int n) {
    double f = 1.0;
    for (int i = 2; i <= n; i++)
        f *= (double)i;
    return f;
}

static double norm_factor(int n, int abs_m, int normalization) {
    double sn3d = sqrt(factorial(n - abs_m) / factorial(n + abs_m));
    if (normalization == OBJR__HOA_N3D)
        return sqrt(2.0 * n + 1.0) * sn3d;
    if (normalization == OBJR__HOA_FUMA) {
        /* FuMa relative to SN3D, defined up to order 3 (the callers check) */
        static const double conv[4][4] = {
            {0.70710678118654752, 0, 0, 0},
            {1.0, 1.0, 0, 0},
            {1.0, 1.15470053837925153, 1.15470053837925153, 0},
            {1.0, 1.18585412256843680, 1.34164078649987381, 1.26491106406735174},
        };
        return sn3d * ((n <= 3) ? conv[n][abs_m] : 1.0);
    }
    return sn3d;
}

/* Associated Legendre function P_n^m(x), m >= 0, without the Condon-Shortley phase. */
static double legendre_p(int n, int m, double x) {
    double pmm = 1.0;
    double s = sqrt(fmax(0.0, (1.0 - x) * (1.0 + x)));
    for (int i = 1; i <= m; i++)
        pmm *= (2.0 * i - 1.0) * s;
    if (n == m)
        return pmm;
    double pm1 = x * (2.0 * m + 1.0) * pmm;
    if (n == m + 1)
        return pm1;
    double pn = 0.0;
    for (int k = m + 2; k <= n; k++) {
        pn = ((2.0 * k - 1.0) * x * pm1 - (k + m - 1.0) * pmm) / (double)(k - m);
        pmm = pm1;
        pm1 = pn;
    }
    return pn;
}

double objr__hoa_sph_harm(int n, int m, double az_rad, double el_rad, int normalization) {
    int am = m < 0 ? -m : m;
    double scale = 1.0;
    if (m > 0)
        scale = sqrt(2.0) * cos(m * az_rad);
    else if (m < 0)
        scale = sqrt(2.0) * sin(am * az_rad);
    return norm_factor(n, am, normalization) * legendre_p(n, am, sin(el_rad)) * scale;
}

void objr__hoa_destroy(objr__hoa_decoder *h) {
    if (!h)
        return;
    objr__freep(&h->az);
    objr__freep(&h->el);
    objr__freep(&h->g);
    objr__freep(&h);
}

size_t objr__hoa_n_outputs(const objr__hoa_decoder *h) {
    return h ? h->n_out : 0;
}

objr_status objr__hoa_create(const objr__psp *psp, objr__hoa_decoder **out) {
    if (!psp || !out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    objr__hoa_decoder *h = objr__calloc(1, sizeof(*h));
    if (!h)
        return OBJR_ERR_NOMEM;
    h->n_out = objr__psp_n_outputs(psp);
    h->n_points = OBJR__HOA_N_VIRTUAL;
    size_t n_g;
    if (!objr__mul_size(h->n_points, h->n_out, &n_g))
        goto nomem;
    h->az = objr__calloc(h->n_points, sizeof(double));
    h->el = objr__calloc(h->n_points, sizeof(double));
    h->g = objr__calloc(n_g ? n_g : 1, sizeof(double));
    if (!h->az || !h->el || !h->g)
        goto nomem;
    /* Fibonacci (golden-angle) spiral: a deterministic near-uniform sampling standing in for
     * the spherical design of the reference implementation; with 5200 points the sampled
     * means differ from the exact integrals far below the 0.1 dB level. */
    const double golden = OBJR_PI * (3.0 - sqrt(5.0));
    for (size_t i = 0; i < h->n_points; i++) {
        double z = 1.0 - (2.0 * (double)i + 1.0) / (double)h->n_points;
        double phi = golden * (double)i;
        double r = sqrt(fmax(0.0, 1.0 - z * z));
        double v[3] = {r * cos(phi), r * sin(phi), z};
        h->az[i] = -atan2(v[0], v[1]);
        h->el[i] = atan2(v[2], hypot(v[0], v[1]));
        objr__psp_gains(psp, v, &h->g[i * h->n_out]);
    }
    *out = h;
    return OBJR_OK;
nomem:
    objr__hoa_destroy(h);
    return OBJR_ERR_NOMEM;
}

/* Legendre polynomial P_n(x) */
static double legendre0(int n, double x) {
    return legendre_p(n, 0, x);
}

objr_status objr__hoa_design(const objr__hoa_decoder *h, const int *orders, const int *degrees,
                             size_t n_channels, int normalization, int max_re, double *matrix) {
    if (!h || !orders || !degrees || !matrix || n_channels == 0)
        return OBJR_ERR_INVALID_ARG;
    if (normalization != OBJR__HOA_SN3D && normalization != OBJR__HOA_N3D &&
        normalization != OBJR__HOA_FUMA)
        return OBJR_ERR_INVALID_ARG;
    int max_order = 0;
    for (size_t c = 0; c < n_channels; c++) {
        int n = orders[c], m = degrees[c];
        if (n < 0 || m < -n || m > n)
            return OBJR_ERR_INVALID_ARG;
        if (n > OBJR__HOA_MAX_ORDER || (normalization == OBJR__HOA_FUMA && n > 3))
            return OBJR_ERR_UNSUPPORTED;
        if (n > max_order)
            max_order = n;
    }
    const size_t L = h->n_out, K = h->n_points, C = n_channels;
    size_t n_y;
    if (!objr__mul_size(K, C, &n_y))
        return OBJR_ERR_NOMEM;
    double *Y = objr__malloc(n_y * sizeof(double)); /* K x C, N3D */
    double *DK = objr__malloc((L ? L : 1) * sizeof(double));
    if (!Y || !DK) {
        objr__freep(&Y);
        objr__freep(&DK);
        return OBJR_ERR_NOMEM;
    }
    for (size_t k = 0; k < K; k++)
        for (size_t c = 0; c < C; c++)
            Y[k * C + c] =
                objr__hoa_sph_harm(orders[c], degrees[c], h->az[k], h->el[k], OBJR__HOA_N3D);
    /* D = G_virt . Y_virt^T / K (sampling decoder in N3D), then re-expressed for the input
     * normalisation: a signal encoded with norm X is the N3D one scaled by X/N3D. */
    memset(matrix, 0, L * C * sizeof(double));
    for (size_t k = 0; k < K; k++) {
        const double *g = &h->g[k * L];
        for (size_t l = 0; l < L; l++) {
            if (g[l] == 0.0)
                continue;
            for (size_t c = 0; c < C; c++)
                matrix[l * C + c] += g[l] * Y[k * C + c];
        }
    }
    double a_n[OBJR__HOA_MAX_ORDER + 1];
    for (int n = 0; n <= max_order; n++)
        a_n[n] = 1.0;
    if (max_re) {
        double rE = cos(137.9 / (max_order + 1.51) * OBJR_PI / 180.0);
        for (int n = 0; n <= max_order; n++)
            a_n[n] = legendre0(n, rE);
    }
    for (size_t c = 0; c < C; c++) {
        int n = orders[c], am = degrees[c] < 0 ? -degrees[c] : degrees[c];
        double f = norm_factor(n, am, OBJR__HOA_N3D) / norm_factor(n, am, normalization) /
                   (double)K * a_n[n];
        for (size_t l = 0; l < L; l++)
            matrix[l * C + c] *= f;
    }
    /* normalise the mean (over the sphere) power of a plane wave encoded with the input
     * normalisation to 1 */
    double total = 0.0;
    for (size_t k = 0; k < K; k++) {
        memset(DK, 0, L * sizeof(double));
        for (size_t c = 0; c < C; c++) {
            int n = orders[c], am = degrees[c] < 0 ? -degrees[c] : degrees[c];
            double y = Y[k * C + c] * norm_factor(n, am, normalization) /
                       norm_factor(n, am, OBJR__HOA_N3D);
            for (size_t l = 0; l < L; l++)
                DK[l] += matrix[l * C + c] * y;
        }
        for (size_t l = 0; l < L; l++)
            total += DK[l] * DK[l];
    }
    double scale = total > 0.0 ? 1.0 / sqrt(total / (double)K) : 0.0;
    for (size_t i = 0; i < L * C; i++)
        matrix[i] *= scale;
    objr__freep(&Y);
    objr__freep(&DK);
    return OBJR_OK;
}
