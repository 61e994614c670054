/* SPDX-License-Identifier: BSD-3-Clause */
/* Benchmark of the limiter's transparency, per style (issue 12): for a stereo streaming master
 * and a 7.1.4 master of a music-like signal (objdemo's synthesiser, arranged in sections of
 * different loudness, set to -20 LUFS and mastered to -14 LUFS / -1 dBTP: a +6 dB push), the
 * loudness-range change, the share of time with more than 1 dB of gain reduction and the
 * deepest reduction; and the THD+N the limiter adds to 100 Hz and 1 kHz sines whose true peak
 * is 3 dB over the ceiling (least-squares notch of the fundamental, tests/common/thdn.h).
 * Goals: LRA change within 1 LU, THD+N below -60 dB at the default style. */
#include <math.h>
#include <sndfile.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "objrender/objr.h"
#include "tests/common/thdn.h"
#include "tools/demo/demo_synth.h"

#define RATE OBJR__DEMO_RATE_HZ
#define TARGET_LUFS (-14.0)
#define TARGET_TP (-1.0)
#define PUSH_DB 6.0
#define BLOCK 480
#define MAX_CH 12
/* Level of the drum transients against the demo bed (peak-normalised to -8 dBFS). */
#define DRUM_LEVEL 0.8

/* ---------------------------------------------------------------------------------------- */
/* The music: the demo piece mixed to stereo or 7.1.4, arranged in sections                  */
/* ---------------------------------------------------------------------------------------- */

/* Section levels (dB) of the arrangement over a 60 s run: intro, verse, chorus, break,
 * chorus, joined by 1.5 s ramps; the piece loops every 30 s. */
static double section_db(double t) {
    static const double at_s[] = {0, 8, 22, 36, 46, 1e9};
    static const double lev_db[] = {-8, -4, 0, -10, 0};
    for (int k = 0; k < 5; k++) {
        if (t >= at_s[k + 1])
            continue;
        double ramp = 1.5, x = (t - at_s[k]) / ramp;
        if (k == 0 || x >= 1.0)
            return lev_db[k];
        double w = 0.5 - 0.5 * cos(OBJR_PI * x);
        return lev_db[k - 1] + w * (lev_db[k] - lev_db[k - 1]);
    }
    return lev_db[4];
}

/* Constant-power pairwise panning on a ring of loudspeakers (azimuth degrees, positive left,
 * listed in increasing azimuth). */
static void pan_ring(double az, const double *ring_az, const int *ring_ch, int n, double *g) {
    az = fmod(az + 540.0, 360.0) - 180.0;
    for (int k = 0; k < n; k++) {
        double a0 = ring_az[k], a1 = k + 1 < n ? ring_az[k + 1] : ring_az[0] + 360.0;
        double x = az < a0 ? az + 360.0 : az;
        if (x >= a0 && x <= a1) {
            double f = (x - a0) / (a1 - a0);
            g[ring_ch[k]] += cos(0.5 * OBJR_PI * f);
            g[ring_ch[(k + 1) % n]] += sin(0.5 * OBJR_PI * f);
            return;
        }
    }
}

/* Gains of an object at (az, el) in the output layout. */
static void object_gains(unsigned nc, double az, double el, double *g) {
    memset(g, 0, MAX_CH * sizeof *g);
    if (nc == 2) { /* fold the rear half to the front, then pan between +-30 deg */
        if (az > 90)
            az = 180 - az;
        if (az < -90)
            az = -180 - az;
        double f = (fmax(-30.0, fmin(30.0, az)) + 30.0) / 60.0;
        g[0] = sin(0.5 * OBJR_PI * f);
        g[1] = cos(0.5 * OBJR_PI * f);
        return;
    }
    /* 7.1.4 in WAVE order: FL FR FC LFE BL BR SL SR TFL TFR TBL TBR */
    static const double mid_az[] = {-135, -90, -30, 0, 30, 90, 135};
    static const int mid_ch[] = {5, 7, 1, 2, 0, 6, 4};
    static const double top_az[] = {-135, -45, 45, 135};
    static const int top_ch[] = {11, 9, 8, 10};
    double wt = fmax(0.0, fmin(1.0, el / 45.0)), gm[MAX_CH] = {0}, gt[MAX_CH] = {0};
    pan_ring(az, mid_az, mid_ch, 7, gm);
    pan_ring(az, top_az, top_ch, 4, gt);
    for (int c = 0; c < MAX_CH; c++)
        g[c] = cos(0.5 * OBJR_PI * wt) * gm[c] + sin(0.5 * OBJR_PI * wt) * gt[c];
}

