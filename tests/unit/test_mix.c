/* SPDX-License-Identifier: BSD-3-Clause */
/* Mixing kernels (src/dsp/mix.h): every ISA this CPU offers against the `_c` reference for the
 * lengths {0,1,3,7,8,15,16,17,1027}, misaligned buffers and guard words after every output
 * (STYLE.md §7/§9, after FFmpeg checkasm); and the reference against a double-precision ramp. */
#include "common/test_common.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr.h"
#include "src/core/core.h"
#include "src/dsp/ftz.h"
#include "src/dsp/mix.h"

static const size_t lengths[] = {0, 1, 3, 7, 8, 15, 16, 17, 1027};
#define N_LENGTHS (sizeof lengths / sizeof lengths[0])
#define N_OUT 5
#define GUARD 16
#define MAXN 1027
#define MISALIGN 3
static const uint32_t guard_bits = 0x7fc0dead; /* a quiet NaN no kernel would write */

/* ISA index -> feature mask: 0 = C reference, then the features this CPU offers. */
static unsigned isa_mask(int idx) {
    static const unsigned order[] = {0, OBJR_CPU_SSE2, OBJR_CPU_AVX2, OBJR_CPU_NEON};
    if (idx == 0)
        return 0;
    unsigned want = order[idx];
    if (!(objr_cpu_features() & want))
        return ~0u; /* not available here */
    /* All lower x86 features together with the wanted one. */
    return want == OBJR_CPU_AVX2 ? (OBJR_CPU_SSE2 | OBJR_CPU_AVX2) : want;
}

typedef struct bufs {
    float *mem[N_OUT];
    float *out[N_OUT], *ref[N_OUT], *before[N_OUT];
    float *in_mem, *in;
} bufs;

static void fill_guard(float *p) {
    for (int k = 0; k < GUARD; k++)
        memcpy(&p[k], &guard_bits, sizeof guard_bits);
}

static void check_guard(const float *p) {
    for (int k = 0; k < GUARD; k++)
        ck_assert_msg(memcmp(&p[k], &guard_bits, sizeof guard_bits) == 0, "guard %d overwritten",
                      k);
}

static void setup_bufs(bufs *b, objr_test_rng *r, size_t n, size_t mis) {
    size_t stride = MAXN + MISALIGN + GUARD + 1;
    b->in_mem = calloc(stride, sizeof(float));
    ck_assert_ptr_nonnull(b->in_mem);
    b->in = b->in_mem + (mis + 1) % (MISALIGN + 1);
    objr_test_noise(r, b->in, n, 1.0);
    for (int c = 0; c < N_OUT; c++) {
        b->mem[c] = calloc(3 * stride, sizeof(float));
        ck_assert_ptr_nonnull(b->mem[c]);
        b->out[c] = b->mem[c] + mis;
        b->ref[c] = b->mem[c] + stride + mis;
        b->before[c] = b->mem[c] + 2 * stride;
        objr_test_noise(r, b->out[c], n, 2.0);
        memcpy(b->ref[c], b->out[c], n * sizeof(float));
        memcpy(b->before[c], b->out[c], n * sizeof(float));
        fill_guard(b->out[c] + n);
        fill_guard(b->ref[c] + n);
    }
}

static void free_bufs(bufs *b) {
    free(b->in_mem);
    for (int c = 0; c < N_OUT; c++)
        free(b->mem[c]);
}

START_TEST(ramp_matches_reference) {
    unsigned mask = isa_mask(_i);
    if (mask == ~0u)
        return;
    objr__mixdsp d;
    objr__mixdsp_init(&d, mask);
    objr_test_rng r;
    objr_test_rng_init(&r);
    const int fma = (d.isa == OBJR_CPU_AVX2);
    for (size_t li = 0; li < N_LENGTHS; li++) {
        for (size_t mis = 0; mis <= MISALIGN; mis++) {
            size_t n = lengths[li];
            bufs b;
            setup_bufs(&b, &r, n, mis);
            float g0[N_OUT], g1[N_OUT];
            for (int c = 0; c < N_OUT; c++) {
                g0[c] = (float)objr_test_rng_range(&r, -1.5, 1.5);
                g1[c] = (float)objr_test_rng_range(&r, -1.5, 1.5);
            }
            g1[0] = g0[0]; /* a flat "ramp" too */
            size_t offset = mis * 5, len = n + offset + 3;
            d.ramp_f32(b.out, N_OUT, b.in, n, g0, g1, offset, len);
            objr__mix_ramp_f32_c(b.ref, N_OUT, b.in, n, g0, g1, offset, len);
            for (int c = 0; c < N_OUT; c++) {
                check_guard(b.out[c] + n);
                float gmax = fmaxf(fabsf(g0[c]), fabsf(g1[c]));
                for (size_t i = 0; i < n; i++) {
                    if (fma) {
                        float tol =
                            OBJR__MIX_FMA_EPS * (fabsf(b.before[c][i]) + fabsf(b.in[i]) * gmax);
                        ck_assert_msg(fabsf(b.out[c][i] - b.ref[c][i]) <= tol,
                                      "isa %u n %zu ch %d i %zu: %g vs %g", d.isa, n, c, i,
                                      (double)b.out[c][i], (double)b.ref[c][i]);
                    } else {
                        ck_assert_msg(memcmp(&b.out[c][i], &b.ref[c][i], sizeof(float)) == 0,
                                      "isa %u n %zu ch %d i %zu: %a vs %a", d.isa, n, c, i,
                                      (double)b.out[c][i], (double)b.ref[c][i]);
                    }
                }
            }
            free_bufs(&b);
        }
    }
}
END_TEST

