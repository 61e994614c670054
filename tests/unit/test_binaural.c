/* SPDX-License-Identifier: BSD-3-Clause */
/* The binaural renderer measured against the SOFA file itself (read independently through
 * libmysofa): interaural time and level differences at and between measured directions,
 * left/right, front/back and up/down, energy against a direct convolution, click-free motion
 * and level through filter changes, beds, LFE, extent, diffuse, room, and hostile SOFA input. */
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fftw3.h>
#include <mysofa.h>

#include "objrender/objr_binaural.h"
#include "renderers/binaural/hrtf.h"
#include "renderers/binaural/level.h"
#include "src/core/core.h"

#define SOFA_PATH "/usr/share/libmysofa/default.sofa"
#define FS 44100.0
#define NSIG 22000
#define A0 4096  /* analysis start (after the filters' warm-up) */
#define NA 16384 /* analysis length */
#define ITD_MAX 48

static int have_sofa(void) {
    FILE *f = fopen(SOFA_PATH, "rb");
    if (!f)
        return 0;
    fclose(f);
    return 1;
}

#define REQUIRE_SOFA()                                                                             \
    do {                                                                                           \
        if (!have_sofa()) {                                                                        \
            fprintf(stderr, "skipped: %s not installed\n", SOFA_PATH);                             \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* ---- reference: the raw SOFA set through libmysofa ---- */
static struct MYSOFA_HRTF *ref_sofa(void) {
    int err = 0;
    struct MYSOFA_HRTF *s = mysofa_load(SOFA_PATH, &err);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(err, MYSOFA_OK);
    return s;
}

/* measurement index nearest to (az, el) in the reference set (spherical coordinates) */
static size_t ref_find(const struct MYSOFA_HRTF *s, double az, double el, double *dist_deg) {
    double d[3], best = -2;
    size_t bi = 0;
    objr__hrtf_dir_from_polar(az, el, d);
    for (size_t m = 0; m < s->M; m++) {
        double v[3];
        objr__hrtf_dir_from_polar(s->SourcePosition.values[3 * m],
                                  s->SourcePosition.values[3 * m + 1], v);
        double c = d[0] * v[0] + d[1] * v[1] + d[2] * v[2];
        if (c > best)
            best = c, bi = m;
    }
    if (dist_deg)
        *dist_deg = acos(fmin(1.0, best)) * 180.0 / OBJR_PI;
    return bi;
}

static void conv(const float *x, size_t n, const float *h, size_t nh, double g, float *y) {
    for (size_t i = 0; i < n; i++) {
        double a = 0;
        size_t kmax = i < nh ? i + 1 : nh;
        for (size_t k = 0; k < kmax; k++)
            a += (double)h[k] * x[i - k];
        y[i] = (float)(a * g);
    }
}

static void ref_render(const struct MYSOFA_HRTF *s, size_t m, double g, const float *x, size_t n,
                       float *l, float *r) {
    conv(x, n, s->DataIR.values + (m * 2) * s->N, s->N, g, l);
    conv(x, n, s->DataIR.values + (m * 2 + 1) * s->N, s->N, g, r);
}

/* ---- the renderer ---- */
typedef struct rsrc {
    double az, el;
} rsrc;

/* eq: the diffuse-field equaliser (the default); the tests comparing against the SOFA file's
 * own responses render without it */
static objr_binaural *make_eq(double fs, objr_binaural_mode mode, size_t ns, int eq) {
    objr_binaural_config c = objr_binaural_config_default();
    c.diffuse_eq = eq;
    c.sample_rate_hz = fs;
    c.default_mode = mode;
    c.max_sources = ns;
    objr_binaural *b = NULL;
    objr_diag d;
    memset(&d, 0, sizeof d);
    objr_status st = objr_binaural_create(&c, &d, &b);
    if (st != OBJR_OK)
        fprintf(stderr, "create: %s\n", d.message);
    ck_assert_int_eq(st, OBJR_OK);
    return b;
}

static objr_binaural *make(double fs, objr_binaural_mode mode, size_t ns) {
    return make_eq(fs, mode, ns, 0);
}

/* render one static source; output aligned (latency removed) */
static void render_static(objr_binaural *b, double az, double el, const float *x, size_t n,
                          float *l, float *r) {
    objr_binaural_reset(b);
    objr_binaural_source s = objr_binaural_source_default();
    s.azimuth_deg = az, s.elevation_deg = el;
    ck_assert_int_eq(objr_binaural_set_source(b, 0, &s), OBJR_OK);
    size_t lat = objr_binaural_latency_frames(b), tot = n + lat;
    float *in = calloc(tot, sizeof *in), *ol = calloc(tot, sizeof *ol), *orr = calloc(tot, 4);
    memcpy(in, x, n * sizeof *x);
    const float *ins[1] = {in};
    ck_assert_int_eq(objr_binaural_process(b, ins, ol, orr, tot), OBJR_OK);
    memcpy(l, ol + lat, n * sizeof *l);
    memcpy(r, orr + lat, n * sizeof *r);
    free(in), free(ol), free(orr);
}

/* ---- measures ---- */
static void lowpass(float *x, size_t n, double fc, double fs) {
    double w = 2 * OBJR_PI * fc / fs, cw = cos(w), al = sin(w) / (2 * sqrt(0.5)), a0 = 1 + al;
    double b0 = (1 - cw) / 2 / a0, b1 = (1 - cw) / a0, a1 = -2 * cw / a0, a2 = (1 - al) / a0;
    for (int pass = 0; pass < 2; pass++) {
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        for (size_t i = 0; i < n; i++) {
            double y = b0 * x[i] + b1 * x1 + b0 * x2 - a1 * y1 - a2 * y2;
            x2 = x1, x1 = x[i], y2 = y1, y1 = y;
            x[i] = (float)y;
        }
    }
}

static void highpass(float *x, size_t n, double fc, double fs) {
    double w = 2 * OBJR_PI * fc / fs, cw = cos(w), al = sin(w) / (2 * sqrt(0.5)), a0 = 1 + al;
    double b0 = (1 + cw) / 2 / a0, b1 = -(1 + cw) / a0, a1 = -2 * cw / a0, a2 = (1 - al) / a0;
    for (int pass = 0; pass < 2; pass++) {
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        for (size_t i = 0; i < n; i++) {
            double y = b0 * x[i] + b1 * x1 + b0 * x2 - a1 * y1 - a2 * y2;
            x2 = x1, x1 = x[i], y2 = y1, y1 = y;
            x[i] = (float)y;
        }
    }
}

/* ITD (samples, positive = left ear leads) by cross-correlation of 1.5 kHz low-passed ears */
static double itd(const float *l, const float *r, double fs) {
    float *a = malloc(NA * sizeof *a), *c = malloc(NA * sizeof *c);
    memcpy(a, l + A0, NA * sizeof *a);
    memcpy(c, r + A0, NA * sizeof *c);
    lowpass(a, NA, 1500.0, fs);
    lowpass(c, NA, 1500.0, fs);
    double best = -HUGE_VAL, xc[2 * ITD_MAX + 1];
    int bl = 0;
    for (int lag = -ITD_MAX; lag <= ITD_MAX; lag++) {
        double s = 0;
        for (size_t i = ITD_MAX; i < NA - ITD_MAX; i++)
            s += (double)a[i] * c[(size_t)((long)i + lag)];
        xc[lag + ITD_MAX] = s;
        if (s > best)
            best = s, bl = lag;
    }
    free(a), free(c);
    double frac = 0;
    if (bl > -ITD_MAX && bl < ITD_MAX) {
        double ym = xc[bl + ITD_MAX - 1], y0 = xc[bl + ITD_MAX], yp = xc[bl + ITD_MAX + 1];
        double den = ym - 2 * y0 + yp;
        if (den < 0)
            frac = 0.5 * (ym - yp) / den;
    }
    return bl + frac; /* right lags left by this much when positive */
}

#define N_BANDS 6
static const double band_hz[N_BANDS] = {250, 500, 1000, 2000, 4000, 8000};

static void band_energy(const float *x, double fs, double *e) {
    float *in = fftwf_alloc_real(NA);
    fftwf_complex *X = fftwf_alloc_complex(NA / 2 + 1);
    fftwf_plan p = fftwf_plan_dft_r2c_1d(NA, in, X, FFTW_ESTIMATE);
    memcpy(in, x + A0, NA * sizeof *in);
    fftwf_execute(p);
    for (int b = 0; b < N_BANDS; b++) {
        double lo = band_hz[b] / sqrt(2.0), hi = band_hz[b] * sqrt(2.0), s = 0;
        for (size_t k = 1; k < NA / 2; k++) {
            double f = (double)k * fs / NA;
            if (f >= lo && f < hi)
                s += (double)X[k][0] * X[k][0] + (double)X[k][1] * X[k][1];
        }
        e[b] = s;
    }
    fftwf_destroy_plan(p);
    fftwf_free(in);
    fftwf_free(X);
}

static void ild(const float *l, const float *r, double fs, double *out) {
    double el[N_BANDS], er[N_BANDS];
    band_energy(l, fs, el);
    band_energy(r, fs, er);
    for (int b = 0; b < N_BANDS; b++)
        out[b] = 10 * log10(el[b] / er[b]);
}

static double energy(const float *x, size_t a, size_t n) {
    double s = 0;
    for (size_t i = a; i < a + n; i++)
        s += (double)x[i] * x[i];
    return s;
}

static float *noise(size_t n) {
    objr_test_rng g;
    objr_test_rng_init(&g);
    float *x = malloc(n * sizeof *x);
    objr_test_noise(&g, x, n, 0.5);
    return x;
}

/* the gain from the SOFA file's responses to renderer b's output: the set's normalisation at
 * rate fs and b's level calibration (renderers/binaural/level.h) */
static double norm_gain(const objr_binaural *b, double fs) {
    objr__hrtf *h = NULL;
    ck_assert_int_eq(objr__hrtf_load_file(SOFA_PATH, fs, NULL, &h), OBJR_OK);
    double cal, lfe;
    objr__binaural_calibration(b, &cal, &lfe);
    double g = h->norm_gain * cal;
    objr__hrtf_destroy(h);
    return g;
}

/* ---- tests ---- */

START_TEST(hrtf_set_loads_and_triangulates) {
    REQUIRE_SOFA();
    objr__hrtf *h = NULL;
    ck_assert_int_eq(objr__hrtf_load_file(SOFA_PATH, FS, NULL, &h), OBJR_OK);
    ck_assert_uint_eq(h->n_meas, 710);
    /* a triangulated sphere with V vertices has 2V - 4 triangles, each with 3 neighbours */
    ck_assert_uint_eq(h->n_tri, 2 * h->n_meas - 4);
    for (size_t t = 0; t < 3 * h->n_tri; t++)
        ck_assert_int_ge(h->adj[t], 0);
    /* every measured direction interpolates to itself alone */
    for (size_t m = 0; m < h->n_meas; m++) {
        double d[3] = {h->dirs[3 * m], h->dirs[3 * m + 1], h->dirs[3 * m + 2]}, w[3];
        int idx[3];
        objr__hrtf_locate(h, d, -1, idx, w);
        double wm = 0;
        for (int k = 0; k < 3; k++)
            if ((size_t)idx[k] == m)
                wm = w[k];
        ck_assert_double_eq_tol(wm, 1.0, 1e-6);
    }
    /* weights are barycentric: non-negative, sum 1, reproduce the direction's ray */
    objr_test_rng g;
    objr_test_rng_init(&g);
    for (int i = 0; i < 2000; i++) {
        double d[3] = {objr_test_rng_range(&g, -1, 1), objr_test_rng_range(&g, -1, 1),
                       objr_test_rng_range(&g, -1, 1)},
               w[3];
        int idx[3];
        objr__hrtf_locate(h, d, i % 7 ? -1 : (int)((size_t)i % h->n_tri), idx, w);
        ck_assert_double_eq_tol(w[0] + w[1] + w[2], 1.0, 1e-9);
        double p[3] = {0, 0, 0};
        for (int k = 0; k < 3; k++) {
            ck_assert(w[k] >= 0);
            for (int c = 0; c < 3; c++)
                p[c] += w[k] * h->dirs[3 * (size_t)idx[k] + (size_t)c];
        }
        /* p is parallel to d (same ray) unless d is below the lowest ring (no measurement) */
        double cx[3] = {p[1] * d[2] - p[2] * d[1], p[2] * d[0] - p[0] * d[2],
                        p[0] * d[1] - p[1] * d[0]};
        double nd = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        double np = sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
        ck_assert_double_le(sqrt(cx[0] * cx[0] + cx[1] * cx[1] + cx[2] * cx[2]) / (nd * np), 1e-6);
        ck_assert_double_gt(p[0] * d[0] + p[1] * d[1] + p[2] * d[2], 0);
    }
    objr__hrtf_destroy(h);
}
END_TEST

/* At measured directions the render has the HRTF's own ITD (within one sample) and ILD per
 * octave band (within 1 dB), the energy of a direct convolution (within 0.5 dB), and the side
 * the source is on. */
START_TEST(measured_directions_match_sofa) {
    REQUIRE_SOFA();
    struct MYSOFA_HRTF *s = ref_sofa();
    objr_binaural *b = make(FS, OBJR_BINAURAL_MODE_DRY, 1);
    double g = norm_gain(b, FS);
    float *x = noise(NSIG);
    float *l = malloc(NSIG * 4), *r = malloc(NSIG * 4), *rl = malloc(NSIG * 4),
          *rr = malloc(NSIG * 4);
    static const double dirs[][2] = {{0, 0},    {30, 0},   {-30, 0},    {90, 0},  {-90, 0},
                                     {135, 0},  {-110, 0}, {180, 0},    {45, 20}, {-60, -20},
                                     {150, 40}, {0, 90},   {-120, -40}, {20, 60}};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        double dd;
        size_t m = ref_find(s, dirs[i][0], dirs[i][1], &dd);
        double az = s->SourcePosition.values[3 * m], el = s->SourcePosition.values[3 * m + 1];
        render_static(b, az, el, x, NSIG, l, r);
        ref_render(s, m, g, x, NSIG, rl, rr);
        double t_r = itd(l, r, FS), t_ref = itd(rl, rr, FS);
        ck_assert_msg(fabs(t_r - t_ref) <= 1.0, "az %g el %g: ITD %g vs SOFA %g samples", az, el,
                      t_r, t_ref);
        double i_r[N_BANDS], i_ref[N_BANDS];
        ild(l, r, FS, i_r);
        ild(rl, rr, FS, i_ref);
        for (int k = 0; k < N_BANDS; k++)
            ck_assert_msg(fabs(i_r[k] - i_ref[k]) <= 1.0, "az %g el %g band %g: ILD %g vs %g", az,
                          el, band_hz[k], i_r[k], i_ref[k]);
        for (int e = 0; e < 2; e++) {
            double er = energy(e ? r : l, A0, NA), eref = energy(e ? rr : rl, A0, NA);
            ck_assert_msg(fabs(10 * log10(er / eref)) <= 0.5, "az %g el %g ear %d: %g dB", az, el,
                          e, 10 * log10(er / eref));
        }
        /* sides: a source on the left (az in 20..160) leads and is louder at the left ear */
        double y = sin(az * OBJR_PI / 180) * cos(el * OBJR_PI / 180);
        if (fabs(y) > 0.3) {
            ck_assert_msg((t_r > 0) == (y > 0), "az %g: ITD sign %g", az, t_r);
            ck_assert_msg((10 * log10(energy(l, A0, NA) / energy(r, A0, NA)) > 0) == (y > 0),
                          "az %g: level on the wrong side", az);
        }
    }
    free(x), free(l), free(r), free(rl), free(rr);
    objr_binaural_destroy(b);
    mysofa_free(s);
}
END_TEST

/* Between measurements: ITD and ILD inside the range of the three surrounding measurements
 * (ITD +-1 sample, ILD +-1 dB), energy within 0.5 dB of a direct convolution with the same
 * interpolated filter. */
START_TEST(between_measurements_inside_neighbours) {
    REQUIRE_SOFA();
    struct MYSOFA_HRTF *s = ref_sofa();
    objr__hrtf *h = NULL;
    ck_assert_int_eq(objr__hrtf_load_file(SOFA_PATH, FS, NULL, &h), OBJR_OK);
    objr_binaural *b = make(FS, OBJR_BINAURAL_MODE_DRY, 1);
    float *x = noise(NSIG);
    float *l = malloc(NSIG * 4), *r = malloc(NSIG * 4), *rl = malloc(NSIG * 4),
          *rr = malloc(NSIG * 4);
    size_t fl = objr__hrtf_filter_len(h);
    float *hl = malloc(fl * 4), *hr = malloc(fl * 4);
    static const double dirs[][2] = {{12.5, 0},  {62.5, 5},  {-77, 10}, {102, -15},
                                     {-143, 25}, {171, -33}, {33, 47},  {-8, 72}};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        double d[3], w[3];
        int idx[3];
        objr__hrtf_dir_from_polar(dirs[i][0], dirs[i][1], d);
        objr__hrtf_locate(h, d, -1, idx, w);
        render_static(b, dirs[i][0], dirs[i][1], x, NSIG, l, r);
        double tmin = HUGE_VAL, tmax = -HUGE_VAL, imin[N_BANDS], imax[N_BANDS];
        for (int k = 0; k < N_BANDS; k++)
            imin[k] = HUGE_VAL, imax[k] = -HUGE_VAL;
        for (int v = 0; v < 3; v++) {
            double vd[3] = {h->dirs[3 * (size_t)idx[v]], h->dirs[3 * (size_t)idx[v] + 1],
                            h->dirs[3 * (size_t)idx[v] + 2]};
            double vaz = atan2(vd[1], vd[0]) * 180 / OBJR_PI, vel = asin(vd[2]) * 180 / OBJR_PI;
            double dd;
            size_t m = ref_find(s, vaz, vel, &dd);
            ck_assert_double_lt(dd, 0.01);
            ref_render(s, m, h->norm_gain, x, NSIG, rl, rr);
            double t = itd(rl, rr, FS), il[N_BANDS];
            ild(rl, rr, FS, il);
            tmin = fmin(tmin, t), tmax = fmax(tmax, t);
            for (int k = 0; k < N_BANDS; k++)
                imin[k] = fmin(imin[k], il[k]), imax[k] = fmax(imax[k], il[k]);
        }
        double t = itd(l, r, FS), il[N_BANDS];
        ck_assert_msg(t >= tmin - 1 && t <= tmax + 1, "az %g el %g: ITD %g outside [%g, %g]",
                      dirs[i][0], dirs[i][1], t, tmin, tmax);
        ild(l, r, FS, il);
        for (int k = 0; k < N_BANDS; k++)
            ck_assert_msg(il[k] >= imin[k] - 1 && il[k] <= imax[k] + 1,
                          "az %g el %g band %g: ILD %g outside [%g, %g]", dirs[i][0], dirs[i][1],
                          band_hz[k], il[k], imin[k], imax[k]);
        /* the partitioned engine against a direct convolution with the same filter */
        objr__hrtf_filter(h, d, -1, hl, hr, NULL);
        double cal, lfe;
        objr__binaural_calibration(b, &cal, &lfe);
        conv(x, NSIG, hl, fl, cal, rl);
        conv(x, NSIG, hr, fl, cal, rr);
        for (int e = 0; e < 2; e++) {
            double er = energy(e ? r : l, A0, NA), eref = energy(e ? rr : rl, A0, NA);
            ck_assert_double_le(fabs(10 * log10(er / eref)), 0.5);
        }
    }
    free(x), free(l), free(r), free(rl), free(rr), free(hl), free(hr);
    objr_binaural_destroy(b);
    objr__hrtf_destroy(h);
    mysofa_free(s);
}
END_TEST

