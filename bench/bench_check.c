/* SPDX-License-Identifier: BSD-3-Clause */
/* Benchmark of the translation check at session scale: generates an ADM BWF in /tmp (a 7.1.4
 * DirectSpeakers bed, 12 tracks, + 118 moving Objects; 16-bit, 48 kHz) of 1, 2 and 4 minutes
 * with 0.25 s blocks, and again with 512-sample blocks (the density of Pro Tools automation:
 * 93.75 blocks per second per object; 4 minutes of it is 2.65 million blocks in a 632 MB axml)
 * (--smoke: 3 s and 2 s), and measures, each in
 * a child process (wall time, x-realtime, peak RSS from wait4): (a) the baseline,
 * objr_render_file of the same scene to 7.1.4, and (b) objr_check_run with the default renders
 * (7.1.4, 5.1, 2.0, 5.1/Lo-Ro/Lt-Rt fold-downs, binaural) and every per-object figure.
 * Targets (issue 13): (b) under 120 s wall for 4 minutes on 2 cores, peak memory under 1 GB
 * and independent of duration: for each block density the last lines print how fast peak RSS
 * grows with programme length (MB per programme second from the shortest length), for the
 * check and for the baseline of the same run. */
#define _DEFAULT_SOURCE 1 /* wait4: the child's own peak RSS */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "objrender/objr.h"
#include "tests/common/xml_builder.h"

#define RATE 48000
#define N_BED 12
#define N_OBJECTS 118
#define N_TRACKS (N_BED + N_OBJECTS)
#define BLOCK_S 0.25
/* 512 samples (+ half a sample, so that the builder's truncation to whole samples gives 512) */
#define DENSE_BLOCK_S (512.5 / RATE)
#define CHUNK 4096

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static const char *const bed_labels[N_BED] = {"M+030", "M-030", "M+000", "LFE1",  "M+135", "M-135",
                                              "M+090", "M-090", "U+045", "U-045", "U+135", "U-135"};
static const double bed_az[N_BED] = {30, -30, 0, 0, 135, -135, 90, -90, 45, -45, 135, -135};
static const double bed_el[N_BED] = {0, 0, 0, 0, 0, 0, 0, 0, 30, 30, 30, 30};

/* One programme: the bed and 118 objects circling at different speeds and heights
 * (tests/common/xml_builder.h, shared with bench_render). */
static char *scene_xml(double seconds, double block_s, size_t *len) {
    objr_test_session s = {seconds, block_s, RATE, N_BED, bed_labels, bed_az, bed_el, N_OBJECTS};
    return objr_test_xml_session(&s, len);
}

static uint32_t lcg(uint32_t *s) {
    *s = *s * 1664525u + 1013904223u;
    return *s;
}

/* Noise per track at its own level (bed -30 dBFS RMS, objects -26 .. -46), in 2 s phrases. */
static int write_scene(const char *path, double seconds, double block_s) {
    size_t xml_len;
    char *xml = scene_xml(seconds, block_s, &xml_len);
    objr_bwf_writer_config wc = objr_bwf_writer_config_default();
    wc.n_channels = N_TRACKS;
    wc.sample_rate_hz = RATE;
    wc.sample_format = OBJR_BWF_SAMPLE_PCM16;
    objr_bwf_writer *w = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    static objr_bwf_chna_entry e[N_TRACKS];
    memset(e, 0, sizeof e);
    for (int i = 0; i < N_TRACKS; i++) {
        e[i].track_index = (uint16_t)(i + 1);
        snprintf(e[i].uid, sizeof e[i].uid, "ATU_%08X", i + 1);
    }
    int ok = objr_bwf_writer_create(path, &wc, &d, &w) == OBJR_OK &&
             objr_bwf_writer_set_chna(w, e, N_TRACKS) == OBJR_OK &&
             objr_bwf_writer_set_axml(w, xml, xml_len) == OBJR_OK;
    free(xml);
    static float buf[N_TRACKS][CHUNK];
    const float *ptrs[N_TRACKS];
    double amp[N_TRACKS];
    for (int c = 0; c < N_TRACKS; c++) {
        ptrs[c] = buf[c];
        amp[c] = (c < N_BED ? 0.032 : 0.05 * pow(10.0, -(double)(c % 11) / 10.0)) * sqrt(3.0);
    }
    uint32_t seed = 12345;
    const long frames = (long)(seconds * RATE);
    for (long pos = 0; pos < frames && ok; pos += CHUNK) {
        size_t m = (size_t)(frames - pos < CHUNK ? frames - pos : CHUNK);
        for (int c = 0; c < N_TRACKS; c++) {
            /* objects rest in every third 2 s phrase of their own */
            int rest = c >= N_BED && ((pos / (2 * RATE)) + c) % 3 == 0;
            for (size_t i = 0; i < m; i++)
                buf[c][i] =
                    rest ? 0.0f : (float)((double)(int32_t)lcg(&seed) * (amp[c] / 2147483648.0));
        }
        ok = objr_bwf_writer_write_f32(w, ptrs, m) == OBJR_OK;
    }
    if (!ok) {
        objr_bwf_writer_abort(w);
        fprintf(stderr, "bench_check: cannot write %s\n", path);
        return 0;
    }
    return objr_bwf_writer_close(w, &d) == OBJR_OK;
}

typedef struct job {
    const char *path;
    double seconds;
    int check; /* 0 = the baseline 7.1.4 render */
} job;