/* Bed (7.1.2: M+030 M-030 M+000 LFE1 M+090 M-090 M+135 M-135 U+090 U-090) into the output. */
static void bed_gains(unsigned nc, int bed, double *g) {
    memset(g, 0, MAX_CH * sizeof *g);
    const double h = sqrt(0.5);
    if (nc == 2) { /* front pair straight, centre and LFE to both, the rest to its side */
        static const double l[] = {1, 0, 0.7071, 0.5, 0.7071, 0, 0.7071, 0, 0.7071, 0};
        static const double r[] = {0, 1, 0.7071, 0.5, 0, 0.7071, 0, 0.7071, 0, 0.7071};
        g[0] = l[bed];
        g[1] = r[bed];
        return;
    }
    static const int to714[] = {0, 1, 2, 3, 6, 7, 4, 5, -1, -1};
    if (bed < 8)
        g[to714[bed]] = 1.0;
    else {
        g[bed == 8 ? 8 : 9] = h; /* the 7.1.2 height pair between the 7.1.4 front and rear */
        g[bed == 8 ? 10 : 11] = h;
    }
}

/* The drums' transients as an unmastered mix has them (the demo's bed is peak-normalised):
 * a kick on every beat (a 150 -> 50 Hz sweep, 2 ms click, 180 ms decay) and a snare on beats
 * 2 and 4 (noise burst, 70 ms decay), at 100 BPM. Their peaks set the mix's peak-to-loudness
 * ratio near 18 dB, as in dynamic unmastered pop and rock mixes. */
static double drum_hit(double t, uint64_t *rng) {
    const double beat = 60.0 / OBJR__DEMO_TEMPO_BPM;
    double tb = fmod(t, beat);
    int n = (int)(t / beat);
    double kick =
        exp(-tb / 0.18) * sin(2 * OBJR_PI * (50.0 * tb + 100.0 * 0.03 * (1 - exp(-tb / 0.03))));
    kick += tb < 0.002 ? 0.5 * (1.0 - tb / 0.002) : 0.0;
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    double nz = (double)(*rng >> 11) / 4503599627370496.0 - 1.0;
    double snare =
        (n % 2 == 1) ? exp(-tb / 0.07) * (0.8 * nz + 0.5 * sin(2 * OBJR_PI * 190 * tb)) : 0;
    return 0.55 * kick + 0.45 * snare;
}

/* Render @p seconds of the arranged demo into an interleaved buffer of nc channels. */
static float *make_music(unsigned nc, double seconds, size_t *n_out) {
    objr__demo_synth *s = NULL;
    if (objr__demo_synth_create(0x6c696d6974ull, &s) != OBJR_OK)
        return NULL;
    size_t n = (size_t)(seconds * RATE);
    float *mix = calloc(n * nc, sizeof *mix);
    float *tr = malloc((size_t)OBJR__DEMO_N_TRACKS * BLOCK * sizeof *tr);
    float *tp[OBJR__DEMO_N_TRACKS];
    for (int k = 0; k < OBJR__DEMO_N_TRACKS; k++)
        tp[k] = tr + (size_t)k * BLOCK;
    double gains[OBJR__DEMO_N_TRACKS][MAX_CH];
    uint64_t rng = 0x9e3779b97f4a7c15ull;
    for (int b = 0; b < OBJR__DEMO_N_BED; b++)
        bed_gains(nc, b, gains[b]);
    for (size_t done = 0; mix && tr && done < n; done += BLOCK) {
        size_t m = n - done < BLOCK ? n - done : BLOCK;
        if (objr__demo_synth_render(s, tp, BLOCK) == 0) {
            objr__demo_synth_reset(s); /* loop the piece */
            objr__demo_synth_render(s, tp, BLOCK);
        }
        double t = (double)done / RATE;
        for (int k = OBJR__DEMO_N_BED; k < OBJR__DEMO_N_TRACKS; k++) {
            objr__demo_pos p;
            objr__demo_position(k, fmod(t, OBJR__DEMO_DURATION_S), &p);
            double az = p.cartesian ? atan2(-p.x, p.y) * 180.0 / OBJR_PI : p.azimuth_deg;
            double el =
                p.cartesian ? atan2(p.z, hypot(p.x, p.y)) * 180.0 / OBJR_PI : p.elevation_deg;
            object_gains(nc, az, el, gains[k]);
        }
        double lev = pow(10.0, section_db(t) / 20.0);
        for (size_t i = 0; i < m; i++) {
            float *f = mix + (done + i) * nc;
            for (int k = 0; k < OBJR__DEMO_N_TRACKS; k++)
                for (unsigned c = 0; c < nc; c++)
                    f[c] += (float)(lev * gains[k][c] * tp[k][i]);
            double d = lev * DRUM_LEVEL * drum_hit((double)(done + i) / RATE, &rng);
            f[0] += (float)d; /* centred: L and R; FL, FR and FC in 7.1.4 */
            f[1] += (float)d;
            if (nc > 2)
                f[2] += (float)d;
        }
    }
    free(tr);
    objr__demo_synth_destroy(s);
    *n_out = n;
    return mix;
}