/* 1/3-octave spectra 2..16 kHz (dB) for template matching */
#define N_TPL 10
static void spectrum_tpl(const float *x, double fs, double *t) {
    float *in = fftwf_alloc_real(NA);
    fftwf_complex *X = fftwf_alloc_complex(NA / 2 + 1);
    fftwf_plan p = fftwf_plan_dft_r2c_1d(NA, in, X, FFTW_ESTIMATE);
    memcpy(in, x + A0, NA * sizeof *in);
    fftwf_execute(p);
    for (int b = 0; b < N_TPL; b++) {
        double fc = 2000.0 * pow(2.0, b / 3.0), lo = fc / pow(2, 1 / 6.0),
               hi = fc * pow(2, 1 / 6.0);
        double s = 1e-30;
        for (size_t k = 1; k < NA / 2; k++) {
            double f = (double)k * fs / NA;
            if (f >= lo && f < hi)
                s += (double)X[k][0] * X[k][0] + (double)X[k][1] * X[k][1];
        }
        t[b] = 10 * log10(s);
    }
    fftwf_destroy_plan(p);
    fftwf_free(in);
    fftwf_free(X);
}

static double tpl_dist(const double *a, const double *b) {
    double s = 0;
    for (int k = 0; k < N_TPL; k++)
        s += (a[k] - b[k]) * (a[k] - b[k]);
    return s;
}