START_TEST(gain_and_add_bit_exact) {
    unsigned mask = isa_mask(_i);
    if (mask == ~0u)
        return;
    objr__mixdsp d;
    objr__mixdsp_init(&d, mask);
    objr_test_rng r;
    objr_test_rng_init(&r);
    for (size_t li = 0; li < N_LENGTHS; li++) {
        for (size_t mis = 0; mis <= MISALIGN; mis++) {
            for (size_t n_out = 1; n_out <= N_OUT; n_out += 2) {
                size_t n = lengths[li];
                bufs b;
                setup_bufs(&b, &r, n, mis);
                float g[N_OUT];
                for (int c = 0; c < N_OUT; c++)
                    g[c] = (float)objr_test_rng_range(&r, -2.0, 2.0);
                d.gain_f32(b.out, n_out, b.in, n, g);
                objr__mix_gain_f32_c(b.ref, n_out, b.in, n, g);
                d.add_f32(b.out[N_OUT - 1], b.in, n);
                objr__mix_add_f32_c(b.ref[N_OUT - 1], b.in, n);
                for (int c = 0; c < N_OUT; c++) {
                    check_guard(b.out[c] + n);
                    ck_assert_msg(memcmp(b.out[c], b.ref[c], n * sizeof(float)) == 0,
                                  "isa %u n %zu ch %d differs", d.isa, n, c);
                }
                free_bufs(&b);
            }
        }
    }
}
END_TEST

/* The reference itself against the double-precision definition of a linear gain ramp, and
 * split calls (running offset) reproduce one long call exactly. */
START_TEST(reference_is_a_linear_ramp) {
    enum { N = 1000 };
    static float in[N], out1[N], out2[N];
    for (int i = 0; i < N; i++)
        in[i] = 1.0f;
    float g0 = 0.25f, g1 = -0.75f;
    float *o1 = out1, *o2 = out2;
    objr__mix_ramp_f32_c(&o1, 1, in, N, &g0, &g1, 0, N);
    for (int i = 0; i < N; i++) {
        double want = 0.25 + (-1.0) * i / (double)N;
        ck_assert_double_eq_tol(out1[i], want, 1e-6);
    }
    /* Same ramp in three pieces with the running offset. */
    objr__mix_ramp_f32_c(&o2, 1, in, 300, &g0, &g1, 0, N);
    float *p = out2 + 300;
    objr__mix_ramp_f32_c(&p, 1, in + 300, 401, &g0, &g1, 300, N);
    p = out2 + 701;
    objr__mix_ramp_f32_c(&p, 1, in + 701, 299, &g0, &g1, 701, N);
    ck_assert(memcmp(out1, out2, sizeof out1) == 0);
}
END_TEST

START_TEST(dispatch_respects_mask) {
    objr__mixdsp d;
    objr__mixdsp_init(&d, 0);
    ck_assert_uint_eq(d.isa, 0);
    ck_assert(d.ramp_f32 == objr__mix_ramp_f32_c);
    objr__mixdsp_init(&d, objr_cpu_features());
    ck_assert((d.isa & ~objr_cpu_features()) == 0);
}
END_TEST

START_TEST(ftz_set_and_restored) {
    unsigned before = objr__ftz_enter();
    volatile float tiny = FLT_MIN;
    volatile float half = 0.5f;
    float r = tiny * half; /* a denormal result */
#if defined(__x86_64__) || defined(__aarch64__)
    ck_assert(r == 0.0f);
#endif
    objr__ftz_leave(before);
    float r2 = tiny * half;
    ck_assert(r2 > 0.0f);
    (void)r;
}
END_TEST

static Suite *mix_suite(void) {
    Suite *s = suite_create("mix");
    TCase *tc = tcase_create("kernels");
    tcase_add_loop_test(tc, ramp_matches_reference, 0, 4);
    tcase_add_loop_test(tc, gain_and_add_bit_exact, 0, 4);
    tcase_add_test(tc, reference_is_a_linear_ramp);
    tcase_add_test(tc, dispatch_respects_mask);
    tcase_add_test(tc, ftz_set_and_restored);
    tcase_set_tags(tc, "simd");
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(mix_suite)
