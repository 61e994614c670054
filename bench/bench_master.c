/* SPDX-License-Identifier: BSD-3-Clause */
/* Benchmark: measuring and mastering a generated 12-channel 7.1.4 48 kHz render (60 s; 3 s
 * with --smoke), in x-realtime by wall clock and by CPU time (the machine may be shared),
 * against baselines measured in the same run on the same file: libsndfile's bare decode and
 * libebur128 measuring the same figures (I, LRA, 4x true peak). With --ffmpeg, also ffmpeg's
 * two-pass loudnorm, with each tool's integrated-loudness error and true-peak overshoot as
 * read by objrender's meter (BS.1770 Annex 3 weights) and libebur128's true peak. */
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ebur128.h>

#include "objrender/objr.h"

#define BENCH_PI 3.14159265358979323846
#define RATE 48000
#define NCH 12
#define TARGET_LUFS (-14.0)
#define TARGET_TP (-1.0)

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU time of the whole process (all threads). */
static double cpu_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct timing {
    double wall, cpu;
} timing;

static timing t_start(void) {
    timing t = {now_s(), cpu_s()};
    return t;
}

static timing t_since(timing t0) {
    timing t = {now_s() - t0.wall, cpu_s() - t0.cpu};
    return t;
}

static void row(const char *what, double seconds, timing t, timing base) {
    printf("  %-40s %7.1f x rt wall %7.1f x rt CPU  (%.2f x decode CPU)\n", what, seconds / t.wall,
           seconds / t.cpu, t.cpu / base.cpu);
}

/* Baseline 1: libsndfile's bare decode to float. */
static timing bare_decode(const char *path) {
    SF_INFO info = {0};
    timing t0 = t_start();
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    float *buf = malloc((size_t)4096 * (size_t)info.channels * sizeof *buf);
    while (sf && sf_readf_float(sf, buf, 4096) > 0)
        ;
    sf_close(sf);
    free(buf);
    return t_since(t0);
}

/* Baseline 2: libebur128 measuring I, LRA and its 4x true peak, every channel set. */
static timing ebur128_measure(const char *path, const double *w) {
    SF_INFO info = {0};
    timing t0 = t_start();
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    ebur128_state *st = ebur128_init((unsigned)info.channels, (unsigned long)info.samplerate,
                                     EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_TRUE_PEAK);
    for (int c = 0; c < info.channels; c++)
        ebur128_set_channel(st, (unsigned)c,
                            w[c] == 0.0 ? EBUR128_UNUSED
                                        : (w[c] > 1.2 ? EBUR128_Mp090 : EBUR128_Mp030));
    float *buf = malloc((size_t)4096 * (size_t)info.channels * sizeof *buf);
    sf_count_t got;
    while (sf && (got = sf_readf_float(sf, buf, 4096)) > 0)
        ebur128_add_frames_float(st, buf, (size_t)got);
    double v;
    ebur128_loudness_global(st, &v);
    ebur128_loudness_range(st, &v);
    ebur128_destroy(&st);
    sf_close(sf);
    free(buf);
    return t_since(t0);
}