/* Front/back and up/down: the render's monaural spectra match the HRTF at the true direction
 * better than at its mirror image, also between measured directions (48 kHz: resampled set). */
START_TEST(front_back_up_down_not_swapped) {
    REQUIRE_SOFA();
    struct MYSOFA_HRTF *s = ref_sofa();
    const double fs = 48000.0;
    objr_binaural *b = make(fs, OBJR_BINAURAL_MODE_DRY, 1);
    objr_binaural *b44 = make(FS, OBJR_BINAURAL_MODE_DRY, 1);
    double g = norm_gain(b44, FS);
    float *x = noise(NSIG);
    float *l = malloc(NSIG * 4), *r = malloc(NSIG * 4), *rl = malloc(NSIG * 4),
          *rr = malloc(NSIG * 4);
    /* {az, el, mirror az, mirror el} */
    static const double cases[][4] = {{30, 0, 150, 0}, {-40, 0, -140, 0},   {17, 10, 163, 10},
                                      {150, 0, 30, 0}, {-165, 0, -15, 0},   {0, 40, 0, -40},
                                      {0, -30, 0, 30}, {180, 50, 180, -30}, {63, 0, 117, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        render_static(b44, cases[i][0], cases[i][1], x, NSIG, l, r);
        double tl[N_TPL], tr[N_TPL], al[N_TPL], ar[N_TPL], ml[N_TPL], mr[N_TPL];
        spectrum_tpl(l, FS, tl);
        spectrum_tpl(r, FS, tr);
        size_t mt = ref_find(s, cases[i][0], cases[i][1], NULL);
        size_t mm = ref_find(s, cases[i][2], cases[i][3], NULL);
        ref_render(s, mt, g, x, NSIG, rl, rr);
        spectrum_tpl(rl, FS, al);
        spectrum_tpl(rr, FS, ar);
        ref_render(s, mm, g, x, NSIG, rl, rr);
        spectrum_tpl(rl, FS, ml);
        spectrum_tpl(rr, FS, mr);
        double dt = tpl_dist(tl, al) + tpl_dist(tr, ar), dm = tpl_dist(tl, ml) + tpl_dist(tr, mr);
        ck_assert_msg(dt < dm, "(%g, %g): closer to the mirror (%g vs %g)", cases[i][0],
                      cases[i][1], dt, dm);
        /* the same at 48 kHz (resampled set), compared on the same bands */
        render_static(b, cases[i][0], cases[i][1], x, NSIG, l, r);
        spectrum_tpl(l, fs, tl);
        spectrum_tpl(r, fs, tr);
        dt = tpl_dist(tl, al) + tpl_dist(tr, ar), dm = tpl_dist(tl, ml) + tpl_dist(tr, mr);
        ck_assert_msg(dt < dm, "48k (%g, %g): closer to the mirror (%g vs %g)", cases[i][0],
                      cases[i][1], dt, dm);
    }
    free(x), free(l), free(r), free(rl), free(rr);
    objr_binaural_destroy(b);
    objr_binaural_destroy(b44);
    mysofa_free(s);
}
END_TEST

/* Resampled once at load: at 48 kHz the ITD (in seconds) and ILD per band match the 44.1 kHz
 * SOFA set within one 48 kHz sample and 1 dB, and the level is kept. Measured on impulse
 * responses (an impulse through the renderer), whose band energies are exact. */
START_TEST(resampled_set_keeps_cues) {
    REQUIRE_SOFA();
    struct MYSOFA_HRTF *s = ref_sofa();
    const double fs = 48000.0;
    objr_binaural *b = make(fs, OBJR_BINAURAL_MODE_DRY, 1);
    double g = norm_gain(b, FS);
    float *x = calloc(NSIG, 4);
    x[A0 + 64] = 1.0f;
    float *l = malloc(NSIG * 4), *r = malloc(NSIG * 4), *rl = malloc(NSIG * 4),
          *rr = malloc(NSIG * 4);
    static const double dirs[][2] = {{0, 0}, {90, 0}, {-45, 0}, {135, 20}, {-100, -20}};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        size_t m = ref_find(s, dirs[i][0], dirs[i][1], NULL);
        double az = s->SourcePosition.values[3 * m], el = s->SourcePosition.values[3 * m + 1];
        render_static(b, az, el, x, NSIG, l, r);
        ref_render(s, m, g, x, NSIG, rl, rr);
        double t48 = itd(l, r, fs) / fs, t44 = itd(rl, rr, FS) / FS;
        ck_assert_msg(fabs(t48 - t44) <= 1.0 / fs, "az %g: ITD %g vs %g us", az, t48 * 1e6,
                      t44 * 1e6);
        double i48[N_BANDS], i44[N_BANDS];
        ild(l, r, fs, i48);
        ild(rl, rr, FS, i44);
        for (int k = 0; k < N_BANDS; k++)
            ck_assert_msg(fabs(i48[k] - i44[k]) <= 1.0, "az %g band %g: %g vs %g", az, band_hz[k],
                          i48[k], i44[k]);
        /* the same filter gain: an impulse response's energy scales with 1 / rate */
        double e48 = (energy(l, A0, NA) + energy(r, A0, NA)) * fs / FS,
               e44 = energy(rl, A0, NA) + energy(rr, A0, NA);
        ck_assert_msg(fabs(10 * log10(e48 / e44)) <= 0.5, "az %g: level %g dB", az,
                      10 * log10(e48 / e44));
    }
    free(x), free(l), free(r), free(rl), free(rr);
    objr_binaural_destroy(b);
    mysofa_free(s);
}
END_TEST

