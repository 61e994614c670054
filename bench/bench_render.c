/* SPDX-License-Identifier: BSD-3-Clause */
/* Benchmark of the loudspeaker renderer: generates a 128-track ADM BWF (a 7.1.2
 * DirectSpeakers bed + 118 moving Objects, 24-bit, 60 s; --smoke: 3 s) in /tmp with the
 * library's BWF writer, renders it to 7.1.4, and prints x-realtime of (a) the whole file
 * render (parse, decode, pan, mix, write) on one thread and with the input decoded ahead on a
 * second thread (objr_render_file_options.n_threads 1 and 2), (b) panning/mixing alone on
 * in-memory audio, and (c) libsndfile's plain decode of the same file (sf_readf_float),
 * measured in the same run, with the ratios. (a) and (c) run ROUNDS times, interleaved, and
 * the fastest of each counts (the machine may be shared). Target: (a) with two threads at
 * least as fast as (c) in wall time. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sndfile.h>

#include "objrender/objr.h"
#include "tests/common/xml_builder.h"

#define RATE 48000
#define N_BED 10
#define N_OBJECTS 118
#define N_TRACKS (N_BED + N_OBJECTS)
#define BLOCK_S 0.25 /* object metadata block length, seconds */
#define CHUNK 1024
#define ROUNDS 3

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* CPU time of this process (every thread): the "one core" measure, robust against other
 * load on the machine; wall time also counts waiting for the disk (the writer's fsync). */
static double cpu_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* CPU time of the calling thread alone: with read-ahead, a lower bound on the render's wall
 * time on an idle 2-core machine (reached when the reader thread never holds it up). */
static double thread_cpu_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static const char *const bed_labels[N_BED] = {"M+030", "M-030", "M+000", "LFE1",  "M+110",
                                              "M-110", "M+135", "M-135", "U+030", "U-030"};
static const double bed_az[N_BED] = {30, -30, 0, 0, 110, -110, 135, -135, 30, -30};
static const double bed_el[N_BED] = {0, 0, 0, 0, 0, 0, 0, 0, 30, 30};

/* The scene: one programme, one content, the bed object and 118 objects circling at
 * different speeds and heights (tests/common/xml_builder.h, shared with bench_check). */
static char *scene_xml(double seconds, size_t *len) {
    objr_test_session s = {seconds, BLOCK_S, RATE, N_BED, bed_labels, bed_az, bed_el, N_OBJECTS};
    return objr_test_xml_session(&s, len);
}

static void chna_entries(objr_bwf_chna_entry *e) {
    memset(e, 0, N_TRACKS * sizeof *e);
    for (int i = 0; i < N_TRACKS; i++) {
        e[i].track_index = (uint16_t)(i + 1);
        snprintf(e[i].uid, sizeof e[i].uid, "ATU_%08X", i + 1);
    }
}

static uint32_t lcg(uint32_t *s) {
    *s = *s * 1664525u + 1013904223u;
    return *s;
}

static int write_scene(const char *path, const char *xml, size_t xml_len, long frames) {
    objr_bwf_writer_config wc = objr_bwf_writer_config_default();
    wc.n_channels = N_TRACKS;
    wc.sample_rate_hz = RATE;
    wc.sample_format = OBJR_BWF_SAMPLE_PCM24;
    objr_bwf_writer *w = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    if (objr_bwf_writer_create(path, &wc, &d, &w) != OBJR_OK) {
        fprintf(stderr, "bench_render: %s: %s\n", path, d.message);
        return 0;
    }
    static objr_bwf_chna_entry e[N_TRACKS];
    chna_entries(e);
    if (objr_bwf_writer_set_chna(w, e, N_TRACKS) != OBJR_OK ||
        objr_bwf_writer_set_axml(w, xml, xml_len) != OBJR_OK) {
        objr_bwf_writer_abort(w);
        return 0;
    }
    static float buf[N_TRACKS][CHUNK];
    const float *ptrs[N_TRACKS];
    for (int c = 0; c < N_TRACKS; c++)
        ptrs[c] = buf[c];
    uint32_t seed = 12345;
    for (long pos = 0; pos < frames; pos += CHUNK) {
        size_t m = (size_t)(frames - pos < CHUNK ? frames - pos : CHUNK);
        for (int c = 0; c < N_TRACKS; c++)
            for (size_t i = 0; i < m; i++)
                buf[c][i] = (float)((double)(int32_t)lcg(&seed) * (0.1 / 2147483648.0));
        if (objr_bwf_writer_write_f32(w, ptrs, m) != OBJR_OK) {
            objr_bwf_writer_abort(w);
            return 0;
        }
    }
    objr_diag_clear(&d);
    if (objr_bwf_writer_close(w, &d) != OBJR_OK) {
        fprintf(stderr, "bench_render: %s: %s\n", path, d.message);
        return 0;
    }
    return 1;
}

static double sndfile_decode(const char *path, long *frames_out, double *cpu) {
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *f = sf_open(path, SFM_READ, &info);
    if (!f) {
        fprintf(stderr, "bench_render: libsndfile cannot open %s: %s\n", path, sf_strerror(NULL));
        return -1;
    }
    float *buf = malloc((size_t)info.channels * CHUNK * sizeof(float));
    double t0 = now_s(), c0 = cpu_s(), sink = 0;
    long total = 0;
    sf_count_t got;
    while ((got = sf_readf_float(f, buf, CHUNK)) > 0) {
        total += (long)got;
        sink += buf[0];
    }
    double t = now_s() - t0;
    *cpu = cpu_s() - c0;
    sf_close(f);
    free(buf);
    *frames_out = total;
    if (sink == 12345.678)
        printf(" ");
    return t;
}

/* The library's own BWF decode to planar float (what the render reads through). */
static double objr_decode(const char *path, double *cpu) {
    objr_bwf *f = NULL;
    if (objr_bwf_open_file(path, NULL, NULL, &f) != OBJR_OK)
        return -1;
    static float buf[N_TRACKS][CHUNK];
    float *ptrs[N_TRACKS];
    for (int c = 0; c < N_TRACKS; c++)
        ptrs[c] = buf[c];
    double t0 = now_s(), c0 = cpu_s();
    size_t got = 0;
    do {
        if (objr_bwf_read_f32(f, ptrs, CHUNK, &got) != OBJR_OK)
            break;
    } while (got == CHUNK);
    double t = now_s() - t0;
    *cpu = cpu_s() - c0;
    objr_bwf_close(f);
    return t;
}

/* The library's BWF writer alone: 12 channels of float32 for `frames` frames (to a sibling
 * of the render output, removed afterwards). */
static double write_only(const char *render_path, long frames, double *cpu) {
    char path[300];
    snprintf(path, sizeof path, "%s.write.wav", render_path);
    objr_bwf_writer_config wc = objr_bwf_writer_config_default();
    wc.n_channels = 12;
    wc.sample_rate_hz = RATE;
    wc.sample_format = OBJR_BWF_SAMPLE_FLOAT32;
    wc.large_container = OBJR_BWF_CONTAINER_RF64;
    objr_bwf_writer *w = NULL;
    if (objr_bwf_writer_create(path, &wc, NULL, &w) != OBJR_OK)
        return -1;
    static float buf[12][CHUNK];
    const float *ptrs[12];
    uint32_t seed = 7;
    for (int c = 0; c < 12; c++) {
        ptrs[c] = buf[c];
        for (int i = 0; i < CHUNK; i++)
            buf[c][i] = (float)((double)(int32_t)lcg(&seed) * (0.1 / 2147483648.0));
    }
    double t0 = now_s(), c0 = cpu_s();
    int ok = 1;
    for (long pos = 0; pos < frames && ok; pos += CHUNK) {
        size_t m = (size_t)(frames - pos < CHUNK ? frames - pos : CHUNK);
        ok = objr_bwf_writer_write_f32(w, ptrs, m) == OBJR_OK;
    }
    ok = objr_bwf_writer_close(w, NULL) == OBJR_OK && ok;
    double t = now_s() - t0;
    *cpu = cpu_s() - c0;
    remove(path);
    return ok ? t : -1;
}

/* (a) one whole render with @p threads threads; wall seconds (-1 on failure), *cpu the
 * process CPU seconds (both threads). */
static double render_once(const char *in_path, const char *const *layouts, const char *const *outs,
                          int threads, long frames, double *cpu, double *main_cpu) {
    objr_render_file_options o = objr_render_file_options_default();
    o.n_threads = threads;
    static objr_render_summary sum;
    objr_diag d;
    objr_diag_clear(&d);
    double t0 = now_s(), c0 = cpu_s(), m0 = thread_cpu_s();
    objr_status st = objr_render_file(in_path, layouts, 1, outs, &o, &sum, &d);
    double t = now_s() - t0;
    *cpu = cpu_s() - c0;
    *main_cpu = thread_cpu_s() - m0;
    if (st != OBJR_OK) {
        fprintf(stderr, "bench_render: render failed: %s\n", d.message);
        return -1;
    }
    if (sum.n_frames != (uint64_t)frames || sum.n_objects_items != N_OBJECTS ||
        sum.n_direct_speakers_items != N_BED) {
        fprintf(stderr, "bench_render: unexpected render summary\n");
        return -1;
    }
    return t;
}

/* What the run measures: seconds of wall and CPU time per stage. */
typedef struct figures {
    double t_sf, c_sf;             /* (c) libsndfile decode, best of ROUNDS */
    double t_od, c_od;             /* (d) the library's planar decode */
    double t_whole[2], c_whole[2]; /* (a) one thread, two threads */
    double m_whole[2], r_whole;    /* the calling thread's CPU; the reader thread's */
    double t_create, c_create;     /* renderer create (parse + gains) */
    double t_mix, c_mix;           /* (b) panning/mixing alone */
    double t_write, c_write;       /* (e) writing the output alone */
} figures;

static double min_d(double a, double b) {
    return a < b ? a : b;
}

/* (c) libsndfile decode once to warm the page cache (as the render gets it), then (c), (a) on
 * one thread and (a) on two, ROUNDS times interleaved; the fastest of each counts. */
static int measure_whole(const char *in_path, const char *out_path, long frames, figures *F) {
    long sf_frames = 0;
    double c = 0, m = 0, t = sndfile_decode(in_path, &sf_frames, &c);
    int ok = t > 0 && sf_frames == frames;
    F->t_od = objr_decode(in_path, &F->c_od);
    const char *layouts[] = {"7.1.4"};
    const char *outs[] = {out_path};
    F->t_sf = F->c_sf = F->r_whole = 1e30;
    for (int k = 0; k < 2; k++)
        F->t_whole[k] = F->c_whole[k] = F->m_whole[k] = 1e30;
    for (int round = 0; round < ROUNDS && ok; round++) {
        t = sndfile_decode(in_path, &sf_frames, &c);
        ok = t > 0 && sf_frames == frames;
        F->t_sf = min_d(t, F->t_sf);
        F->c_sf = min_d(c, F->c_sf);
        for (int threads = 1; threads <= 2 && ok; threads++) {
            t = render_once(in_path, layouts, outs, threads, frames, &c, &m);
            ok = t > 0;
            F->m_whole[threads - 1] = min_d(m, F->m_whole[threads - 1]);
            if (threads == 2)
                F->r_whole = min_d(c - m, F->r_whole);
            F->t_whole[threads - 1] = min_d(t, F->t_whole[threads - 1]);
            F->c_whole[threads - 1] = min_d(c, F->c_whole[threads - 1]);
        }
    }
    return ok;
}

/* (b) panning + mixing alone on in-memory audio. */
static int measure_mix(const char *xml, size_t xml_len, long frames, figures *F) {
    static objr_bwf_chna_entry e[N_TRACKS];
    static float inb[N_TRACKS][CHUNK], outb[12][CHUNK];
    const char *layouts[] = {"7.1.4"};
    chna_entries(e);
    objr_renderer *r = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    double t0 = now_s(), c0 = cpu_s();
    objr_status st =
        objr_renderer_create(NULL, xml, xml_len, e, N_TRACKS, N_TRACKS, RATE, layouts, 1, &d, &r);
    F->t_create = now_s() - t0;
    F->c_create = cpu_s() - c0;
    if (st == OBJR_OK) {
        const float *ip[N_TRACKS];
        float *op[12];
        uint32_t seed = 99;
        for (int c = 0; c < N_TRACKS; c++) {
            ip[c] = inb[c];
            for (int i = 0; i < CHUNK; i++)
                inb[c][i] = (float)((double)(int32_t)lcg(&seed) * (0.1 / 2147483648.0));
        }
        for (int c = 0; c < 12; c++)
            op[c] = outb[c];
        t0 = now_s();
        c0 = cpu_s();
        for (long pos = 0; pos < frames && st == OBJR_OK; pos += CHUNK) {
            size_t m = (size_t)(frames - pos < CHUNK ? frames - pos : CHUNK);
            st = objr_renderer_process(r, ip, op, m);
        }
        F->t_mix = now_s() - t0;
        F->c_mix = cpu_s() - c0;
        objr_renderer_destroy(r);
    }
    if (st != OBJR_OK)
        fprintf(stderr, "bench_render: renderer failed: %s\n", d.message);
    return st == OBJR_OK;
}

static void print_figures(const figures *F, double seconds) {
    printf("  CPU features: 0x%x (1 SSE2, 2 AVX2+FMA, 4 NEON)\n", objr_cpu_features());
    printf("                                                       wall: x realtime   CPU: x "
           "realtime\n");
    printf("  (a) whole render (parse, decode, pan/mix, write), best of %d:\n", ROUNDS);
    for (int k = 0; k < 2; k++)
        printf("      %s %7.3f s %8.1f  %7.3f s %8.1f\n",
               k ? "two threads (input read ahead):         "
                 : "one thread:                              ",
               F->t_whole[k], seconds / F->t_whole[k], F->c_whole[k], seconds / F->c_whole[k]);
    printf("  (b) panning/mixing alone:                         %7.3f s %8.1f  %7.3f s %8.1f\n",
           F->t_mix, seconds / F->t_mix, F->c_mix, seconds / F->c_mix);
    printf("      (renderer create, parse + gains: %.3f s wall, %.3f s CPU)\n", F->t_create,
           F->c_create);
    printf("  (c) libsndfile sf_readf_float decode, best of %d:  %7.3f s %8.1f  %7.3f s %8.1f\n",
           ROUNDS, F->t_sf, seconds / F->t_sf, F->c_sf, seconds / F->c_sf);
    printf("  (d) objr_bwf_read_f32 decode only (planar):       %7.3f s %8.1f  %7.3f s %8.1f\n",
           F->t_od, seconds / F->t_od, F->c_od, seconds / F->c_od);
    if (F->t_write > 0)
        printf("  (e) writing the 12-channel float output alone:    %7.3f s %8.1f  %7.3f s %8.1f\n",
               F->t_write, seconds / F->t_write, F->c_write, seconds / F->c_write);
    printf("  ratio whole render / libsndfile decode speed: one thread:  wall %.2f, CPU %.2f\n",
           F->t_sf / F->t_whole[0], F->c_sf / F->c_whole[0]);
    printf("  ratio whole render / libsndfile decode speed: two threads: wall %.2f, CPU %.2f "
           "(target: wall >= 1)\n",
           F->t_sf / F->t_whole[1], F->c_sf / F->c_whole[1]);
    printf("  read-ahead speed-up (one thread / two threads, wall): %.2f\n",
           F->t_whole[0] / F->t_whole[1]);
    printf("  two threads, CPU: calling thread %.3f s, reader thread %.3f s; one thread %.3f s\n"
           "  ratio libsndfile decode CPU / calling thread CPU: %.2f (the most the two-thread wall "
           "ratio can reach on an idle 2-core machine: when the reader thread never holds it up)\n",
           F->m_whole[1], F->r_whole, F->c_whole[0], F->c_sf / F->m_whole[1]);
    printf("  ratio pan+mix / libsndfile decode speed:      wall %.2f, CPU %.2f\n",
           F->t_sf / F->t_mix, F->c_sf / F->c_mix);
}

int main(int argc, char **argv) {
    int smoke = argc > 1 && strcmp(argv[1], "--smoke") == 0;
    const double seconds = smoke ? 3.0 : 60.0;
    const long frames = (long)(seconds * RATE);
    char in_path[256], out_path[256];
    snprintf(in_path, sizeof in_path, "/tmp/objr_bench_render_%ld.wav", (long)getpid());
    snprintf(out_path, sizeof out_path, "/tmp/objr_bench_render_%ld.7.1.4.wav", (long)getpid());

    printf("bench_render: %d tracks (7.1.2 bed + %d moving objects, %.2f s blocks), 24-bit, "
           "%.0f s at %d Hz -> 7.1.4\n",
           N_TRACKS, N_OBJECTS, BLOCK_S, seconds, RATE);
    size_t xml_len;
    char *xml = scene_xml(seconds, &xml_len);
    double t0 = now_s();
    if (!write_scene(in_path, xml, xml_len, frames)) {
        free(xml);
        return 1;
    }
    printf("  generated %s (%.1f MB, axml %.1f MB) in %.2f s\n", in_path,
           (double)frames * N_TRACKS * 3 / 1e6, (double)xml_len / 1e6, now_s() - t0);
    figures F = {0};
    int ok = measure_whole(in_path, out_path, frames, &F) && measure_mix(xml, xml_len, frames, &F);
    /* (e) writing the 7.1.4 float output alone (the render's last stage). */
    F.t_write = ok ? write_only(out_path, frames, &F.c_write) : -1;
    if (!getenv("OBJR_BENCH_KEEP")) { /* keep the files for profiling when set */
        remove(in_path);
        remove(out_path);
    }
    free(xml);
    if (!ok)
        return 1;
    print_figures(&F, seconds);
    return 0;
}