/* Write @p x scaled so that its integrated loudness is @p lufs (float WAV, with the mask). */
static int write_at(const char *path, unsigned nc, float *x, size_t n, double lufs) {
    objr_loudness_config lc = objr_loudness_config_default();
    double w[MAX_CH];
    uint32_t mask = objr_loudness_default_mask(nc);
    if (objr_loudness_weights_from_mask(mask, nc, w) != OBJR_OK)
        return 0;
    lc.rate_hz = RATE;
    lc.n_channels = nc;
    lc.weights = w;
    objr_loudness_meter *m = NULL;
    if (objr_loudness_meter_create(&lc, &m) != OBJR_OK)
        return 0;
    objr_loudness_meter_add_interleaved_f32(m, x, n);
    objr_loudness_result r;
    objr_loudness_meter_get(m, &r);
    objr_loudness_meter_destroy(m);
    printf("  %u-channel input: peak-to-loudness ratio %.1f dB (true peak - integrated)\n", nc,
           r.true_peak_dbtp - r.integrated_lufs);
    float g = (float)pow(10.0, (lufs - r.integrated_lufs) / 20.0);
    for (size_t i = 0; i < n * nc; i++)
        x[i] *= g;
    SF_INFO info = {0};
    info.samplerate = RATE;
    info.channels = (int)nc;
    info.format = SF_FORMAT_WAVEX | SF_FORMAT_FLOAT;
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    if (!sf)
        return 0;
    if (nc == 12) {
        int map[12] = {SF_CHANNEL_MAP_FRONT_LEFT,     SF_CHANNEL_MAP_FRONT_RIGHT,
                       SF_CHANNEL_MAP_FRONT_CENTER,   SF_CHANNEL_MAP_LFE,
                       SF_CHANNEL_MAP_REAR_LEFT,      SF_CHANNEL_MAP_REAR_RIGHT,
                       SF_CHANNEL_MAP_SIDE_LEFT,      SF_CHANNEL_MAP_SIDE_RIGHT,
                       SF_CHANNEL_MAP_TOP_FRONT_LEFT, SF_CHANNEL_MAP_TOP_FRONT_RIGHT,
                       SF_CHANNEL_MAP_TOP_REAR_LEFT,  SF_CHANNEL_MAP_TOP_REAR_RIGHT};
        sf_command(sf, SFC_SET_CHANNEL_MAP_INFO, map, sizeof map);
    }
    int ok = sf_writef_float(sf, x, (sf_count_t)n) == (sf_count_t)n;
    return sf_close(sf) == 0 && ok;
}