/* A 1 kHz tone rotating at 360 degrees/s: the energy above 4 kHz (clicks would put it there)
 * stays 60 dB below the tone; and low tones keep their level through the cross-fades. */
START_TEST(rotation_is_click_free) {
    REQUIRE_SOFA();
    const double fs = 48000.0;
    objr_binaural *b = make_eq(fs, OBJR_BINAURAL_MODE_DRY, 1, 1);
    size_t B = objr_binaural_block_frames(b), nb = (size_t)(2.0 * fs) / B, n = nb * B;
    float *x = malloc(n * 4), *l = malloc(n * 4), *r = malloc(n * 4);
    objr_test_sine(x, n, 0.5, 1000.0, fs, 0.0);
    objr_binaural_source s = objr_binaural_source_default();
    for (size_t k = 0; k < nb; k++) {
        s.azimuth_deg = fmod(360.0 * (double)(k * B) / fs, 360.0) - 180.0;
        s.elevation_deg = 10.0 * sin((double)k * 0.05);
        ck_assert_int_eq(objr_binaural_set_source(b, 0, &s), OBJR_OK);
        const float *in[1] = {x + k * B};
        ck_assert_int_eq(objr_binaural_process(b, in, l + k * B, r + k * B, B), OBJR_OK);
    }
    size_t a = 4 * B, m = n - 4 * B;
    for (int e = 0; e < 2; e++) {
        float *y = e ? r : l;
        double total = energy(y, a, m - a);
        highpass(y, n, 4000.0, fs);
        highpass(y, n, 4000.0, fs);
        double hf = energy(y, a, m - a);
        ck_assert_msg(10 * log10(hf / total) < -60.0, "ear %d: HF residual %g dB", e,
                      10 * log10(hf / total));
    }
    /* level: tones of 200 Hz and 750 Hz rotating in the horizontal plane stay, in every quarter
     * block, within the range of levels the same tone has from static directions (5-degree
     * steps) widened by 1 dB: no dip or lift through the cross-fades */
    for (int t = 0; t < 2; t++) {
        objr_test_sine(x, n, 0.5, t ? 750.0 : 200.0, fs, 0.0);
        objr_binaural_reset(b);
        s = objr_binaural_source_default();
        for (size_t k = 0; k < nb; k++) {
            s.azimuth_deg = fmod(360.0 * (double)(k * B) / fs, 360.0) - 180.0;
            ck_assert_int_eq(objr_binaural_set_source(b, 0, &s), OBJR_OK);
            const float *in[1] = {x + k * B};
            ck_assert_int_eq(objr_binaural_process(b, in, l + k * B, r + k * B, B), OBJR_OK);
        }
        double lo[2] = {HUGE_VAL, HUGE_VAL}, hi[2] = {-HUGE_VAL, -HUGE_VAL};
        for (size_t w = 4 * B; w + B / 4 <= n - B; w += B / 4)
            for (int e = 0; e < 2; e++) {
                double d = 10 * log10(energy(e ? r : l, w, B / 4));
                lo[e] = fmin(lo[e], d), hi[e] = fmax(hi[e], d);
            }
        double slo[2] = {HUGE_VAL, HUGE_VAL}, shi[2] = {-HUGE_VAL, -HUGE_VAL};
        for (int az = -180; az < 180; az += 5) {
            objr_binaural_reset(b);
            s.azimuth_deg = az;
            ck_assert_int_eq(objr_binaural_set_source(b, 0, &s), OBJR_OK);
            for (size_t k = 0; k < 4; k++) {
                const float *in[1] = {x + k * B};
                ck_assert_int_eq(objr_binaural_process(b, in, l + k * B, r + k * B, B), OBJR_OK);
            }
            for (int e = 0; e < 2; e++) {
                double d = 10 * log10(energy(e ? r : l, 2 * B, B / 4));
                slo[e] = fmin(slo[e], d), shi[e] = fmax(shi[e], d);
            }
        }
        for (int e = 0; e < 2; e++)
            ck_assert_msg(lo[e] > slo[e] - 1.0 && hi[e] < shi[e] + 1.0,
                          "%s Hz ear %d: rotating %.2f..%.2f dB, static %.2f..%.2f dB",
                          t ? "750" : "200", e, lo[e], hi[e], slo[e], shi[e]);
    }
    free(x), free(l), free(r);
    objr_binaural_destroy(b);
}
END_TEST

/* A source jumping by 30 degrees: no click (tone) and no level dip over 1 dB (noise) through
 * the cross-fade, against the static renders on either side. */