/* A loud, crest-heavy 7.1.4 "render": tones, noise hits with fast decays, a bed of noise. */
static int generate(const char *path, double seconds) {
    SF_INFO info = {0};
    info.samplerate = RATE;
    info.channels = NCH;
    info.format = SF_FORMAT_WAVEX | SF_FORMAT_PCM_24;
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    if (!sf)
        return 0;
    int map[NCH] = {SF_CHANNEL_MAP_FRONT_LEFT,     SF_CHANNEL_MAP_FRONT_RIGHT,
                    SF_CHANNEL_MAP_FRONT_CENTER,   SF_CHANNEL_MAP_LFE,
                    SF_CHANNEL_MAP_REAR_LEFT,      SF_CHANNEL_MAP_REAR_RIGHT,
                    SF_CHANNEL_MAP_SIDE_LEFT,      SF_CHANNEL_MAP_SIDE_RIGHT,
                    SF_CHANNEL_MAP_TOP_FRONT_LEFT, SF_CHANNEL_MAP_TOP_FRONT_RIGHT,
                    SF_CHANNEL_MAP_TOP_REAR_LEFT,  SF_CHANNEL_MAP_TOP_REAR_RIGHT};
    sf_command(sf, SFC_SET_CHANNEL_MAP_INFO, map, sizeof map);
    const size_t blk = 4800;
    float *buf = malloc(blk * NCH * sizeof *buf);
    uint64_t rng = 0x1234567887654321ull;
    size_t n = (size_t)(seconds * RATE);
    double lp[NCH] = {0};
    for (size_t done = 0; done < n; done += blk) {
        for (size_t i = 0; i < blk; i++) {
            double t = (double)(done + i) / RATE;
            double env = exp(-20.0 * fmod(t, 0.5)), env2 = exp(-12.0 * fmod(t + 0.25, 1.0));
            for (int c = 0; c < NCH; c++) {
                rng ^= rng >> 12;
                rng ^= rng << 25;
                rng ^= rng >> 27;
                double u = (double)((rng * 2685821657736338717ull) >> 11) / 9007199254740992.0;
                double nz = 2.0 * u - 1.0;
                lp[c] += 0.3 * (nz - lp[c]);
                double v = 0.06 * sin(2 * BENCH_PI * (110.0 + 37.0 * c) * t) +
                           0.95 * nz * env * env * (c < 3 ? 1.0 : 0.3) + 0.03 * lp[c] +
                           0.08 * sin(2 * BENCH_PI * (1500.0 + 100 * c) * t) * env2;
                if (c == 3)
                    v = 0.2 * sin(2 * BENCH_PI * 45.0 * t);
                buf[i * NCH + (size_t)c] = (float)(0.8 * v);
            }
        }
        sf_writef_float(sf, buf, (sf_count_t)blk);
    }
    free(buf);
    sf_close(sf);
    return 1;
}

/* Extract "key" : "number" from loudnorm's JSON. */
static int json_field(const char *s, const char *key, char *out, size_t n) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\" : \"", key);
    const char *p = strstr(s, pat);
    if (!p)
        return 0;
    p += strlen(pat);
    size_t k = 0;
    while (*p && *p != '"' && k + 1 < n)
        out[k++] = *p++;
    out[k] = 0;
    return 1;
}

static int run_capture(const char *cmd, char *out, size_t n) {
    FILE *f = popen(cmd, "r");
    if (!f)
        return -1;
    size_t k = 0;
    int ch;
    while ((ch = fgetc(f)) != EOF)
        if (k + 1 < n)
            out[k++] = (char)ch;
    out[k] = 0;
    return pclose(f);
}

static void figures(const char *path, double *err_lu, double *over_db) {
    objr_loudness_result r;
    objr_diag d;
    if (objr_master_measure_file(path, NULL, 1, &r, NULL, NULL, &d) != OBJR_OK) {
        *err_lu = *over_db = NAN;
        return;
    }
    *err_lu = r.integrated_lufs - TARGET_LUFS;
    *over_db = fmax(r.true_peak_dbtp, r.true_peak_ebur128_dbtp) - TARGET_TP;
}

/* Wall time of the master's stages, from its progress callback: the analysis reports
 * "measuring", the processing pass "mastering"; what follows the last "mastering" call is
 * the verification read and the delivery. */
typedef struct stage_clock {
    double t0, first_mastering, last_mastering;
    unsigned n_mastering_starts;
    double prev_fraction;
} stage_clock;

static void on_progress(void *user, const objr_progress *p) {
    stage_clock *sc = user;
    if (strcmp(p->stage, "mastering") != 0)
        return;
    double t = now_s();
    if (sc->n_mastering_starts == 0 || p->fraction < sc->prev_fraction) {
        if (sc->n_mastering_starts == 0)
            sc->first_mastering = t;
        sc->n_mastering_starts++;
    }
    sc->prev_fraction = p->fraction;
    sc->last_mastering = t;
}

