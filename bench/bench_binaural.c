/* SPDX-License-Identifier: BSD-3-Clause */
/* Benchmark: 128 moving objects rendered binaurally (default: 60 s of audio at 48 kHz; --smoke:
 * 2 s), next to the same scene's 7.1.4 bed through 12 virtual loudspeakers and a straightforward
 * per-object baseline measured in the same run (per object and block: filter interpolated,
 * transformed, convolved and inverse-transformed on its own, linear cross-fade in time). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "objrender/objr_binaural.h"
#include "renderers/binaural/conv.h"
#include "renderers/binaural/hrtf.h"

#define FS 48000.0
#define N_OBJ 128
#define NOISE_LEN 65536

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); /* one core: CPU time of this thread */
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static float *make_noise(void) {
    float *x = malloc(NOISE_LEN * sizeof *x);
    uint64_t s = 0x243F6A8885A308D3ULL;
    for (size_t i = 0; i < NOISE_LEN && x; i++) {
        s ^= s >> 12, s ^= s << 25, s ^= s >> 27;
        x[i] =
            (float)((double)((s * 2685821657736338717ULL) >> 11) / 9007199254740992.0 - 0.5) * 0.1f;
    }
    return x;
}

static void trajectory(size_t o, double t, double *az, double *el) {
    double speed = 30.0 + 330.0 * (double)(o % 16) / 15.0; /* 30..360 degrees/s */
    *az = fmod(360.0 * (double)o / N_OBJ + speed * t, 360.0) - 180.0;
    *el = 30.0 * sin(0.7 * t + (double)o);
}

/* objects (moving) or the 12-channel bed (static) through the renderer */
static size_t block_frames = 512;
static int fft_measure = 0; /* the renderer's default: FFTW_ESTIMATE, deterministic plans */

static double run_renderer(int bed, double seconds, const float *noise, double *out_energy) {
    objr_binaural_config c = objr_binaural_config_default();
    c.max_sources = N_OBJ;
    c.block_frames = block_frames;
    c.fft_measure = fft_measure;
    objr_binaural *b = NULL;
    objr_diag d;
    memset(&d, 0, sizeof d);
    if (objr_binaural_create(&c, &d, &b) != OBJR_OK) {
        fprintf(stderr, "bench_binaural: %s\n", d.message);
        exit(1);
    }
    static const double spk[12][2] = {{30, 0},  {-30, 0},  {0, 0},    {0, 0},
                                      {135, 0}, {-135, 0}, {90, 0},   {-90, 0},
                                      {45, 45}, {-45, 45}, {135, 45}, {-135, 45}};
    size_t B = objr_binaural_block_frames(b), nblk = (size_t)(seconds * FS) / B;
    size_t ns = bed ? 12 : N_OBJ;
    float *l = malloc(B * sizeof *l), *r = malloc(B * sizeof *r);
    const float *in[N_OBJ];
    memset(in, 0, sizeof in);
    objr_binaural_source s = objr_binaural_source_default();
    for (size_t i = 0; i < ns && bed; i++) {
        s.azimuth_deg = spk[i][0], s.elevation_deg = spk[i][1], s.lfe = i == 3;
        (void)objr_binaural_set_source(b, i, &s);
    }
    double e = 0, t0 = now_s();
    for (size_t k = 0; k < nblk; k++) {
        size_t off = (k * B) % (NOISE_LEN - B);
        for (size_t i = 0; i < ns; i++) {
            in[i] = noise + (off + 977 * i) % (NOISE_LEN - B);
            if (!bed) {
                trajectory(i, (double)(k * B) / FS, &s.azimuth_deg, &s.elevation_deg);
                (void)objr_binaural_set_source(b, i, &s);
            }
        }
        (void)objr_binaural_process(b, in, l, r, B);
        e += (double)l[0] * l[0];
    }
    double dt = now_s() - t0;
    *out_energy = e;
    free(l), free(r);
    objr_binaural_destroy(b);
    return (double)(nblk * B) / FS / dt;
}