START_TEST(jump_keeps_level_and_no_click) {
    REQUIRE_SOFA();
    const double fs = 48000.0;
    objr_binaural *b = make_eq(fs, OBJR_BINAURAL_MODE_DRY, 1, 1);
    size_t B = objr_binaural_block_frames(b), nb = 16, n = nb * B, jb = 8;
    float *x = noise(n), *l = malloc(n * 4), *r = malloc(n * 4);
    float *al = malloc(n * 4), *ar = malloc(n * 4), *bl = malloc(n * 4), *br = malloc(n * 4);
    static const double jumps[][4] = {{0, 0, 30, 0},      {60, 0, 90, 0}, {-10, 0, -40, 0},
                                      {150, 10, 180, 10}, {0, 0, 0, 30},  {100, 0, 130, 0}};
    for (size_t j = 0; j < sizeof jumps / sizeof jumps[0]; j++) {
        /* pass 0 noise (level), 1 tone (click), 2 and 3 tones of 150 Hz and 750 Hz (level: the
         * correction is made per octave band, so a tone keeps its level too) */
        for (int pass = 0; pass < 4; pass++) {
            if (pass >= 1) {
                objr_test_sine(x, n, 0.5, pass == 2 ? 150.0 : 750.0, fs, 0.0);
            } else {
                free(x);
                x = noise(n);
            }
            objr_binaural_reset(b);
            objr_binaural_source s = objr_binaural_source_default();
            size_t lat = objr_binaural_latency_frames(b);
            ck_assert_uint_eq(lat, B);
            for (size_t k = 0; k < nb; k++) {
                s.azimuth_deg = k < jb ? jumps[j][0] : jumps[j][2];
                s.elevation_deg = k < jb ? jumps[j][1] : jumps[j][3];
                ck_assert_int_eq(objr_binaural_set_source(b, 0, &s), OBJR_OK);
                const float *in[1] = {x + k * B};
                ck_assert_int_eq(objr_binaural_process(b, in, l + k * B, r + k * B, B), OBJR_OK);
            }
            /* output block k+1 carries input block k: the fade is output block jb + 1 */
            size_t f0 = (jb + 1) * B;
            if (pass != 1) {
                render_static(b, jumps[j][0], jumps[j][1], x, n - B, al, ar);
                render_static(b, jumps[j][2], jumps[j][3], x, n - B, bl, br);
                for (int e = 0; e < 2; e++) {
                    const float *y = e ? r : l, *ya = e ? ar : al, *yb = e ? br : bl;
                    /* the middle half of the fade, where a linear fade dips most */
                    size_t a = f0 + B / 4, m = B / 2;
                    double em = energy(y, a, m);
                    double ea = energy(ya, a - B, m), eb = energy(yb, a - B, m);
                    double dip = 10 * log10(em / (0.5 * (ea + eb)));
                    ck_assert_msg(dip > -1.0 && dip < 1.0,
                                  "jump %zu ear %d pass %d: level through the fade %g dB", j, e,
                                  pass, dip);
                }
            } else {
                for (int e = 0; e < 2; e++) {
                    float *y = e ? r : l;
                    double total = energy(y, 4 * B, n - 5 * B);
                    highpass(y, n, 4000.0, fs);
                    highpass(y, n, 4000.0, fs);
                    double hf = energy(y, 4 * B, n - 5 * B);
                    ck_assert_msg(10 * log10(hf / total) < -60.0, "jump %zu ear %d: HF %g dB", j, e,
                                  10 * log10(hf / total));
                }
            }
        }
    }
    free(x), free(l), free(r), free(al), free(ar), free(bl), free(br);
    objr_binaural_destroy(b);
}
END_TEST

/* A 7.1.4 bed as virtual loudspeakers: each channel is rendered from its own direction (same
 * as an object there, on its own side); the LFE reaches both ears equally, low-passed. */
START_TEST(bed_channels_and_lfe) {
    REQUIRE_SOFA();
    const double fs = 48000.0;
    static const double spk[12][2] = {{30, 0},  {-30, 0},  {0, 0},    {0, 0},
                                      {135, 0}, {-135, 0}, {90, 0},   {-90, 0},
                                      {45, 45}, {-45, 45}, {135, 45}, {-135, 45}};
    objr_binaural *b = make(fs, OBJR_BINAURAL_MODE_DRY, 12);
    objr_binaural *o = make(fs, OBJR_BINAURAL_MODE_DRY, 1);
    size_t lat = objr_binaural_latency_frames(b), n = NSIG + lat;
    float *x = noise(NSIG), *l = calloc(n, 4), *r = calloc(n, 4), *ol = malloc(NSIG * 4),
          *orr = malloc(NSIG * 4), *in = calloc(n, 4);
    memcpy(in, x, NSIG * 4);
    for (int ch = 0; ch < 12; ch++) {
        objr_binaural_reset(b);
        for (int k = 0; k < 12; k++) {
            objr_binaural_source s = objr_binaural_source_default();
            s.azimuth_deg = spk[k][0], s.elevation_deg = spk[k][1];
            s.lfe = k == 3;
            s.active = 1;
            ck_assert_int_eq(objr_binaural_set_source(b, (size_t)k, &s), OBJR_OK);
        }
        const float *ins[12] = {0};
        ins[ch] = in;
        ck_assert_int_eq(objr_binaural_process(b, ins, l, r, n), OBJR_OK);
        if (ch == 3) { /* LFE: identical at both ears, 50 Hz passes, 1 kHz is 30 dB down */
            for (size_t i = 0; i < n; i++)
                ck_assert_float_eq(l[i], r[i]);
            double el[N_BANDS], e_in[N_BANDS];
            float *sine = malloc(n * 4);
            band_energy(l + lat, fs, el);
            band_energy(x, fs, e_in);
            ck_assert_double_lt(10 * log10(el[2] / e_in[2]), -30.0); /* 1 kHz */
            objr_binaural_reset(b);
            objr_test_sine(sine, n, 0.5, 50.0, fs, 0);
            ins[ch] = sine;
            ck_assert_int_eq(objr_binaural_process(b, ins, l, r, n), OBJR_OK);
            double g = 10 * log10(energy(l, A0 + lat, NA) / energy(sine, A0, NA)), cal, lfe;
            objr__binaural_calibration(b, &cal, &lfe);
            /* LR4 at 120 Hz: 50 Hz passes at ~0 dB, with the LFE's calibrated gain */
            ck_assert_double_le(fabs(g - 20 * log10(lfe)), 0.5);
            free(sine);
            continue;
        }
        render_static(o, spk[ch][0], spk[ch][1], x, NSIG, ol, orr);
        for (size_t i = A0; i < A0 + NA; i++) {
            ck_assert_float_eq_tol(l[i + lat], ol[i], 1e-4f);
            ck_assert_float_eq_tol(r[i + lat], orr[i], 1e-4f);
        }
        double side = 10 * log10(energy(l, A0 + lat, NA) / energy(r, A0 + lat, NA));
        double y = sin(spk[ch][0] * OBJR_PI / 180);
        if (fabs(y) > 0.3)
            ck_assert_msg((side > 0) == (y > 0), "channel %d on the wrong side", ch);
    }
    free(x), free(l), free(r), free(ol), free(orr), free(in);
    objr_binaural_destroy(b);
    objr_binaural_destroy(o);
}
END_TEST

static double iacc(const float *l, const float *r) {
    double s = 0, a = 0, c = 0;
    for (size_t i = A0; i < A0 + NA; i++)
        s += (double)l[i] * r[i], a += (double)l[i] * l[i], c += (double)r[i] * r[i];
    return s / sqrt(a * c);
}

/* Diffuse sources are decorrelated between the ears; extent keeps the level and symmetry;
 * OFF is a plain constant-power pan; the room adds a tail that grows from near to far and
 * is absent in dry. */