static int run_job(const job *j) {
    objr_diag d;
    objr_diag_clear(&d);
    if (!j->check) {
        char out[300];
        snprintf(out, sizeof out, "%s.7.1.4.wav", j->path);
        const char *layouts[] = {"7.1.4"}, *outs[] = {out};
        objr_render_file_options o = objr_render_file_options_default();
        objr_render_summary sum;
        objr_status st = objr_render_file(j->path, layouts, 1, outs, &o, &sum, &d);
        remove(out);
        if (st != OBJR_OK)
            fprintf(stderr, "bench_check: render: %s\n", d.message);
        return st == OBJR_OK ? 0 : 1;
    }
    objr_check_config cfg = objr_check_config_default();
    objr_check_report *r = NULL;
    objr_status st = objr_check_run(j->path, &cfg, &r, &d);
    if (st != OBJR_OK) {
        fprintf(stderr, "bench_check: check: %s\n", d.message);
        return 1;
    }
    objr_check_report_destroy(r);
    return 0;
}

/* Runs @p j in a child; wall time and the child's peak RSS (MB). */
static int measure(const job *j, double *wall_s, double *cpu_s, double *rss_mb) {
    fflush(stdout);
    double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0)
        _exit(run_job(j));
    int status = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) != pid)
        return 0;
    *wall_s = now_s() - t0;
    *cpu_s = (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
             (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
    *rss_mb = (double)ru.ru_maxrss / 1024.0;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* One scene density: its block length and programme lengths; peak RSS per length. */
typedef struct series {
    const char *name;
    double block_s;
    double secs[3];
    size_t n;
    double rss_base[3], rss_check[3];
} series;

/* Generate, render and check each length of @p sr, printing one row per job. */
static int run_series(series *sr) {
    for (size_t i = 0; i < sr->n; i++) {
        const double dur = sr->secs[i];
        char path[256];
        snprintf(path, sizeof path, "/tmp/objr_bench_check_%ld_%.0f_%.0f.wav", (long)getpid(), dur,
                 sr->block_s * RATE);
        double t0 = now_s();
        if (!write_scene(path, dur, sr->block_s))
            return 0;
        printf("  (%s: generated %.0f s in %.1f s)\n", sr->name, dur, now_s() - t0);
        double tb = 0, cb = 0, rb = 0, tc = 0, cc = 0, rc = 0;
        job base = {path, dur, 0}, chk = {path, dur, 1};
        int ok = measure(&base, &tb, &cb, &rb) && measure(&chk, &tc, &cc, &rc);
        if (!getenv("OBJR_BENCH_KEEP"))
            remove(path);
        if (!ok)
            return 0;
        printf("  %-8.0f %-24s %8.2f %8.2f %11.1f %11.0f\n", dur, "7.1.4 render (baseline)", tb, cb,
               dur / tb, rb);
        printf("  %-8.0f %-24s %8.2f %8.2f %11.1f %11.0f\n", dur, "objcheck (all renders)", tc, cc,
               dur / tc, rc);
        printf("  %-8.0f %-24s %8.2f %8.2f %11s %11.2f\n", dur, "ratio check / baseline", tc / tb,
               cc / cb, "", rc / rb);
        sr->rss_base[i] = rb;
        sr->rss_check[i] = rc;
    }
    return 1;
}

/* Peak RSS growth of each length against the shortest, per programme second. */
static void print_slopes(const series *sr) {
    for (size_t i = 1; i < sr->n; i++) {
        const double dt = sr->secs[i] - sr->secs[0];
        const double gc = sr->rss_check[i] - sr->rss_check[0];
        const double gb = sr->rss_base[i] - sr->rss_base[0];
        printf("  %s, %.0f -> %.0f s: peak RSS check %+.0f MB, baseline %+.0f MB; slope %.3f "
               "MB/s against %.3f (check - baseline %+.3f MB per programme second)\n",
               sr->name, sr->secs[0], sr->secs[i], gc, gb, gc / dt, gb / dt, (gc - gb) / dt);
    }
}

int main(int argc, char **argv) {
    int smoke = argc > 1 && strcmp(argv[1], "--smoke") == 0;
    /* --seconds S / --dense S: one length of the 0.25 s or the 512-sample scene, to profile */
    double one = 0, dense = 0;
    if (argc > 2 && strcmp(argv[1], "--seconds") == 0)
        one = atof(argv[2]);
    if (argc > 2 && strcmp(argv[1], "--dense") == 0)
        dense = atof(argv[2]);
    series sr[2] = {{"0.25 s blocks", BLOCK_S, {60.0, 120.0, 240.0}, 3, {0}, {0}},
                    {"512-sample blocks", DENSE_BLOCK_S, {60.0, 120.0, 240.0}, 3, {0}, {0}}};
    size_t n_series = 2;
    series *first = sr;
    if (smoke) {
        sr[0].secs[0] = 3.0, sr[0].n = 1;
        sr[1].secs[0] = 2.0, sr[1].n = 1;
    } else if (one > 0) {
        sr[0].secs[0] = one, sr[0].n = 1, n_series = 1;
    } else if (dense > 0) {
        sr[1].secs[0] = dense, sr[1].n = 1, n_series = 1, first = &sr[1];
    }
    printf("bench_check: %d tracks (7.1.4 bed + %d moving objects), 16-bit, %d Hz; check = "
           "7.1.4 + 5.1, 2.0, 5.1/Lo-Ro/Lt-Rt fold-downs, binaural, all per-object figures\n",
           N_TRACKS, N_OBJECTS, RATE);
    printf("  (wall time counts other load on the machine; CPU time is the process's own)\n");
    printf("  %-8s %-24s %8s %8s %11s %11s\n", "length s", "job", "wall s", "CPU s", "x realtime",
           "peak RSS MB");
    for (size_t k = 0; k < n_series; k++)
        if (!run_series(&first[k])) {
            fprintf(stderr, "bench_check: a job failed\n");
            return 1;
        }
    for (size_t k = 0; k < n_series; k++)
        print_slopes(&first[k]);
    return 0;
}