/* Master @p in per style and print one row each. */
static int master_case(const char *label, const char *in, const char *out) {
    for (int s = 0; s < OBJR_LIMITER_N_STYLES; s++) {
        objr_master_config c = objr_master_config_default();
        snprintf(c.target.name, sizeof c.target.name, "custom");
        c.target.kind = OBJR_TARGET_EXACT;
        c.target.integrated_lufs = TARGET_LUFS;
        c.target.true_peak_dbtp = TARGET_TP;
        c.limiter_style = (objr_limiter_style)s;
        objr_master_report r;
        objr_diag d;
        objr_diag_clear(&d);
        if (objr_master_file(&c, in, out, &r, &d) != OBJR_OK) {
            fprintf(stderr, "bench_limiter: %s: %s\n", label, d.message);
            return 0;
        }
        printf("  %-7s %-12s %6.2f %7.2f %+6.2f %9.1f %7.2f %7.2f %7.2f %7.2f %3u\n", label,
               objr_limiter_style_name((objr_limiter_style)s), r.before.range_lu, r.after.range_lu,
               r.after.range_lu - r.before.range_lu, 100.0 * r.limiter.over_1db_fraction,
               r.limiter.max_reduction_db, r.gain_db, r.after.integrated_lufs,
               fmax(r.after.true_peak_dbtp, r.after.true_peak_ebur128_dbtp), r.passes);
        unlink(out);
    }
    return 1;
}

/* THD+N (dB) the limiter of @p style adds to a stereo sine at @p f_hz with its true peak
 * 3 dB over the ceiling; measured over 1 s after 1 s of settling. */
static double sine_thdn(objr_limiter_style style, double f_hz) {
    objr_limiter_config lc = objr_limiter_config_default();
    lc.rate_hz = RATE;
    lc.ceiling_dbtp = TARGET_TP;
    lc.style = style;
    objr_limiter *l = NULL;
    if (objr_limiter_create(&lc, &l) != OBJR_OK)
        return NAN;
    const size_t n = 2 * RATE, lat = objr_limiter_latency_frames(l);
    float *x = calloc(n + lat, sizeof *x), *y = calloc(n + lat, sizeof *y);
    const double amp = pow(10.0, (TARGET_TP + 3.0) / 20.0);
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(amp * sin(2.0 * OBJR_PI * f_hz * (double)i / RATE));
    const float *in[2] = {x, x};
    float *o[2] = {y, y};
    objr_limiter_process(l, in, o, n + lat, NULL);
    objr_limiter_destroy(l);
    double thdn = objr_test_thdn_db(y + lat + RATE, RATE - lat, f_hz, RATE);
    free(x);
    free(y);
    return thdn;
}

int main(int argc, char **argv) {
    int smoke = 0;
    for (int i = 1; i < argc; i++)
        smoke |= !strcmp(argv[i], "--smoke");
    const double seconds = smoke ? 12.0 : 60.0;
    char dir[] = "/tmp/objr_bench_limiter_XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char in[256], out[256];
    snprintf(in, sizeof in, "%s/in.wav", dir);
    snprintf(out, sizeof out, "%s/out.wav", dir);
    printf("bench_limiter: objdemo's piece arranged in sections (%.0f s), set to %.0f LUFS and "
           "mastered to %.0f LUFS / %.0f dBTP (a +%.0f dB push)\n",
           seconds, TARGET_LUFS - PUSH_DB, TARGET_LUFS, TARGET_TP, PUSH_DB);
    printf("  %-7s %-12s %6s %7s %6s %9s %7s %7s %7s %7s %3s\n", "case", "style", "LRA in",
           "LRA out", "dLRA", "GR>1dB %", "GR max", "gain", "I out", "TP out", "ps");
    static const unsigned layouts[] = {2, 12};
    static const char *const names[] = {"stereo", "7.1.4"};
    int ok = 1;
    for (int k = 0; k < 2 && ok; k++) {
        size_t n = 0;
        float *x = make_music(layouts[k], seconds, &n);
        ok = x && write_at(in, layouts[k], x, n, TARGET_LUFS - PUSH_DB) &&
             master_case(names[k], in, out);
        free(x);
        unlink(in);
    }
    rmdir(dir);
    printf("  (dLRA = LRA out - LRA in, goal |dLRA| <= 1 LU; GR>1dB = share of time with more "
           "than 1 dB of gain reduction; ps = processing passes)\n\n");
    printf("  THD+N added to a sine 3 dB over the ceiling (goal < -60 dB at the default style)\n");
    printf("  %-12s %10s %10s\n", "style", "100 Hz", "1 kHz");
    for (int s = 0; s < OBJR_LIMITER_N_STYLES; s++)
        printf("  %-12s %7.1f dB %7.1f dB\n", objr_limiter_style_name((objr_limiter_style)s),
               sine_thdn((objr_limiter_style)s, 100.0), sine_thdn((objr_limiter_style)s, 1000.0));
    return ok ? 0 : 1;
}