START_TEST(diffuse_extent_off_and_room) {
    REQUIRE_SOFA();
    const double fs = 48000.0;
    float *x = noise(NSIG), *l = malloc(NSIG * 4), *r = malloc(NSIG * 4);
    objr_binaural *b = make(fs, OBJR_BINAURAL_MODE_DRY, 1);
    render_static(b, 0, 0, x, NSIG, l, r);
    double e_point = energy(l, A0, NA) + energy(r, A0, NA);
    ck_assert_double_gt(iacc(l, r), 0.8);
    /* diffuse = 1 */
    objr_binaural_reset(b);
    objr_binaural_source s = objr_binaural_source_default();
    s.diffuse = 1.0;
    ck_assert_int_eq(objr_binaural_set_source(b, 0, &s), OBJR_OK);
    size_t lat = objr_binaural_latency_frames(b), n = NSIG + lat;
    float *in = calloc(n, 4), *ol = calloc(n, 4), *orr = calloc(n, 4);
    memcpy(in, x, NSIG * 4);
    const float *ins[1] = {in};
    ck_assert_int_eq(objr_binaural_process(b, ins, ol, orr, n), OBJR_OK);
    ck_assert_double_lt(fabs(iacc(ol + lat, orr + lat)), 0.3);
    double e_diff = energy(ol + lat, A0, NA) + energy(orr + lat, A0, NA);
    ck_assert_double_le(fabs(10 * log10(e_diff / e_point)), 3.0);
    /* extent: 90 x 30 degrees in front keeps the level within 1.5 dB and left = right +-1.5 dB */
    objr_binaural_reset(b);
    s = objr_binaural_source_default();
    s.width_deg = 90, s.height_deg = 30;
    ck_assert_int_eq(objr_binaural_set_source(b, 0, &s), OBJR_OK);
    ck_assert_int_eq(objr_binaural_process(b, ins, ol, orr, n), OBJR_OK);
    double el = energy(ol + lat, A0, NA), er = energy(orr + lat, A0, NA);
    ck_assert_double_le(fabs(10 * log10((el + er) / e_point)), 1.5);
    ck_assert_double_le(fabs(10 * log10(el / er)), 1.5);
    /* extent spreads: 120 degrees wide around azimuth 60 reaches from the front to behind the
     * left side, so the level difference between the ears is well under the point source's */
    double ild_pt = 0, ild_ext = 0;
    for (int k = 0; k < 2; k++) {
        objr_binaural_reset(b);
        s = objr_binaural_source_default();
        s.azimuth_deg = 60, s.width_deg = k ? 120 : 0;
        ck_assert_int_eq(objr_binaural_set_source(b, 0, &s), OBJR_OK);
        ck_assert_int_eq(objr_binaural_process(b, ins, ol, orr, n), OBJR_OK);
        double d = 10 * log10(energy(ol + lat, A0, NA) / energy(orr + lat, A0, NA));
        *(k ? &ild_ext : &ild_pt) = d;
    }
    ck_assert_msg(ild_pt > 6.0 && ild_ext > 0.0 && ild_ext < ild_pt - 3.0,
                  "ILD point %g dB, extended %g dB", ild_pt, ild_ext);
    /* OFF: constant-power pan, left at az 90: all left; front: equal at -3 dB */
    objr_binaural_reset(b);
    s = objr_binaural_source_default();
    s.mode = OBJR_BINAURAL_MODE_OFF;
    s.azimuth_deg = 90;
    ck_assert_int_eq(objr_binaural_set_source(b, 0, &s), OBJR_OK);
    ck_assert_int_eq(objr_binaural_process(b, ins, ol, orr, n), OBJR_OK);
    ck_assert_double_le(fabs(10 * log10(energy(ol + lat, A0, NA) / energy(x, A0, NA))), 0.01);
    ck_assert_double_lt(energy(orr + lat, A0, NA), 1e-6);
    objr_binaural_destroy(b);
    /* room: tail energy 30..200 ms after a click, per mode */
    double tail[4], direct = 0;
    static const objr_binaural_mode modes[4] = {OBJR_BINAURAL_MODE_DRY, OBJR_BINAURAL_MODE_NEAR,
                                                OBJR_BINAURAL_MODE_MID, OBJR_BINAURAL_MODE_FAR};
    memset(in, 0, n * 4);
    size_t t0 = 4 * lat; /* after the gains have ramped up from silence */
    in[t0] = 1.0f;
    for (int k = 0; k < 4; k++) {
        objr_binaural *rb = make(fs, modes[k], 1);
        s = objr_binaural_source_default();
        ck_assert_int_eq(objr_binaural_set_source(rb, 0, &s), OBJR_OK);
        ck_assert_int_eq(objr_binaural_process(rb, ins, ol, orr, n), OBJR_OK);
        size_t a = t0 + lat + (size_t)(0.03 * fs), m = (size_t)(0.17 * fs);
        tail[k] = energy(ol, a, m) + energy(orr, a, m);
        if (k == 0) /* the click's direct response */
            direct = energy(ol, t0, a - t0) + energy(orr, t0, a - t0);
        objr_binaural_destroy(rb);
    }
    /* dry: nothing after the HRTF but rounding (the 16-bit stored spectra: -82 dB) */
    ck_assert_double_gt(direct, 0.1);
    ck_assert_double_lt(tail[0], 1e-8 * direct);
    ck_assert_double_gt(tail[1], 1e-6);
    ck_assert_double_gt(tail[2], tail[1] * 2);
    ck_assert_double_gt(tail[3], tail[2] * 2);
    free(x), free(l), free(r), free(in), free(ol), free(orr);
}
END_TEST

/* The diffuse-field equaliser: over directions spread evenly on the sphere, the mean
 * third-octave response of both ears becomes flat at -3 dB (160 Hz - 10 kHz) where the raw
 * set's is not; and since both ears get the same filter, a lateral source's interaural level
 * and phase differences stay those of the set at every frequency. */
