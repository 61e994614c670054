/* SPDX-License-Identifier: BSD-3-Clause */
/* 24-bit PCM -> planar float kernels (src/dsp/pcm.h): the reference against the definition of
 * two's-complement 24-bit full scale, and every ISA this CPU offers bit for bit against the
 * reference for channel counts around the vector widths, the lengths {0,1,3,7,8,15,16,17,1027},
 * misaligned input and output, an input buffer that ends exactly at the last sample (so ASan
 * sees any over-read), and guard words around every output (STYLE.md §7/§9). */
#include "common/test_common.h"

#include <stdlib.h>
#include <string.h>

#include "objrender/objr.h"
#include "src/core/core.h"
#include "src/dsp/pcm.h"

static const size_t lengths[] = {0, 1, 3, 7, 8, 15, 16, 17, 1027};
#define N_LENGTHS (sizeof lengths / sizeof lengths[0])
static const size_t channel_counts[] = {1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 24, 128};
#define N_COUNTS (sizeof channel_counts / sizeof channel_counts[0])
#define MAXN 1027
#define GUARD 16
#define MISALIGN 3
#define AT 5                                   /* frames left untouched before each output */
static const uint32_t guard_bits = 0x7fc0dead; /* a quiet NaN no kernel would write */

/* ISA index -> feature mask: 0 = C reference, then the x86 features this CPU offers. */
static unsigned isa_mask(int idx) {
    static const unsigned order[] = {0, OBJR_CPU_SSE2, OBJR_CPU_AVX2};
    if (idx == 0)
        return 0;
    unsigned want = order[idx];
    if (!(objr_cpu_features() & want))
        return ~0u;
    return want == OBJR_CPU_AVX2 ? (OBJR_CPU_SSE2 | OBJR_CPU_AVX2) : want;
}

/* Sample value by definition: 24-bit two's complement over 2^23. */
static double s24_value(const uint8_t *b) {
    long v = (long)b[0] | ((long)b[1] << 8) | ((long)b[2] << 16);
    if (v >= 0x800000L)
        v -= 0x1000000L;
    return (double)v / 8388608.0;
}

START_TEST(reference_is_full_scale_s24) {
    /* Edge codes and random ones: +full scale, -full scale, +-1 LSB, zero, mid values. */
    static const uint8_t codes[][3] = {{0xFF, 0xFF, 0x7F}, {0x00, 0x00, 0x80}, {0x01, 0x00, 0x00},
                                       {0xFF, 0xFF, 0xFF}, {0x00, 0x00, 0x00}, {0x00, 0x00, 0x40},
                                       {0x00, 0x00, 0xC0}, {0x56, 0x34, 0x12}, {0xAB, 0xCD, 0xEF}};
    const size_t n = sizeof codes / sizeof codes[0];
    uint8_t *mem = calloc(OBJR__PCM_S24_HEADROOM + 3 * n, 1);
    ck_assert_ptr_nonnull(mem);
    uint8_t *in = mem + OBJR__PCM_S24_HEADROOM;
    memcpy(in, codes, 3 * n);
    float o[sizeof codes / sizeof codes[0]];
    float *op = o;
    objr__pcm_s24_to_f32_c(in, 1, n, &op, 0);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg((double)o[i] == s24_value(codes[i]), "code %zu: %a vs %a", i, (double)o[i],
                      s24_value(codes[i]));
    ck_assert((double)o[0] == 1.0 - 1.0 / 8388608.0);
    ck_assert((double)o[1] == -1.0);
    /* The same codes as 3 channels x 3 frames: channel c of frame f is code 3f + c. */
    float p[3][3];
    float *pp[3] = {p[0], p[1], p[2]};
    objr__pcm_s24_to_f32_c(in, 3, 3, pp, 0);
    for (size_t f = 0; f < 3; f++)
        for (size_t c = 0; c < 3; c++)
            ck_assert((double)p[c][f] == s24_value(codes[3 * f + c]));
    free(mem);
}
END_TEST

