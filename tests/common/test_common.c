/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared test helpers (see test_common.h). */
#include "common/test_common.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/core/core.h"

#define DEFAULT_SEED 0x6f626a72656e6472ull /* "objrendr" */

uint64_t objr_test_seed(void) {
    const char *s = getenv("OBJR_TEST_SEED");
    if (s && *s)
        return strtoull(s, NULL, 0);
    return DEFAULT_SEED;
}

void objr_test_rng_init(objr_test_rng *r) {
    r->s = objr_test_seed() ? objr_test_seed() : DEFAULT_SEED;
}

double objr_test_rng_uniform(objr_test_rng *r) {
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    uint64_t v = r->s * 2685821657736338717ull;
    return (double)(v >> 11) * (1.0 / 9007199254740992.0);
}

double objr_test_rng_range(objr_test_rng *r, double lo, double hi) {
    return lo + (hi - lo) * objr_test_rng_uniform(r);
}

void objr_test_sine(float *x, size_t n, double amp, double freq_hz, double rate_hz,
                    double phase_rad) {
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(amp * sin(2.0 * OBJR_PI * freq_hz * (double)i / rate_hz + phase_rad));
}

void objr_test_noise(objr_test_rng *r, float *x, size_t n, double amp) {
    for (size_t i = 0; i < n; i++)
        x[i] = (float)objr_test_rng_range(r, -amp, amp);
}

double objr_test_power_db(const float *x, size_t n) {
    double acc = 0;
    for (size_t i = 0; i < n; i++)
        acc += (double)x[i] * (double)x[i];
    return n ? 10.0 * log10(acc / (double)n) : -INFINITY;
}

double objr_test_db(double a) {
    return 20.0 * log10(a);
}

const char *objr_test_shared_dir(void) {
    static char buf[4096];
    const char *env = getenv("OBJR_SHARED_DIR");
    const char *dir = env && *env ? env : OBJR_TEST_SHARED_DIR;
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return NULL;
    int n = snprintf(buf, sizeof buf, "%s", dir);
    if (n < 0 || (size_t)n >= sizeof buf)
        return NULL;
    return buf;
}

const char *objr_test_corpus_path(const char *name) {
    static char buf[4096];
    const char *shared = objr_test_shared_dir();
    if (!shared)
        return NULL;
    int n = snprintf(buf, sizeof buf, "%s/adm-corpus/%s", shared, name);
    if (n < 0 || (size_t)n >= sizeof buf)
        return NULL;
    struct stat st;
    if (stat(buf, &st) != 0)
        return NULL;
    return buf;
}

const char *objr_test_bin_dir(void) {
    return OBJR_TEST_BIN_DIR;
}

const char *objr_test_tmpdir(void) {
    static char buf[256];
    if (!buf[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(buf, sizeof buf, "%s/objr-test-XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(buf))
            buf[0] = 0;
    }
    return buf;
}

unsigned char *objr_test_read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)(n > 0 ? n : 0) + 1);
    if (buf && n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n > 0 ? n : 0] = 0;
        *size = (size_t)(n > 0 ? n : 0);
    }
    return buf;
}

int objr_test_run(Suite *s) {
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (failed)
        fprintf(stderr, "test seed: OBJR_TEST_SEED=0x%llx\n", (unsigned long long)objr_test_seed());
    return failed != 0;
}

size_t objr_test_dir_entries(const char *dir) {
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}