/* straightforward per-object rendering: the same filters, one FFT pair per object and ear */
static double run_baseline(double seconds, const float *noise, double *out_energy) {
    objr__hrtf *h = NULL;
    if (objr__hrtf_load_file(NULL, FS, NULL, &h) != OBJR_OK)
        exit(1);
    size_t fl = objr__hrtf_filter_len(h), B = 16;
    while (B < fl - 1 || B < 512)
        B <<= 1;
    objr__bfft f;
    if (objr__bfft_init(&f, B, 1) != OBJR_OK)
        exit(1);
    size_t S = f.stride, n = f.n;
    float *frame = objr__bfft_alloc(n), *xr = objr__bfft_alloc(S), *xi = objr__bfft_alloc(S);
    float *hr = objr__bfft_alloc(4 * S), *yr = objr__bfft_alloc(2 * S), *td = objr__bfft_alloc(n);
    float *td2 = objr__bfft_alloc(n), *filt = objr__bfft_alloc(2 * fl);
    float *hist = calloc(N_OBJ * B, sizeof *hist), *out = calloc(2 * B, sizeof *out);
    float *hold = objr__bfft_alloc(N_OBJ * 4 * S);
    size_t nblk = (size_t)(seconds * FS) / B;
    double e = 0, t0 = now_s();
    for (size_t k = 0; k < nblk; k++) {
        memset(out, 0, 2 * B * sizeof *out);
        size_t off = (k * B) % (NOISE_LEN - B);
        for (size_t i = 0; i < N_OBJ; i++) {
            const float *x = noise + (off + 977 * i) % (NOISE_LEN - B);
            memcpy(frame, hist + i * B, B * sizeof *frame);
            memcpy(frame + B, x, B * sizeof *frame);
            memcpy(hist + i * B, x, B * sizeof *x);
            objr__bfft_forward(&f, frame, xr, xi);
            double az, el, d[3];
            trajectory(i, (double)(k * B) / FS, &az, &el);
            objr__hrtf_dir_from_polar(az, el, d);
            objr__hrtf_filter(h, d, -1, filt, filt + fl, NULL);
            float *ho = hold + i * 4 * S;
            for (int ear = 0; ear < 2; ear++) {
                memset(td, 0, n * sizeof *td);
                for (size_t j = 0; j < fl; j++)
                    td[j] = filt[(size_t)ear * fl + j] / (float)n;
                objr__bfft_forward(&f, td, hr + (size_t)ear * 2 * S, hr + (size_t)ear * 2 * S + S);
                /* new filter */
                memset(yr, 0, 2 * S * sizeof *yr);
                objr__bconv_cmac_c(yr, yr + S, xr, xi, hr + (size_t)ear * 2 * S,
                                   hr + (size_t)ear * 2 * S + S, f.k);
                objr__bfft_inverse(&f, yr, yr + S, td);
                /* old filter */
                memset(yr, 0, 2 * S * sizeof *yr);
                objr__bconv_cmac_c(yr, yr + S, xr, xi, ho + (size_t)ear * 2 * S,
                                   ho + (size_t)ear * 2 * S + S, f.k);
                objr__bfft_inverse(&f, yr, yr + S, td2);
                for (size_t j = 0; j < B; j++) {
                    float w = (float)(j + 1) / (float)B;
                    out[(size_t)ear * B + j] += w * td[B + j] + (1 - w) * td2[B + j];
                }
            }
            memcpy(ho, hr, 4 * S * sizeof *hr);
        }
        e += (double)out[0] * out[0];
    }
    double dt = now_s() - t0;
    *out_energy = e;
    objr__bfft_free_buf(frame), objr__bfft_free_buf(xr), objr__bfft_free_buf(xi);
    objr__bfft_free_buf(hr), objr__bfft_free_buf(yr), objr__bfft_free_buf(td);
    objr__bfft_free_buf(td2), objr__bfft_free_buf(filt), objr__bfft_free_buf(hold);
    free(hist), free(out);
    objr__bfft_free(&f);
    objr__hrtf_destroy(h);
    return (double)(nblk * B) / FS / dt;
}

int main(int argc, char **argv) {
    int smoke = 0, objects_only = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--smoke") == 0)
            smoke = 1;
        else if (strcmp(argv[i], "--objects-only") == 0) /* for profiling */
            objects_only = 1;
        else if (strcmp(argv[i], "--fft-measure") ==
                 0) /* FFTW_MEASURE plans (not bit-reproducible) */
            fft_measure = 1;
        else if (strcmp(argv[i], "--block") == 0 && i + 1 < argc)
            block_frames = (size_t)strtoul(argv[++i], NULL, 10);
    }
    double secs = smoke ? 2.0 : 60.0;
    float *noise = make_noise();
    if (!noise)
        return 1;
    double e1, e2, e3;
    double x_obj = run_renderer(0, secs, noise, &e1);
    if (objects_only) {
        printf("  %d moving objects, per-object HRTF : %8.1fx realtime\n", N_OBJ, x_obj);
        free(noise);
        return 0;
    }
    double x_bed = run_renderer(1, secs, noise, &e2);
    double x_base = run_baseline(smoke ? 1.0 : 10.0, noise, &e3);
    printf("bench_binaural (%s, 48 kHz, one thread, x-realtime from thread CPU time, FFTW %s)\n",
           smoke ? "smoke: 2 s" : "60 s", fft_measure ? "MEASURE" : "ESTIMATE");
    printf("  %d moving objects, per-object HRTF : %8.1fx realtime\n", N_OBJ, x_obj);
    printf("  7.1.4 bed, 12 virtual speakers     : %8.1fx realtime\n", x_bed);
    printf("  baseline, per-object iFFT + fades  : %8.1fx realtime\n", x_base);
    printf("  ratio objects / baseline           : %8.2f\n", x_obj / x_base);
    printf("  ratio objects / 7.1.4 bed          : %8.2f\n", x_obj / x_bed);
    printf("  (checksum %g %g %g)\n", e1, e2, e3);
    free(noise);
    return 0;
}