START_TEST(every_isa_matches_reference) {
    unsigned mask = isa_mask(_i);
    if (mask == ~0u)
        return;
    objr__pcmdsp d;
    objr__pcmdsp_init(&d, mask);
    objr_test_rng r;
    objr_test_rng_init(&r);
    const size_t stride = AT + MAXN + MISALIGN + GUARD;
    for (size_t ci = 0; ci < N_COUNTS; ci++) {
        const size_t nc = channel_counts[ci];
        float *mem = malloc(2 * nc * stride * sizeof(float));
        ck_assert_ptr_nonnull(mem);
        float **out = malloc(nc * sizeof(float *)), **ref = malloc(nc * sizeof(float *));
        ck_assert(out && ref);
        for (size_t li = 0; li < N_LENGTHS; li++) {
            for (size_t mis = 0; mis <= MISALIGN; mis++) {
                const size_t n = lengths[li], bytes = 3 * nc * n;
                /* Exactly headroom + data (+ the misalignment before it): nothing after. */
                uint8_t *raw = malloc(OBJR__PCM_S24_HEADROOM + mis + bytes);
                ck_assert_ptr_nonnull(raw);
                uint8_t *in = raw + OBJR__PCM_S24_HEADROOM + mis;
                for (size_t k = 0; k < OBJR__PCM_S24_HEADROOM + mis + bytes; k++)
                    raw[k] = (uint8_t)(objr_test_rng_uniform(&r) * 256.0);
                if (bytes >= 6) { /* both full-scale extremes somewhere */
                    memcpy(in, "\xFF\xFF\x7F", 3);
                    memcpy(in + bytes - 3, "\x00\x00\x80", 3);
                }
                for (size_t k = 0; k < 2 * nc * stride; k++)
                    memcpy(&mem[k], &guard_bits, sizeof guard_bits);
                for (size_t c = 0; c < nc; c++) {
                    out[c] = mem + c * stride + (mis + c) % (MISALIGN + 1);
                    ref[c] = mem + (nc + c) * stride + (mis + c) % (MISALIGN + 1);
                }
                d.s24_to_f32(in, nc, n, out, AT);
                objr__pcm_s24_to_f32_c(in, nc, n, ref, AT);
                for (size_t c = 0; c < nc; c++) {
                    for (size_t i = 0; i < AT; i++)
                        ck_assert_msg(memcmp(&out[c][i], &guard_bits, sizeof(float)) == 0,
                                      "isa %u: write before `at` (ch %zu)", d.isa, c);
                    ck_assert_msg(memcmp(out[c] + AT, ref[c] + AT, n * sizeof(float)) == 0,
                                  "isa %u: %zu channels x %zu frames, misalign %zu: ch %zu "
                                  "differs",
                                  d.isa, nc, n, mis, c);
                    for (size_t g = 0; g < GUARD - MISALIGN; g++)
                        ck_assert_msg(memcmp(&out[c][AT + n + g], &guard_bits, sizeof(float)) == 0,
                                      "isa %u: guard %zu after ch %zu overwritten", d.isa, g, c);
                }
                free(raw);
            }
        }
        free(out);
        free(ref);
        free(mem);
    }
}
END_TEST

/* Outputs exactly 4 KiB apart (float buf[n][1024]): the AVX2 kernel takes its scalar path for
 * such channel groups; the result is the same either way. */
START_TEST(power_of_two_channel_stride) {
    unsigned mask = isa_mask(_i);
    if (mask == ~0u)
        return;
    objr__pcmdsp d;
    objr__pcmdsp_init(&d, mask);
    objr_test_rng r;
    objr_test_rng_init(&r);
    enum { NC = 19, STRIDE = 1024, N = 1000 };
    float *mem = aligned_alloc(64, 2 * NC * STRIDE * sizeof(float));
    uint8_t *raw = malloc(OBJR__PCM_S24_HEADROOM + 3 * NC * N);
    ck_assert(mem && raw);
    for (size_t k = 0; k < OBJR__PCM_S24_HEADROOM + 3 * NC * N; k++)
        raw[k] = (uint8_t)(objr_test_rng_uniform(&r) * 256.0);
    float *out[NC], *ref[NC];
    for (size_t c = 0; c < NC; c++) {
        out[c] = mem + c * STRIDE;
        ref[c] = mem + (NC + c) * STRIDE;
    }
    d.s24_to_f32(raw + OBJR__PCM_S24_HEADROOM, NC, N, out, AT);
    objr__pcm_s24_to_f32_c(raw + OBJR__PCM_S24_HEADROOM, NC, N, ref, AT);
    for (size_t c = 0; c < NC; c++)
        ck_assert_msg(memcmp(out[c] + AT, ref[c] + AT, N * sizeof(float)) == 0,
                      "isa %u ch %zu differs", d.isa, c);
    free(raw);
    free(mem);
}
END_TEST

START_TEST(dispatch_respects_mask) {
    objr__pcmdsp d;
    objr__pcmdsp_init(&d, 0);
    ck_assert_uint_eq(d.isa, 0);
    ck_assert(d.s24_to_f32 == objr__pcm_s24_to_f32_c);
    objr__pcmdsp_init(&d, objr_cpu_features());
    ck_assert((d.isa & ~objr_cpu_features()) == 0);
}
END_TEST

static Suite *pcm_kernels_suite(void) {
    Suite *s = suite_create("pcm_kernels");
    TCase *tc = tcase_create("kernels");
    tcase_add_test(tc, reference_is_full_scale_s24);
    tcase_add_loop_test(tc, every_isa_matches_reference, 0, 3);
    tcase_add_loop_test(tc, power_of_two_channel_stride, 0, 3);
    tcase_add_test(tc, dispatch_respects_mask);
    tcase_set_tags(tc, "simd");
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(pcm_kernels_suite)