/* Measuring rows: objrender's meter against libsndfile's decode and libebur128. */
static void measure_rows(const char *in, double seconds, timing t_dec, double *w) {
    objr_loudness_result r;
    objr_diag d;
    unsigned nch;
    timing t0 = t_start();
    if (objr_master_measure_file(in, NULL, 0, &r, w, &nch, &d) != OBJR_OK)
        exit(1);
    timing t_meas = t_since(t0);
    timing t_ebu = ebur128_measure(in, w);
    t0 = t_start();
    if (objr_master_measure_file(in, NULL, 1, &r, NULL, NULL, &d) != OBJR_OK)
        exit(1);
    timing t_meas_ebu = t_since(t0);
    printf("  input: I %.2f LUFS, LRA %.2f LU, TP %.2f dBTP (objrender 8x), %.2f dBTP "
           "(BS.1770 4x, libebur128's filter)\n",
           r.integrated_lufs, r.range_lu, r.true_peak_dbtp, r.true_peak_ebur128_dbtp);
    row("baseline: libsndfile bare decode", seconds, t_dec, t_dec);
    row("baseline: libebur128 (I, LRA, TP 4x)", seconds, t_ebu, t_dec);
    row("measure (I, LRA, M, S, TP 8x)", seconds, t_meas, t_dec);
    row("measure + libebur128's own 4x TP", seconds, t_meas_ebu, t_dec);
    printf("  measure speed-up over the libebur128 baseline (CPU): %.1fx; goal >= 300 x rt on "
           "one core: %s\n",
           t_ebu.cpu / t_meas.cpu, seconds / t_meas.cpu >= 300.0 ? "met" : "NOT met");
}

static objr_master_config bench_config(void) {
    objr_master_config c = objr_master_config_default();
    snprintf(c.target.name, sizeof c.target.name, "custom");
    c.target.kind = OBJR_TARGET_EXACT;
    c.target.integrated_lufs = TARGET_LUFS;
    c.target.true_peak_dbtp = TARGET_TP;
    return c;
}

/* The mastering row with its stage split; *t_master is its timing. */
static int master_rows(const char *in, const char *out, double seconds, timing t_dec,
                       timing *t_master) {
    objr_master_config c = bench_config();
    stage_clock sc;
    memset(&sc, 0, sizeof sc);
    c.on_progress = on_progress;
    c.on_progress_user = &sc;
    objr_master_report rep;
    objr_diag d;
    timing t0 = t_start();
    sc.t0 = t0.wall;
    objr_status st = objr_master_file(&c, in, out, &rep, &d);
    *t_master = t_since(t0);
    if (st != OBJR_OK) {
        fprintf(stderr, "bench_master: %s\n", d.message);
        return 0;
    }
    row("objrender master (analysis..verify)", seconds, *t_master, t_dec);
    double end = t0.wall + t_master->wall;
    printf("  master stages (wall s): analysis %.2f, processing %.2f (%u pass(es)), "
           "verification + delivery %.2f; goal >= 100 x rt wall: %s\n",
           sc.first_mastering - sc.t0, sc.last_mastering - sc.first_mastering, rep.passes,
           end - sc.last_mastering, seconds / t_master->wall >= 100.0 ? "met" : "NOT met");
    printf("  master: %u processing pass(es), GR max %.2f dB, %.1f %% of frames limited\n",
           rep.passes, rep.limiter.max_reduction_db, 100 * rep.limiter.active_fraction);
    return 1;
}

/* How often the prediction needs a second processing pass: targets from -20 to -8 LUFS
 * (the louder, the more the limiter takes). */
static void second_pass_rate(const char *in, const char *out) {
    objr_master_config c = bench_config();
    objr_master_report rep;
    objr_diag d;
    unsigned n_runs = 0, n_second = 0;
    for (double tgt = -20.0; tgt <= -8.0; tgt += 2.0) {
        c.target.integrated_lufs = tgt;
        if (objr_master_file(&c, in, out, &rep, &d) == OBJR_OK || rep.passes) {
            n_runs++;
            n_second += rep.passes > 1;
        }
    }
    printf("  second processing pass needed in %u of %u runs (targets -20..-8 LUFS)\n", n_second,
           n_runs);
}

/* ffmpeg's two-pass loudnorm on the same input: its wall time (NAN when skipped) and its
 * figures. */
