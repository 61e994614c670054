/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared test helpers: seeded PRNG, signal generators, dB/float tolerance asserts, paths to
 * the shared corpus and the build tree (STYLE.md §9). */
#ifndef OBJR_TESTS_COMMON_TEST_COMMON_H
#define OBJR_TESTS_COMMON_TEST_COMMON_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

/** Seed from OBJR_TEST_SEED or a fixed default; printed by objr_test_run on failure. */
uint64_t objr_test_seed(void);
/** xorshift64* PRNG state seeded from objr_test_seed(). */
typedef struct objr_test_rng {
    uint64_t s;
} objr_test_rng;
void objr_test_rng_init(objr_test_rng *r);
/** Uniform in [0, 1). */
double objr_test_rng_uniform(objr_test_rng *r);
/** Uniform in [lo, hi). */
double objr_test_rng_range(objr_test_rng *r, double lo, double hi);

/** Fill x[0..n) with amp*sin(2*pi*freq_hz*t + phase_rad), t = i / rate_hz. */
void objr_test_sine(float *x, size_t n, double amp, double freq_hz, double rate_hz,
                    double phase_rad);
/** Uniform white noise in [-amp, amp). */
void objr_test_noise(objr_test_rng *r, float *x, size_t n, double amp);

/** 10*log10 of mean square; -inf for silence. */
double objr_test_power_db(const float *x, size_t n);
/** 20*log10(a). */
double objr_test_db(double a);

/** Path of ../shared next to the checkout, or NULL when absent (tests then skip cleanly). */
const char *objr_test_shared_dir(void);
/** Path of a file in ../shared/adm-corpus, or NULL when the corpus is absent. Static buffer. */
const char *objr_test_corpus_path(const char *name);
/** Path of the build tree (for the tools). */
const char *objr_test_bin_dir(void);
/** A fresh temporary directory for this test process (created on first call). */
const char *objr_test_tmpdir(void);

/** Entries of folder @p dir other than . and .. (fails the test when it cannot be read). */
size_t objr_test_dir_entries(const char *dir);

/** Read a whole (small, test-only) file; returns NULL on error. Caller frees. */
unsigned char *objr_test_read_file(const char *path, size_t *size);

/** Run one suite with Check and return the process exit status (0 when all passed). */
int objr_test_run(Suite *s);

#define OBJR_TEST_MAIN(suite_fn)                                                                   \
    int main(void) {                                                                               \
        return objr_test_run(suite_fn());                                                          \
    }

#endif /* OBJR_TESTS_COMMON_TEST_COMMON_H */
