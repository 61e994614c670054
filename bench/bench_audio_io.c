/* SPDX-License-Identifier: BSD-3-Clause */
/* Benchmark: decode of a 128-channel 24-bit 48 kHz WAV to planar float32 by objr_bwf, against
 * libsndfile's sf_readf_float (interleaved) of the same file in the same run. The renderer's
 * input path; the target is objr_bwf >= libsndfile. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sndfile.h>

#include "formats/audio_io.h"
#include "formats/bwf_internal.h"
#include "objrender/objr.h"

#define BENCH_CHANNELS 128
#define BENCH_RATE_HZ 48000
#define BENCH_FULL_S 60.0
#define BENCH_SMOKE_S 3.0
#define BENCH_BLOCK_FRAMES 1024
#define BENCH_REPEATS 3

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int make_file(const char *path, size_t n_frames, float **pl) {
    objr_bwf_writer_config cfg = objr_bwf_writer_config_default();
    cfg.n_channels = BENCH_CHANNELS;
    cfg.sample_rate_hz = BENCH_RATE_HZ;
    cfg.sample_format = OBJR_BWF_SAMPLE_PCM24;
    objr_bwf_writer *w;
    objr_diag dg;
    objr_diag_clear(&dg);
    if (objr_bwf_writer_create(path, &cfg, &dg, &w) != OBJR_OK) {
        fprintf(stderr, "bench_audio_io: %s\n", dg.message);
        return 1;
    }
    /* Deterministic noise-like content: a different LCG stream per channel. */
    uint32_t seed = 12345;
    for (size_t done = 0; done < n_frames;) {
        size_t k = n_frames - done < BENCH_BLOCK_FRAMES ? n_frames - done : BENCH_BLOCK_FRAMES;
        for (size_t c = 0; c < BENCH_CHANNELS; c++)
            for (size_t i = 0; i < k; i++) {
                seed = seed * 1664525u + 1013904223u;
                pl[c][i] = (float)((double)(int32_t)seed / 4294967296.0);
            }
        if (objr_bwf_writer_write_f32(w, (const float *const *)pl, k) != OBJR_OK) {
            fprintf(stderr, "bench_audio_io: %s\n", objr_bwf_writer_last_error(w));
            objr_bwf_writer_abort(w);
            return 1;
        }
        done += k;
    }
    if (objr_bwf_writer_close(w, &dg) != OBJR_OK) {
        fprintf(stderr, "bench_audio_io: %s\n", dg.message);
        return 1;
    }
    return 0;
}

/* Returns seconds, or -1 on error; *checksum defeats dead-code elimination. */
static double run_objr(const char *path, float **pl, double *checksum) {
    double t0 = now_s();
    objr__audio_reader *r;
    if (objr__audio_reader_open(path, NULL, &r) != OBJR_OK)
        return -1;
    size_t got;
    double sum = 0;
    do {
        if (objr__audio_reader_read_f32(r, pl, BENCH_BLOCK_FRAMES, &got) != OBJR_OK) {
            objr__audio_reader_close(r);
            return -1;
        }
        if (got)
            sum += pl[BENCH_CHANNELS - 1][got - 1];
    } while (got == BENCH_BLOCK_FRAMES);
    objr__audio_reader_close(r);
    *checksum = sum;
    return now_s() - t0;
}

static double run_sndfile(const char *path, float *il, double *checksum) {
    double t0 = now_s();
    SF_INFO si;
    memset(&si, 0, sizeof si);
    SNDFILE *sf = sf_open(path, SFM_READ, &si);
    if (!sf)
        return -1;
    sf_count_t got;
    double sum = 0;
    do {
        got = sf_readf_float(sf, il, BENCH_BLOCK_FRAMES);
        if (got > 0)
            sum += il[(size_t)got * BENCH_CHANNELS - 1];
    } while (got == BENCH_BLOCK_FRAMES);
    sf_close(sf);
    *checksum = sum;
    return now_s() - t0;
}

int main(int argc, char **argv) {
    int smoke = argc > 1 && strcmp(argv[1], "--smoke") == 0;
    double dur_s = smoke ? BENCH_SMOKE_S : BENCH_FULL_S;
    size_t n_frames = (size_t)(dur_s * BENCH_RATE_HZ);
    char path[256];
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/objr-bench-audio-io-%ld.wav", tmp && *tmp ? tmp : "/tmp",
             (long)getpid());
    float *pl[BENCH_CHANNELS];
    for (int c = 0; c < BENCH_CHANNELS; c++)
        pl[c] = malloc(BENCH_BLOCK_FRAMES * sizeof(float));
    float *il = malloc((size_t)BENCH_BLOCK_FRAMES * BENCH_CHANNELS * sizeof(float));
    int rc = make_file(path, n_frames, pl);
    if (rc) {
        remove(path);
        return rc;
    }
    /* Alternate the two readers, keep the best time of each (the file is in the page cache
     * after the write, so both measure decode, not the disk). */
    double best_o = INFINITY, best_s = INFINITY, sum_o = 0, sum_s = 0;
    for (int k = 0; k < BENCH_REPEATS; k++) {
        double to = run_objr(path, pl, &sum_o);
        double ts = run_sndfile(path, il, &sum_s);
        if (to < 0 || ts < 0) {
            fprintf(stderr, "bench_audio_io: read failed\n");
            remove(path);
            return 1;
        }
        best_o = fmin(best_o, to);
        best_s = fmin(best_s, ts);
    }
    remove(path);
    if (sum_o != sum_s) {
        fprintf(stderr, "bench_audio_io: decodes differ (%g vs %g)\n", sum_o, sum_s);
        return 1;
    }
    double mb = (double)n_frames * BENCH_CHANNELS * 3 / 1e6;
    printf("bench_audio_io: %d ch, 24-bit, %d Hz, %.0f s (%.0f MB), block %d frames, best of %d\n",
           BENCH_CHANNELS, BENCH_RATE_HZ, dur_s, mb, BENCH_BLOCK_FRAMES, BENCH_REPEATS);
    printf("  objr_bwf  -> planar float32      : %8.1f x realtime  (%.0f MB/s)\n", dur_s / best_o,
           mb / best_o);
    printf("  libsndfile sf_readf_float (inter.): %8.1f x realtime  (%.0f MB/s)\n", dur_s / best_s,
           mb / best_s);
    printf("  ratio objr_bwf / libsndfile       : %8.2f\n", best_s / best_o);
    for (int c = 0; c < BENCH_CHANNELS; c++)
        free(pl[c]);
    free(il);
    return 0;
}