static double ffmpeg_loudnorm(const char *in, const char *ffout, double *e_ff, double *o_ff) {
    char buf[65536], cmd[2048], mi[32], mtp[32], mlra[32], mth[32], off[32];
    if (run_capture("ffmpeg -version 2>/dev/null", buf, sizeof buf) != 0)
        return NAN;
    double f0 = now_s();
    snprintf(cmd, sizeof cmd,
             "ffmpeg -hide_banner -nostats -i '%s' -af loudnorm=I=%.1f:TP=%.1f:LRA=20:"
             "print_format=json -f null - 2>&1",
             in, TARGET_LUFS, TARGET_TP);
    run_capture(cmd, buf, sizeof buf);
    if (!(json_field(buf, "input_i", mi, sizeof mi) &&
          json_field(buf, "input_tp", mtp, sizeof mtp) &&
          json_field(buf, "input_lra", mlra, sizeof mlra) &&
          json_field(buf, "input_thresh", mth, sizeof mth) &&
          json_field(buf, "target_offset", off, sizeof off)))
        return NAN;
    snprintf(cmd, sizeof cmd,
             "ffmpeg -hide_banner -nostats -loglevel error -y -i '%s' -af loudnorm=I=%.1f:"
             "TP=%.1f:LRA=20:measured_I=%s:measured_TP=%s:measured_LRA=%s:"
             "measured_thresh=%s:offset=%s:linear=true -ar %d -c:a pcm_s24le '%s' 2>&1",
             in, TARGET_LUFS, TARGET_TP, mi, mtp, mlra, mth, off, RATE, ffout);
    run_capture(cmd, buf, sizeof buf);
    double t_ff = now_s() - f0;
    figures(ffout, e_ff, o_ff);
    return t_ff;
}

int main(int argc, char **argv) {
    int smoke = 0, with_ff = 0, keep = 0;
    for (int i = 1; i < argc; i++) {
        smoke |= !strcmp(argv[i], "--smoke");
        with_ff |= !strcmp(argv[i], "--ffmpeg");
        keep |= !strcmp(argv[i], "--keep-input");
    }
    double seconds = smoke ? 3.0 : 60.0;
    char dir[] = "/tmp/objr_bench_master_XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char in[256], out[256], ffout[256];
    snprintf(in, sizeof in, "%s/render.wav", dir);
    snprintf(out, sizeof out, "%s/master.wav", dir);
    snprintf(ffout, sizeof ffout, "%s/loudnorm.wav", dir);
    if (!generate(in, seconds)) {
        fprintf(stderr, "bench_master: cannot write %s\n", in);
        return 1;
    }
    printf("bench_master: %.0f s, %d channels (7.1.4), %d Hz; target %.0f LUFS / %.0f dBTP\n",
           seconds, NCH, RATE, TARGET_LUFS, TARGET_TP);
    double w[NCH];
    (void)bare_decode(in); /* warm the page cache */
    timing t_dec = bare_decode(in), t_master;
    measure_rows(in, seconds, t_dec, w);
    if (!master_rows(in, out, seconds, t_dec, &t_master))
        return 1;
    double e_obj, o_obj, e_ff = NAN, o_ff = NAN;
    figures(out, &e_obj, &o_obj);
    if (!smoke)
        second_pass_rate(in, out);
    double t_ff = with_ff ? ffmpeg_loudnorm(in, ffout, &e_ff, &o_ff) : NAN;
    if (isfinite(t_ff))
        printf("  %-40s %7.1f x rt wall\n", "ffmpeg loudnorm, two passes", seconds / t_ff);
    else
        printf("  ffmpeg loudnorm: skipped (run with --ffmpeg)\n");
    printf("\n  %-28s %14s %18s\n", "", "I error (LU)", "TP overshoot (dB)");
    printf("  %-28s %+14.2f %+18.2f\n", "objrender", e_obj, o_obj);
    if (isfinite(t_ff)) {
        printf("  %-28s %+14.2f %+18.2f\n", "ffmpeg loudnorm", e_ff, o_ff);
        printf("\n  speed ratio objrender master / ffmpeg loudnorm (wall): %.2f\n",
               t_ff / t_master.wall);
    }
    printf("  (errors read by objrender's meter with BS.1770 Annex 3 weights; overshoot = max of "
           "objrender 8x and BS.1770 4x (libebur128) true peak minus the ceiling; <= 0 is "
           "compliant)\n");
    if (keep) {
        printf("  input kept: %s\n", in);
    } else {
        unlink(in);
        rmdir(dir);
    }
    unlink(out);
    unlink(ffout);
    return 0;
}