START_TEST(diffuse_eq_flattens_and_keeps_cues) {
    REQUIRE_SOFA();
    const double fs = 48000.0;
    size_t nd = 48, n = A0 + NA;
    float *x = noise(n), *l = malloc(n * 4), *r = malloc(n * 4);
    enum { NB3 = 19 }; /* third octaves 160 Hz .. 10 kHz */
    double band[2][NB3], cnt[NB3];
    memset(cnt, 0, sizeof cnt);
    for (int eq = 0; eq < 2; eq++) {
        memset(band[eq], 0, sizeof band[eq]);
        objr_binaural *b = make_eq(fs, OBJR_BINAURAL_MODE_DRY, 1, eq);
        for (size_t d = 0; d < nd; d++) { /* Fibonacci sphere: equal areas */
            double z = 1.0 - (2.0 * (double)d + 1.0) / (double)nd;
            double az = fmod((double)d * 137.50776405, 360.0) - 180.0;
            double el = asin(z) * 180.0 / OBJR_PI;
            render_static(b, az, el, x, n, l, r);
            for (int e = 0; e < 2; e++) {
                const float *y = e ? r : l;
                float *in = fftwf_alloc_real(NA);
                fftwf_complex *X = fftwf_alloc_complex(NA / 2 + 1);
                fftwf_plan p = fftwf_plan_dft_r2c_1d(NA, in, X, FFTW_ESTIMATE);
                memcpy(in, y + A0, NA * sizeof *in);
                fftwf_execute(p);
                for (int k3 = 0; k3 < NB3; k3++) {
                    double fc = 160.0 * pow(2.0, k3 / 3.0);
                    double lo = fc * pow(2.0, -1.0 / 6.0), hi = fc * pow(2.0, 1.0 / 6.0);
                    for (size_t k = 1; k < NA / 2; k++) {
                        double f = (double)k * fs / NA;
                        if (f >= lo && f < hi) {
                            band[eq][k3] += (double)X[k][0] * X[k][0] + (double)X[k][1] * X[k][1];
                            cnt[k3] += eq == 0 && d == 0 && e == 0;
                        }
                    }
                }
                fftwf_destroy_plan(p);
                fftwf_free(in);
                fftwf_free(X);
            }
        }
        objr_binaural_destroy(b);
    }
    /* mean power per bin in each band (white input: a flat response gives equal values) */
    double spread[2];
    for (int eq = 0; eq < 2; eq++) {
        double lo = 1e9, hi = -1e9;
        for (int k3 = 0; k3 < NB3; k3++) {
            double db = 10 * log10(band[eq][k3] / cnt[k3]);
            lo = fmin(lo, db), hi = fmax(hi, db);
        }
        spread[eq] = hi - lo;
    }
    /* the raw set: ear-canal resonance and the loudspeaker's roll-off, many dB */
    ck_assert_msg(spread[0] > 8.0, "raw diffuse-field response spread %g dB", spread[0]);
    ck_assert_msg(spread[1] < 3.0, "equalised diffuse-field response spread %g dB", spread[1]);
    /* the equalised level: each ear's diffuse-field power response is -3 dB (the two ears
     * share a diffuse field's power), against the input's own power per bin */
    {
        float *in = fftwf_alloc_real(NA);
        fftwf_complex *X = fftwf_alloc_complex(NA / 2 + 1);
        fftwf_plan p = fftwf_plan_dft_r2c_1d(NA, in, X, FFTW_ESTIMATE);
        memcpy(in, x + A0, NA * sizeof *in);
        fftwf_execute(p);
        for (int k3 = 0; k3 < NB3; k3++) {
            double fc = 160.0 * pow(2.0, k3 / 3.0), px = 0;
            double lo = fc * pow(2.0, -1.0 / 6.0), hi = fc * pow(2.0, 1.0 / 6.0);
            for (size_t k = 1; k < NA / 2; k++) {
                double f = (double)k * fs / NA;
                if (f >= lo && f < hi)
                    px += (double)X[k][0] * X[k][0] + (double)X[k][1] * X[k][1];
            }
            double db = 10 * log10(band[1][k3] / (double)(2 * nd) / px);
            ck_assert_msg(fabs(db + 3.0) < 1.5, "equalised diffuse-field response at %g Hz: %g dB",
                          fc, db);
        }
        fftwf_destroy_plan(p);
        fftwf_free(in);
        fftwf_free(X);
    }
    /* a lateral source keeps its cues: its impulse responses with and without the equaliser
     * have the same level and phase difference between the ears at every frequency (one
     * filter for both ears; the interaural phase carries the ITD) */
    size_t W = 4096;
    double *ild_db[2], *ipd[2];
    for (int eq = 0; eq < 2; eq++) {
        objr_binaural *b = make_eq(fs, OBJR_BINAURAL_MODE_DRY, 1, eq);
        memset(x, 0, n * sizeof *x);
        x[A0] = 1.0f;
        render_static(b, 70.0, 10.0, x, n, l, r);
        objr_binaural_destroy(b);
        free(x);
        x = noise(n);
        ild_db[eq] = malloc((W / 2 + 1) * sizeof(double));
        ipd[eq] = malloc((W / 2 + 1) * sizeof(double));
        float *in = fftwf_alloc_real(W);
        fftwf_complex *X[2] = {fftwf_alloc_complex(W / 2 + 1), fftwf_alloc_complex(W / 2 + 1)};
        for (int e = 0; e < 2; e++) {
            fftwf_plan p = fftwf_plan_dft_r2c_1d((int)W, in, X[e], FFTW_ESTIMATE);
            memcpy(in, (e ? r : l) + A0, W * sizeof *in);
            fftwf_execute(p);
            fftwf_destroy_plan(p);
        }
        for (size_t k = 0; k <= W / 2; k++) {
            double pl = (double)X[0][k][0] * X[0][k][0] + (double)X[0][k][1] * X[0][k][1];
            double pr = (double)X[1][k][0] * X[1][k][0] + (double)X[1][k][1] * X[1][k][1];
            ild_db[eq][k] = 10 * log10((pl + 1e-30) / (pr + 1e-30));
            double cr = (double)X[0][k][0] * X[1][k][0] + (double)X[0][k][1] * X[1][k][1];
            double ci = (double)X[0][k][1] * X[1][k][0] - (double)X[0][k][0] * X[1][k][1];
            ipd[eq][k] = atan2(ci, cr);
        }
        fftwf_free(in), fftwf_free(X[0]), fftwf_free(X[1]);
    }
    double worst = 0, worst_ph = 0;
    for (size_t k = (size_t)(200.0 * (double)W / fs); k <= (size_t)(12000.0 * (double)W / fs); k++)
        worst = fmax(worst, fabs(ild_db[1][k] - ild_db[0][k]));
    for (size_t k = (size_t)(200.0 * (double)W / fs); k <= (size_t)(1500.0 * (double)W / fs); k++) {
        double d = fabs(ipd[1][k] - ipd[0][k]);
        worst_ph = fmax(worst_ph, fmin(d, 2 * OBJR_PI - d));
    }
    ck_assert_msg(worst < 0.1, "ILD changed by up to %g dB by the equaliser", worst);
    ck_assert_msg(worst_ph < 0.01, "interaural phase changed by up to %g rad", worst_ph);
    for (int eq = 0; eq < 2; eq++)
        free(ild_db[eq]), free(ipd[eq]);
    free(x), free(l), free(r);
}
END_TEST

/* What libmysofa returns is validated: sets that cannot serve a listener are refused with one
 * message naming the file: receivers stored right ear first (libmysofa's check; ears are never
 * swapped silently), one hemisphere only, NaN, a silent response, onsets spread over 10 ms,
 * a wrong receiver count, too many measurements. */
START_TEST(sofa_contents_validated) {
    REQUIRE_SOFA();
    int err = 0;
    struct MYSOFA_HRTF *s;
    size_t N;
    /* refused contents */ /* refused contents */
    for (int k = 0; k < 7; k++) {
        s = mysofa_load(SOFA_PATH, &err);
        ck_assert_ptr_nonnull(s);
        N = s->N;
        const char *want = NULL;
        switch (k) {
        case 6: { /* right ear first */
            float *rp = s->ReceiverPosition.values;
            ck_assert_uint_ge(s->ReceiverPosition.elements, 6);
            ck_assert_msg(rp[1] > 0 && rp[4] < 0, "the default set stores the left ear first");
            for (int c = 0; c < 3; c++) {
                float t = rp[c];
                rp[c] = rp[3 + c], rp[3 + c] = t;
            }
            want = "receiver";
            break;
        }
        case 0: { /* the upper hemisphere only */
            size_t M = s->M, kept = 0;
            float *sp = s->SourcePosition.values, *ir = s->DataIR.values;
            const char *ty = mysofa_getAttribute(s->SourcePosition.attributes, (char *)"Type");
            int sph = ty && strcmp(ty, "spherical") == 0;
            for (size_t m = 0; m < M; m++) {
                int up = sph ? sp[3 * m + 1] >= 0 : sp[3 * m + 2] >= 0;
                if (!up)
                    continue;
                memmove(sp + 3 * kept, sp + 3 * m, 3 * sizeof *sp);
                memmove(ir + kept * 2 * N, ir + m * 2 * N, 2 * N * sizeof *ir);
                kept++;
            }
            ck_assert_uint_lt(kept, M);
            s->M = (unsigned)kept;
            s->SourcePosition.elements = (unsigned)(kept * 3);
            s->DataIR.elements = (unsigned)(kept * 2 * N);
            if (s->DataDelay.elements == 2 * M)
                s->DataDelay.elements = (unsigned)(kept * 2);
            want = "surround";
            break;
        }
        case 1:
            s->DataIR.values[5 * 2 * N + 7] = NAN;
            want = "NaN";
            break;
        case 2:
            memset(s->DataIR.values + 3 * 2 * N, 0, N * sizeof(float));
            want = "silent";
            break;
        case 3: /* one ear delayed by 20 ms */
            if (s->DataDelay.values && s->DataDelay.elements >= 2) {
                s->DataDelay.values[0] = (float)(0.02 * s->DataSamplingRate.values[0]);
                want = "10 ms";
            } else {
                want = NULL;
            }
            break;
        case 4:
            s->R = 3; /* libmysofa's own check refuses the dimensions */
            want = "dimensions";
            break;
        default:
            s->M = 30000;
            want = "";
            break;
        }
        objr_diag d;
        memset(&d, 0, sizeof d);
        objr__hrtf *h = NULL;
        objr_status st = objr__hrtf_from_mysofa(s, "bad.sofa", FS, &d, &h);
        mysofa_free(s);
        if (!want)
            continue;
        ck_assert_msg(st == OBJR_ERR_HRTF, "case %d: status %d", k, st);
        ck_assert_ptr_null(h);
        ck_assert_msg(strstr(d.message, "bad.sofa") && strstr(d.message, want), "case %d: %s", k,
                      d.message);
    }
}
END_TEST

/* Hostile SOFA input: a clear error, no crash. */
START_TEST(malformed_sofa_rejected) {
    objr__hrtf *h = (objr__hrtf *)1;
    objr_diag d;
    memset(&d, 0, sizeof d);
    ck_assert_int_eq(objr__hrtf_load_mem("", 0, "empty.sofa", FS, &d, &h), OBJR_ERR_HRTF);
    ck_assert_ptr_null(h);
    ck_assert_ptr_nonnull(strstr(d.message, "empty.sofa"));
    static const char garbage[] = "this is not an HDF5 file at all, just text.................";
    memset(&d, 0, sizeof d);
    ck_assert_int_eq(objr__hrtf_load_mem(garbage, sizeof garbage, "g.sofa", FS, &d, &h),
                     OBJR_ERR_HRTF);
    ck_assert_ptr_nonnull(strstr(d.message, "HDF5"));
    unsigned char sig[64] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    for (size_t i = 8; i < sizeof sig; i++)
        sig[i] = (unsigned char)(i * 37);
    memset(&d, 0, sizeof d);
    ck_assert_int_eq(objr__hrtf_load_mem(sig, sizeof sig, "sig.sofa", FS, &d, &h), OBJR_ERR_HRTF);
    ck_assert_int_eq(objr__hrtf_load_file("/nonexistent/x.sofa", FS, &d, &h), OBJR_ERR_IO);
    /* bad configuration */
    objr_binaural_config c = objr_binaural_config_default();
    objr_binaural *b = NULL;
    c.max_sources = 0;
    ck_assert_int_eq(objr_binaural_create(&c, NULL, &b), OBJR_ERR_INVALID_ARG);
    if (!have_sofa())
        return;
    size_t size = 0;
    unsigned char *data = objr_test_read_file(SOFA_PATH, &size);
    ck_assert_ptr_nonnull(data);
    /* truncations */
    static const double cut[] = {0.001, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.999};
    for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
        memset(&d, 0, sizeof d);
        size_t m = (size_t)(cut[i] * (double)size);
        objr_status st = objr__hrtf_load_mem(data, m, "cut.sofa", FS, &d, &h);
        ck_assert_msg(st == OBJR_ERR_HRTF, "truncated at %zu: status %d", m, st);
        ck_assert_ptr_null(h);
        ck_assert(d.message[0] != 0);
    }
    /* the whole file through the public API, then with the config pointing at memory */
    c = objr_binaural_config_default();
    c.hrtf_data = data, c.hrtf_size = size, c.sample_rate_hz = FS;
    ck_assert_int_eq(objr_binaural_create(&c, NULL, &b), OBJR_OK);
    objr_binaural_destroy(b);
    free(data);
}
END_TEST

START_TEST(api_arguments) {
    REQUIRE_SOFA();
    objr_binaural *b = make(48000.0, OBJR_BINAURAL_MODE_MID, 3);
    objr_binaural_source s = objr_binaural_source_default();
    ck_assert_int_eq(objr_binaural_set_source(b, 3, &s), OBJR_ERR_INVALID_ARG);
    s.gain = NAN;
    ck_assert_int_eq(objr_binaural_set_source(b, 0, &s), OBJR_ERR_RANGE);
    s.gain = 1, s.diffuse = 1.5;
    ck_assert_int_eq(objr_binaural_set_source(b, 0, &s), OBJR_ERR_RANGE);
    ck_assert_int_eq(objr_binaural_mode_from_adm(1, 1, 30), OBJR_BINAURAL_MODE_OFF);
    ck_assert_int_eq(objr_binaural_mode_from_adm(0, 0, 0), OBJR_BINAURAL_MODE_DEFAULT);
    ck_assert_int_eq(objr_binaural_mode_from_adm(0, 1, 25), OBJR_BINAURAL_MODE_NEAR);
    ck_assert_int_eq(objr_binaural_mode_from_adm(0, 1, 12), OBJR_BINAURAL_MODE_MID);
    ck_assert_int_eq(objr_binaural_mode_from_adm(0, 1, 3), OBJR_BINAURAL_MODE_FAR);
    /* arbitrary call sizes give the same output as one call, sample for sample, for a point
     * source, an extended one (their spectra share a pair transform) and a plain stereo one,
     * room included */
    size_t n = 20000;
    float *x = noise(n), *l1 = malloc(n * 4), *r1 = malloc(n * 4), *l2 = malloc(n * 4),
          *r2 = malloc(n * 4);
    s = objr_binaural_source_default();
    s.azimuth_deg = 40;
    ck_assert_int_eq(objr_binaural_set_source(b, 0, &s), OBJR_OK);
    s.azimuth_deg = -70, s.width_deg = 60, s.height_deg = 20;
    ck_assert_int_eq(objr_binaural_set_source(b, 1, &s), OBJR_OK);
    s = objr_binaural_source_default();
    s.azimuth_deg = 120, s.mode = OBJR_BINAURAL_MODE_OFF;
    ck_assert_int_eq(objr_binaural_set_source(b, 2, &s), OBJR_OK);
    const float *in[3] = {x, x + 7, x + 13};
    ck_assert_int_eq(objr_binaural_process(b, in, l1, r1, n - 13), OBJR_OK);
    objr_binaural_reset(b);
    size_t done = 0, step = 1;
    while (done < n - 13) {
        size_t c = n - 13 - done < step ? n - 13 - done : step;
        const float *in2[3] = {x + done, x + 7 + done, x + 13 + done};
        ck_assert_int_eq(objr_binaural_process(b, in2, l2 + done, r2 + done, c), OBJR_OK);
        done += c;
        step = step * 3 + 1;
    }
    double e = 0;
    for (size_t i = 0; i < n - 13; i++) {
        ck_assert_msg(l1[i] == l2[i] && r1[i] == r2[i], "sample %zu differs", i);
        e += (double)l1[i] * l1[i];
    }
    ck_assert_double_gt(e, 1.0); /* not silence */
    free(x), free(l1), free(r1), free(l2), free(r2);
    objr_binaural_destroy(b);
}
END_TEST

/* Every allocation the renderer makes through the library's allocator fails in turn: create
 * returns OBJR_ERR_NOMEM, leaves *out NULL and leaks nothing (ASan checks the leaks). */
START_TEST(allocation_failures) {
    REQUIRE_SOFA();
    objr_binaural_config c = objr_binaural_config_default();
    c.sample_rate_hz = FS; /* the file's own rate: no resampling, quick loads */
    c.max_sources = 2;
    int ok = 0;
    for (long n = 1; n < 400 && !ok; n++) {
        objr_binaural *b = (objr_binaural *)&c;
        objr__alloc_fail_after(n);
        objr_status st = objr_binaural_create(&c, NULL, &b);
        objr__alloc_fail_after(0);
        if (st == OBJR_OK) {
            ok = 1;
            objr_binaural_destroy(b);
        } else {
            ck_assert_msg(st == OBJR_ERR_NOMEM, "allocation %ld: status %d", n, st);
            ck_assert_ptr_null(b);
        }
    }
    ck_assert(ok);
}
END_TEST

static Suite *binaural_suite(void) {
    Suite *s = suite_create("binaural");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, hrtf_set_loads_and_triangulates);
    tcase_add_test(tc, measured_directions_match_sofa);
    tcase_add_test(tc, between_measurements_inside_neighbours);
    tcase_add_test(tc, front_back_up_down_not_swapped);
    tcase_add_test(tc, resampled_set_keeps_cues);
    tcase_add_test(tc, rotation_is_click_free);
    tcase_add_test(tc, jump_keeps_level_and_no_click);
    tcase_add_test(tc, bed_channels_and_lfe);
    tcase_add_test(tc, diffuse_extent_off_and_room);
    tcase_add_test(tc, diffuse_eq_flattens_and_keeps_cues);
    tcase_add_test(tc, sofa_contents_validated);
    tcase_add_test(tc, malformed_sofa_rejected);
    tcase_add_test(tc, api_arguments);
    tcase_add_test(tc, allocation_failures);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(binaural_suite)
